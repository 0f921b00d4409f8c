"""CSV and XLSX statement exports: find the header row, map columns by title, read the rows.

Banks and payment apps put a preamble (title, holder, account, period) above the header row
and sometimes totals below the last transaction; both are kept as header lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from checker.document import Table
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


def header_columns(line: Line, layout: Layout) -> dict[str, int]:
    """Column -> cell index for a row of titles (by the layout's titles, then every known
    one); empty when the row is not a header."""
    cells = [(token.column, token.text) for token in line.tokens if token.text]
    found = header_roles([(index, text) for index, text in cells if index is not None], layout)
    return dict(found) if is_header(found) and len(found) >= MIN_HEADER_COLUMNS else {}


def read_export(table: Table, layout: Layout) -> ExportTable:
    """The transactions of one sheet or CSV, read through `layout`."""
    lines = table_lines(table)
    for position, line in enumerate(lines):
        columns = header_columns(line, layout)
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
        date = " ".join(token.text for token in cells["date"])
        if not looks_like_date(date) or skipped(line, layout):
            if any(token.text for token in line.tokens):
                other.append(line)
            continue
        row = make_row(cells, layout, source="table")
        if row is not None:
            row["line"] = line.number
            rows.append(row)
    return ExportTable(rows=rows, other_lines=other, header_line=lines[position].number)


def skipped(line: Line, layout: Layout) -> bool:
    """A subtotal, carry-over or comment line the layout says to drop."""
    return any(re.search(pattern, line.text) for pattern in layout.skip_rows)
