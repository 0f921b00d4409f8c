"""Fields printed in tables: grid cells that hold a label with the value in the cells after it,
and a header row of labels with each value in the cell under its label."""

from __future__ import annotations

import re

from checker.document import Word
from checker.rows.label_value import Row, split_label
from checker.rows.lines import Line, box_of, plain

RULE_MARKS = re.compile(r"[|｜丨!”“\"'\[\]]*[|｜丨][|｜丨!”“\"'\[\]]*")  # a table rule read as text


def cell_rows(lines: list[Line], labels: dict[str, tuple[str, ...]]) -> dict[str, Row]:
    """Rows of a grid: a cell (`cells_of`) that holds only a label, no colon, its value the
    cells after it up to the next such cell (姓名 | 张三 | 身份证号码 | 1101…). A label inside
    a sentence (…现任行政专员职务，…) is no cell of its own and is left alone."""
    variants = {plain(variant): field for field, names in labels.items() for variant in names}
    rows: dict[str, Row] = {}
    for line in lines:
        if split_label(line) is not None:
            continue
        cells = cells_of(line)
        marks = [
            (index, variants[plain("".join(w.text for w in cell))])
            for index, cell in enumerate(cells)
            if plain("".join(w.text for w in cell)) in variants
        ]
        for number, (start, field) in enumerate(marks):
            end = marks[number + 1][0] if number + 1 < len(marks) else len(cells)
            words = tuple(word for cell in cells[start + 1 : end] for word in cell)
            if words and field not in rows:
                rows[field] = Row(field, line, words[0].box[0], words, 0.9)
    return rows


def cells_of(line: Line) -> list[tuple[Word, ...]]:
    """The line's words grouped into cells: words less than a text height apart join; a
    table's rule read as a mark of its own (|, or ”| beside it) parts two cells."""
    cells: list[list[Word]] = []
    ruled = False
    for word in line.words:
        if RULE_MARKS.fullmatch(word.text):
            ruled = True
            continue
        if cells and not ruled and word.box[0] - cells[-1][-1].box[2] < line.height:
            cells[-1].append(word)
        else:
            cells.append([word])
        ruled = False
    return [tuple(cell) for cell in cells]


def column_rows(lines: list[Line], labels: dict[str, tuple[str, ...]]) -> dict[str, Row]:
    """Rows of a table whose header row holds only labels (姓名 | 身份证号 | 职务 | …): each
    value is the cell of the next line that stands under its label's cell."""
    variants = {plain(variant): field for field, names in labels.items() for variant in names}
    rows: dict[str, Row] = {}
    for index, line in enumerate(lines[:-1]):
        if split_label(line) is not None:
            continue
        cells = cells_of(line)
        heads = [(box_of(cell), variants.get(_head_label(cell))) for cell in cells]
        known = [(box, field) for box, field in heads if field is not None]
        if len(known) < 3 or len(known) < 0.8 * len(heads):
            continue
        below = lines[index + 1]
        for cell in cells_of(below):
            box = box_of(cell)
            overlap, field = max(
                (min(box[2], head[2]) - max(box[0], head[0]), field) for head, field in known
            )
            if overlap > 0 and field not in rows:
                rows[field] = Row(field, below, box[0], cell, 0.85)
    return rows


def _head_label(cell: tuple[Word, ...]) -> str:
    """A header cell's label: a bracketed unit misread as Latin letters (月薪（元） as 月薪Ot))
    or with its opening bracket lost (月薪元)) is dropped with the brackets."""
    label = plain("".join(word.text for word in cell))
    return re.sub(r"[A-Za-z()（）|]+$", "", re.sub(r"[(（]?元[)）]$", "", label))
