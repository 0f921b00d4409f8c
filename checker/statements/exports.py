"""CSV and XLSX statement exports: find the header row, map columns by title, read the rows.

Banks and payment apps put a preamble (title, holder, account, period) above the header row
and sometimes totals below the last transaction; both are kept as header lines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from checker.document import Table
from checker.parse import parse_money
from checker.statements.columns import header_roles, is_header
from checker.statements.lines import Line, table_lines
from checker.statements.rows import looks_like_date, make_row
from schemas.layout import Layout

MIN_HEADER_COLUMNS = 3


@dataclass(frozen=True)
class ExportTable:
    """What one export sheet holds: transactions and the lines around them."""

    rows: list[dict[str, Any]]
    other_lines: list[Line]  # preamble and trailing lines, for the header fields
    header_line: int | None  # 1-based row of the column titles
    columns: dict[str, int] | None = None  # role -> cell index, from the titles


def header_columns(line: Line, layout: Layout, body: Sequence[Line] = ()) -> dict[str, int]:
    """Column -> cell index for a row of titles (by the layout's titles, then every known
    one); empty when the row is not a header. Of two columns with one role, the one whose
    cells in `body` hold more figures is read (ICBC fills 交易金额 with `-`, 记账金额 with
    the figures)."""
    cells = [(token.column, token.text) for token in line.tokens if token.text]

    def holds(index: int) -> int:
        return sum(
            1
            for row in body
            for token in row.tokens
            if token.column == index and parse_money(token.text) is not None
        )

    found = header_roles(
        [(index, text) for index, text in cells if index is not None], layout, holds
    )
    if not is_header(found) or len(found) < MIN_HEADER_COLUMNS:
        return {}
    return {str(role): index for role, index in found.items()}


def read_export(table: Table, layout: Layout) -> ExportTable:
    """The transactions of one sheet or CSV, read through `layout`."""
    lines = table_lines(table)
    for position, line in enumerate(lines):
        columns = header_columns(line, layout, lines[position + 1 :])
        if columns:
            return _read_body(lines, position, columns, layout)
    return ExportTable(rows=[], other_lines=lines, header_line=None)


def _read_body(
    lines: list[Line], position: int, columns: dict[str, int], layout: Layout
) -> ExportTable:
    rows, other = [], list(lines[:position])
    for line in lines[position + 1 :]:
        cells = {
            column: [token for token in line.tokens if token.column == index and token.text]
            for column, index in columns.items()
        }
        if not cells["date"] and cells.get("value_date"):
            cells["date"] = cells["value_date"]  # a card's repayment: no 交易日, only 记账日
        date = " ".join(token.text for token in cells["date"])
        if not (looks_like_date(date) or _MONTH_DAY.match(date)) or skipped(line, layout):
            if any(token.text for token in line.tokens):
                other.append(line)
            continue
        row = make_row(cells, layout, source="table")
        if row is not None:
            row["line"] = line.number
            _month_day(row, lines[:position])
            rows.append(row)
    return ExportTable(
        rows=rows, other_lines=other, header_line=lines[position].number, columns=columns
    )


_MONTH_DAY = re.compile(r"^\d{1,2}/\d{1,2}$")  # 招商 card statements: 12/29, the year in the title


def _month_day(row: dict[str, Any], preamble: Sequence[Line]) -> None:
    """A `12/29` date gets its year from the title's `2024年01月`: a month after the
    statement's month is the year before."""
    match = _MONTH_DAY.match(str(row["date"]))
    titled = next(
        (found for line in preamble if (found := re.search(r"(20\d{2})年(\d{1,2})月", line.text))),
        None,
    )
    if not match or titled is None:
        return
    month, day = (int(part) for part in str(row["date"]).split("/"))
    year = int(titled[1]) - (1 if month > int(titled[2]) else 0)
    try:
        row["date"] = dt.date(year, month, day).isoformat()
    except ValueError:
        return


def skipped(line: Line, layout: Layout) -> bool:
    """A subtotal, carry-over or comment line the layout says to drop."""
    return any(re.search(pattern, line.text) for pattern in layout.skip_rows)
