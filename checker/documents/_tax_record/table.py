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


@dataclass(frozen=True)
class Header:
    """A table's header row: each title cell's span and the column it names (None: a
    column of no interest, such as 序号, kept so its cells go nowhere else)."""

    line: Line
    spans: tuple[tuple[int, int, str | None], ...]


@dataclass
class Table:
    """The rows and the totals row read from every page, and the lines they stand on."""

    rows: list[TaxRow] = field(default_factory=list)
    total: dict[str, Read[str]] = field(default_factory=dict)
    lines: set[Line] = field(default_factory=set)  # the header, row and totals lines
    header_found: bool = False
    # lines under the header with an amount but no month read: rows not read (OCR)
    unread: list[Line] = field(default_factory=list)


def header_of(line: Line) -> Header | None:
    """The line as a table header: at least three known titles, a month and an amount."""
    spans = []
    for cell in cells_of(line):
        box = box_of(cell)
        spans.append((box[0], box[2], role_of("".join(word.text for word in cell), COLUMNS)))
    roles = {role for _, _, role in spans if role is not None}
    enough = len(roles) >= 3 and "month" in roles and bool({"income", "tax"} & roles)
    return Header(line, tuple(spans)) if enough and len(roles) >= 0.6 * len(spans) else None


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
        for line in lines:
            own = header_of(line)
            if own is not None:
                header = own
                table.header_found = True
                table.lines.add(line)
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
    return table


def _text(words: Sequence[Word]) -> str:
    return "".join(word.text for word in words).strip()


def _money(words: Sequence[Word], source: str) -> Decimal | None:
    """An amount cell's value; read by OCR, only when it has an amount's shape (2550100 for
    25,350.00 is a misread, not a figure to report)."""
    text = _text(words)
    if source != "text_layer" and not MONEY_SHAPE.fullmatch(fold(text)):
        return None
    return parse_money(text)


def _row(month: str, cells: dict[str, list[Word]], line: Line, reading: Reading) -> TaxRow:
    money = {name: _money(cells.get(name, []), reading.source) for name in ("income", "tax")}
    return TaxRow(
        month=month,
        item=_text(cells["item"]) or None if "item" in cells else None,
        withholder=_text(cells["withholder"]) or None if "withholder" in cells else None,
        withholder_uscc=fold(_text(cells["withholder_uscc"])) or None
        if "withholder_uscc" in cells
        else None,
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
