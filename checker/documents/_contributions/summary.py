"""The summary block of a contribution record: `label：value` pairs, several to a line, or a
grid whose cell holds a label and the next cell its value (姓名 | 张三 | 证件号码 | 1101…).

Labels come from data (`labels/contributions.yaml`); a value runs from its label's colon to
the next label on the line (known, or any word holding a colon) or a gap as wide as two
characters. The value keeps the characters it was read from: its box and confidence.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache

from checker.document import Box, Word
from checker.documents._contributions.labels import (
    ACCOUNT_SHAPE,
    CJK_TEXT,
    ID_SHAPE,
    MASKED_ID,
    NAME_SHAPE,
    ORG_SUFFIX,
    STATUS_WORDS,
    SUMMARY_FIELDS,
    column_labels,
    match_label,
    summary_labels,
)
from checker.documents._contributions.table import header_of
from checker.parse import parse_money
from checker.rows.lines import COLONS, Line, box_of, plain
from checker.rows.tables import cells_of
from schemas.reads import Read, Reads

WIDE_GAP = 2.0  # line heights between two words that part a value from what follows
HOLED = 0.5  # the most a value with a hole in it is trusted (read again)
HEADER_SHARE = 0.8  # a line of the holder's details as a header row: most cells are labels


@dataclass(frozen=True)
class Found:
    """A labelled value as printed: its characters (each a word of its own)."""

    field: str
    chars: tuple[Word, ...]
    right: int | None = None  # where the value's space ends (the next label), if known

    @property
    def text(self) -> str:
        return "".join(char.text for char in self.chars).strip()


def _chars(line: Line) -> tuple[list[Word], set[int]]:
    """The line's characters, each a word with its share of its word's box (a wide gap
    between two words becomes a tab: a cell's end), and where each word starts."""
    chars: list[Word] = []
    starts: set[int] = set()
    previous: Word | None = None
    for word in line.words:
        if previous is not None and word.box[0] - previous.box[2] > WIDE_GAP * line.height:
            chars.append(Word("\t", (previous.box[2], word.box[1], word.box[0], word.box[3]), 1.0))
        starts.add(len(chars))
        width = (word.box[2] - word.box[0]) / max(1, len(word.text))
        for offset, char in enumerate(word.text):
            if char.isspace():
                continue
            left = round(word.box[0] + offset * width)
            box = (left, word.box[1], round(left + width), word.box[3])
            chars.append(Word(char, box, word.confidence, word.line))
        previous = word
    return chars, starts


@cache
def _known_label() -> re.Pattern[str]:
    """Any known label followed by a colon, longest first (单位名称 wins over 单位)."""
    variants = sorted(
        {variant for names in summary_labels().values() for variant in names}, key=len, reverse=True
    )
    known = "|".join(re.escape(variant) for variant in variants)
    return re.compile(rf"(?P<label>{known})\s*[{COLONS}]")


OTHER_LABEL = re.compile(rf"[\u4e00-\u9fff]{{2,8}}[{COLONS}]")  # an unknown label ends a value


def _labels_on(text: str, starts: set[int]) -> list[tuple[int, int, str | None]]:
    """(start, end, field) of each label on the line: known ones anywhere, unknown ones
    (any 2–8 Chinese characters and a colon) where a word starts."""
    found = [
        (match.start(), match.end(), match_label(match["label"], summary_labels()))
        for match in _known_label().finditer(text)
    ]
    for start in sorted(starts):
        if any(begin <= start < end for begin, end, _ in found):
            continue
        match = OTHER_LABEL.match(text, start)
        if match and not any(begin < match.end() and start < end for begin, end, _ in found):
            found.append((start, match.end(), None))
    return sorted(found)


def labelled_values(line: Line) -> list[Found]:
    """The line's `label：value` pairs, in order."""
    chars, starts = _chars(line)
    text = "".join(char.text for char in chars)
    found: list[Found] = []
    marks = _labels_on(text, starts)
    for index, (_, label_end, field) in enumerate(marks):
        if field not in SUMMARY_FIELDS:
            continue
        end = marks[index + 1][0] if index + 1 < len(marks) else len(text)
        start, value = label_end, text[label_end:end]
        if not value.strip("\t"):
            continue
        if value.startswith("\t"):  # the label's cell ends: the value is the next cell
            start += len(value) - len(value.lstrip("\t"))
            value = value.lstrip("\t")
        stop = start + (value.index("\t") if "\t" in value else len(value))
        right = chars[end].box[0] if end < len(chars) else None
        found.append(Found(str(field), tuple(chars[start:stop]), right))
    return found


def grid_values(line: Line) -> list[Found]:
    """A grid's `label | value` cells: a cell that is a label alone, no colon, its value the
    next cell when that is no label (a table's header row is all labels: left alone)."""
    cells = cells_of(line)
    found: list[Found] = []
    for index, (cell, after) in enumerate(itertools.pairwise(cells)):
        text, next_text = "".join(w.text for w in cell), "".join(w.text for w in after)
        if any(colon in text + next_text for colon in COLONS):
            continue
        field = match_label(text, summary_labels())
        labelled = match_label(next_text, summary_labels()) or match_label(
            next_text, column_labels()
        )
        if field in SUMMARY_FIELDS and labelled is None:
            following = [
                other[0].box[0]
                for other in cells[index + 2 :]
                if match_label("".join(w.text for w in other), summary_labels())
            ]
            right = following[0] if following else None
            found.append(Found(field, tuple(_chars(Line(line.page, after))[0]), right))
    return found


def header_row_values(lines: list[Line]) -> list[Found]:
    """A one-row table of the holder's details: a line of summary labels only (姓名 | 证件号码
    | 单位名称 …), each value the cell of the next line under its label."""
    found: list[Found] = []
    for line, below in itertools.pairwise(lines):
        cells = cells_of(line)
        if len(cells) < 2 or any(colon in line.text for colon in COLONS):
            continue
        named = [
            (match_label("".join(w.text for w in cell), summary_labels()), cell) for cell in cells
        ]
        fields = [(field, box_of(cell)) for field, cell in named if field in SUMMARY_FIELDS]
        if len(fields) < 2 or len(fields) < HEADER_SHARE * len(cells) or header_of(line):
            continue
        for cell in cells_of(below):
            box = box_of(cell)
            overlap, field = max(
                (min(box[2], head[2]) - max(box[0], head[0]), str(field)) for field, head in fields
            )
            if overlap > 0:
                head = next(head for name, head in fields if name == field)
                chars = tuple(_chars(Line(below.page, cell))[0])
                found.append(Found(field, chars, max(head[2], box[2])))
    return found


def field_value(field: str, text: str, method: str) -> str | None:
    """The field's value in the printed text when it has the field's shape, else None. A
    status is its status words (正常缴存, 封存 …) when the text holds them; an employer read
    by OCR ends as an organisation does (a name that lost characters often does not)."""
    compact = plain(text)
    if field == "status":
        words = STATUS_WORDS.search(compact)
        return words[0] if words else compact if CJK_TEXT.fullmatch(compact) else None
    if field == "employer" and method != "text_layer":
        return compact if CJK_TEXT.fullmatch(compact) and ORG_SUFFIX.search(compact) else None
    if field == "name":
        return compact if NAME_SHAPE.fullmatch(compact) else None
    if field == "id_number":
        number = re.sub(r"\s", "", text).upper()
        return number if ID_SHAPE.fullmatch(number) or MASKED_ID.fullmatch(number) else None
    if field == "account_number":
        return compact if ACCOUNT_SHAPE.fullmatch(compact) else None
    if field == "contribution_base":
        money = parse_money(compact)
        return str(money) if money is not None and money > 0 else None
    return compact if CJK_TEXT.fullmatch(compact) else None


def _holes(chars: list[Word], height: int) -> bool:
    """A gap wider than a character inside a value: OCR lost characters there."""
    return any(after.box[0] - before.box[2] > height for before, after in itertools.pairwise(chars))


Region = tuple[int, Box]  # page, box: where a value is printed, to read it again


def summary_fields(lines: list[Line], method: str) -> tuple[Reads, dict[str, Region]]:
    """Each summary field, first found wins (the summary block is printed above the table),
    and where its value stands; a label found whose value has no shape of its own keeps the
    text as `raw`."""
    reads: Reads = {}
    regions: dict[str, Region] = {}
    by_header: dict[int, list[Found]] = {}
    for line, below in itertools.pairwise(lines):
        by_header[id(below)] = header_row_values([line, below])
    for line in lines:
        for found in labelled_values(line) + grid_values(line) + by_header.get(id(line), []):
            if found.field in reads and reads[found.field].value is not None:
                continue
            chars = [char for char in found.chars if char.text.strip()]
            if not chars:
                continue
            box = box_of(chars)
            confidence = min(char.confidence for char in chars)
            if method != "text_layer" and _holes(chars, line.height):
                confidence = min(confidence, HOLED)
            reads[found.field] = Read(
                value=field_value(found.field, found.text, method),
                confidence=round(confidence, 3),
                page=line.page,
                box=box,
                raw=found.text,
                method=method,
            )
            pad = line.height // 3
            right = found.right if found.right is not None else line.box[2] + 2 * line.height
            region = (box[0] - line.height // 2, box[1] - pad, max(right, box[2]), box[3] + pad)
            regions[found.field] = (line.page, region)
    return reads, regions
