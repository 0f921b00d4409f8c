"""The table of a tax record: its header row by column titles, one row per line with a
month, the totals row, over every page.

The header is a line (or two stacked lines: 已申报 over 税额) whose cells are mostly column
titles, a month, an amount and one more at least. Each later cell belongs to the column whose
title it stands under (most overlap, else the nearest); a line whose month cell holds a month
is a row, a text-only line just under a row carries on its withholder's or item's cell (a
wrapped name), and a line that starts with 合计/总计 is the totals row. A page without its own
header row carries on with the previous page's columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from checker.document import Reading, Word
from checker.documents._tax_record.text import (
    COLUMNS,
    MONEY_SHAPE,
    fold,
    labels,
    parse_month,
    role_of,
)
from checker.parse import parse_money
from checker.rows.lines import Line, box_of, label_score, plain
from checker.rows.tables import cells_of
from schemas.reads import Read
from schemas.tax import TaxRow

TEXT_SHAPES = {
    "withholder": re.compile(r"[\u4e00-\u9fff（）()·]{4,40}"),
    "item": re.compile(r"[\u4e00-\u9fff]{2,10}"),
    "withholder_uscc": re.compile(r"[0-9A-Z]{18}"),
}
Span = tuple[int, int, str]  # a cell's left and right edges, and its text
WRAPPING = ("withholder", "item")  # columns whose text may wrap onto a second line
PEEK = 5  # lines under a header looked at to find an untitled amount column


@dataclass(frozen=True)
class Header:
    """A table's header row: each title cell's span and the column it names (None: a
    column of no interest, such as 序号, kept so its cells go nowhere else)."""

    lines: tuple[Line, ...]
    spans: tuple[tuple[int, int, str | None], ...]


@dataclass
class Table:
    """The rows and the totals row read from every page, and the lines they stand on."""

    rows: list[TaxRow] = field(default_factory=list)
    total: dict[str, Read[str]] = field(default_factory=dict)
    lines: set[Line] = field(default_factory=set)  # the header, row and totals lines
    # lines under the header with an amount but no month read: rows not read (OCR)
    unread: list[Line] = field(default_factory=list)


def _spans(line: Line) -> list[Span]:
    return [(box_of(cell)[0], box_of(cell)[2], _text(cell)) for cell in cells_of(line)]


def _titled(spans: list[Span], lines: tuple[Line, ...]) -> Header | None:
    """The cells as a header: at least three known titles, a month and an amount."""
    named = [(left, right, role_of(text, COLUMNS)) for left, right, text in spans]
    roles = {role for _, _, role in named if role is not None}
    enough = len(roles) >= 3 and "month" in roles and bool({"income", "tax"} & roles)
    return Header(lines, tuple(named)) if enough and len(roles) >= 0.6 * len(named) else None


def header_of(line: Line, below: Line | None = None) -> Header | None:
    """The line as a table header; or the line and the one right under it, when that names
    more columns (a title on two lines: 已申报 over 税额) and the lower line is none alone."""
    spans = _spans(line)
    alone = _titled(spans, (line,))
    if below is None or below.box[1] - line.box[3] > line.height or _titled(_spans(below), ()):
        return alone
    for left, right, text in _spans(below):
        index = next(
            (i for i, span in enumerate(spans) if min(right, span[1]) > max(left, span[0])), None
        )
        if index is None:
            spans.append((left, right, text))
        else:
            upper = spans[index]
            spans[index] = (min(left, upper[0]), max(right, upper[1]), upper[2] + text)
    stacked = _titled(sorted(spans), (line, below))
    if stacked is None or (alone is not None and _named(stacked) <= _named(alone)):
        return alone
    return stacked


def _by_contents(header: Header, below: Sequence[Line], source: str) -> Header:
    """An amount column whose title was not read (OCR), found by what it holds: the one
    untitled column right of the income (or left of the tax) whose cells are amounts."""
    roles = {role for _, _, role in header.spans}
    missing = [name for name in ("income", "tax") if name not in roles]
    if len(missing) != 1:
        return header
    known = next(span for span in header.spans if span[2] in ("income", "tax"))
    after = missing[0] == "tax"
    untitled = [span for span in header.spans if span[2] is None and (span[0] > known[1]) == after]
    if len(untitled) != 1:
        return header
    span = untitled[0]
    amounts = sum(
        _money(cell, source) is not None
        for line in below
        for cell in cells_of(line)
        if _closeness(box_of(cell), span) > 0
    )
    if amounts < min(3, len(below)):
        return header
    spans = tuple((left, right, missing[0]) if (left, right, role) == span else (left, right, role)
                  for left, right, role in header.spans)  # fmt: skip
    return Header(header.lines, spans)


def _named(header: Header) -> int:
    return sum(role is not None for _, _, role in header.spans)


def _assign(line: Line, header: Header) -> dict[str, list[Word]]:
    """Each cell of the line under the column whose title it overlaps most (else nearest)."""
    by_column: dict[str, list[Word]] = {}
    for cell in cells_of(line):
        box = box_of(cell)
        role = max(header.spans, key=lambda span: _closeness(box, span))[2]
        if role is not None:
            by_column.setdefault(role, []).extend(cell)
    return by_column


def _closeness(box: tuple[int, int, int, int], span: tuple[int, int, str | None]) -> float:
    """How well a cell stands under a title: their overlap, else minus their distance."""
    overlap = min(box[2], span[1]) - max(box[0], span[0])
    if overlap > 0:
        return overlap
    return -abs((box[0] + box[2]) / 2 - (span[0] + span[1]) / 2)


def read_table(pages: Sequence[tuple[Reading, list[Line]]]) -> Table:
    """The table over every page (a reading and its lines), in page order; stops at the
    totals row."""
    table = Table()
    header: Header | None = None
    for reading, lines in pages:
        for index, line in enumerate(lines):
            if line in table.lines:  # the second line of a two-line header
                continue
            own = header_of(line, lines[index + 1] if index + 1 < len(lines) else None)
            if own is not None:
                header = _by_contents(own, lines[index + 1 : index + 1 + PEEK], reading.source)
                table.lines.update(own.lines)
                continue
            if header is None:
                continue
            cells = _assign(line, header)
            month = parse_month("".join(word.text for word in cells.get("month", [])))
            if month is not None:
                table.rows.append(_row(month, cells, line, reading))
                table.lines.add(line)
            elif _is_total(line, cells, reading.source):
                table.total = _totals(cells, line, reading.source)
                table.lines.add(line)
                return table
            elif any(_money(cells.get(name, []), reading.source) for name in ("income", "tax")):
                table.unread.append(line)
            elif table.rows and _continues(line, cells, table.rows[-1]):
                table.rows[-1] = _continued(table.rows[-1], cells, line)
                table.lines.add(line)
    return table


def _continues(line: Line, cells: dict[str, list[Word]], row: TaxRow) -> bool:
    """A text-only line right under a row, its cells under the row's withholder or item
    cell: the rest of a wrapped name."""
    if not cells or not set(cells) <= set(WRAPPING) or row.box is None or row.page != line.page:
        return False
    if line.box[1] - row.box[3] > line.height:
        return False
    for name, words in cells.items():
        above, box = row.cells.get(name), box_of(words)
        if (
            above is None
            or getattr(row, name) is None
            or min(box[2], above[2]) <= max(box[0], above[0])
        ):
            return False
    return True


def _continued(row: TaxRow, cells: dict[str, list[Word]], line: Line) -> TaxRow:
    """The row with the wrapped text added to its cells."""
    update: dict[str, object] = {"box": box_of([*line.words, *_corners(row.box)])}
    boxes = dict(row.cells)
    for name, words in cells.items():
        update[name] = (getattr(row, name) or "") + _text(words)
        boxes[name] = box_of([*words, *_corners(boxes[name])])
    update["cells"] = boxes
    confidence = min(word.confidence for word in line.words)
    update["confidence"] = min(row.confidence, confidence)
    return row.model_copy(update=update)


def _corners(box: tuple[int, int, int, int] | None) -> list[Word]:
    return [] if box is None else [Word("", box, 1.0)]


def _text(words: Sequence[Word]) -> str:
    return "".join(word.text for word in words).strip()


def _money(words: Sequence[Word], source: str) -> Decimal | None:
    """An amount cell's value; read by OCR, only when it has an amount's shape (2550100 for
    25,350.00 is a misread, not a figure to report)."""
    text = _text(words)
    if source != "text_layer" and not MONEY_SHAPE.fullmatch(fold(text)):
        return None
    return parse_money(text)


def _cell(cells: dict[str, list[Word]], name: str, source: str) -> str | None:
    """A text cell's value; read by OCR, only when it has the shape of its column (a
    company's name, an income item, a USCC), never a misread such as `text` or `区`."""
    text = _text(cells.get(name, []))
    if name == "withholder_uscc":
        text = fold(text).upper()
    if not text or (source != "text_layer" and not TEXT_SHAPES[name].fullmatch(text)):
        return None
    return text


def _row(month: str, cells: dict[str, list[Word]], line: Line, reading: Reading) -> TaxRow:
    money = {name: _money(cells.get(name, []), reading.source) for name in ("income", "tax")}
    return TaxRow(
        month=month,
        item=_cell(cells, "item", reading.source),
        withholder=_cell(cells, "withholder", reading.source),
        withholder_uscc=_cell(cells, "withholder_uscc", reading.source),
        income=None if money["income"] is None else str(money["income"]),
        tax=None if money["tax"] is None else str(money["tax"]),
        page=reading.page,
        box=line.box,
        cells={name: box_of(words) for name, words in cells.items() if words},
        confidence=min(word.confidence for word in line.words),
    )


def _is_total(line: Line, cells: dict[str, list[Word]], source: str) -> bool:
    """A line whose first cell is 合计/总计; read by OCR, also one of those two characters
    misread (&计) before an amount."""
    first = _text(cells_of(line)[0]) if line.words else ""
    if role_of(first, ("total",)) == "total":
        return True
    folded = plain(fold(first))
    amounts = any(_money(cells.get(name, []), source) for name in ("income", "tax"))
    return (
        source != "text_layer"
        and amounts
        and 0 < len(folded) <= 3
        and any(label_score(folded, plain(label)) >= 0.5 for label in labels()["total"])
    )


def _totals(cells: dict[str, list[Word]], line: Line, source: str) -> dict[str, Read[str]]:
    totals = {}
    for name in ("income", "tax"):
        words = cells.get(name, [])
        value = _money(words, source)
        if words:
            totals[f"total_{name}"] = Read[str](
                value=None if value is None else str(value),
                confidence=min(word.confidence for word in words),
                page=line.page,
                box=box_of(words),
                raw=_text(words),
                method=source,
            )
    return totals
