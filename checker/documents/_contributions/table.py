"""The table of months of a contribution record, by its header row, on every page.

A header row is a line whose cells are mostly column labels (`labels/contributions.yaml`),
one of them the month's. Each line below it whose cell under the month's column is a month
is a row; every cell goes to the column whose header it stands under (the most overlap, or
the nearest header). A page with no header of its own continues the last page's table. A row
is one month as printed: one month and one 险种 when the table lists each insurance alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.document import Box, Word
from checker.documents._contributions.labels import (
    AMOUNT_COLUMNS,
    INSURANCE_COLUMNS,
    column_labels,
    match_label,
    month_of,
)
from checker.parse import parse_money
from checker.rows.lines import Line, box_of, plain
from checker.rows.tables import cells_of
from schemas.contributions import ContributionRow

MIN_COLUMNS = 3  # a header names the month and at least two more columns
KNOWN_SHARE = 0.6  # …and most of its cells are column labels
MIN_AMOUNTS = 2  # a row whose month was misread still has amounts in its columns


@dataclass(frozen=True)
class Header:
    """The table's columns: each field and the box of its header cell."""

    columns: tuple[tuple[str, Box], ...]

    def column_of(self, box: Box) -> str | None:
        """The column a cell stands under: the most overlap, else the nearest header centre
        (within one header's width)."""
        best = max(
            (min(box[2], head[2]) - max(box[0], head[0]), field) for field, head in self.columns
        )
        if best[0] > 0:
            return best[1]
        middle = (box[0] + box[2]) / 2
        distance, field, width = min(
            (abs(middle - (head[0] + head[2]) / 2), field, head[2] - head[0])
            for field, head in self.columns
        )
        return field if distance <= width else None


@dataclass(frozen=True)
class TableRow:
    """One printed row: its values by column, as read, and the words they came from."""

    values: ContributionRow
    month_box: Box
    month_text: str
    box: Box


def header_of(line: Line) -> Header | None:
    """The line as a table header, when it is one."""
    cells = cells_of(line)
    named = [(match_label("".join(w.text for w in cell), column_labels()), cell) for cell in cells]
    known = [(field, box_of(cell)) for field, cell in named if field is not None]
    fields = [field for field, _ in known]
    if "month" not in fields or len(set(fields)) < MIN_COLUMNS:
        return None
    if len(known) < KNOWN_SHARE * len(cells):
        return None
    return Header(tuple(known))


def _row(line: Line, header: Header) -> TableRow | None:
    """The line as a row under `header`: its month cell holds a month, or (a month misread)
    something, with amounts beside it: then its month is None and its text kept, so that a
    misread month is never taken for a month not paid."""
    by_column: dict[str, list[Word]] = {}
    for cell in cells_of(line):
        column = header.column_of(box_of(cell))
        if column is not None:
            by_column.setdefault(column, []).extend(cell)
    month_words = by_column.get("month")
    if not month_words:
        return None
    month_text = "".join(w.text for w in month_words)
    values: ContributionRow = {"month": month_of(month_text)}
    amounts = 0
    for column, words in by_column.items():
        text = plain("".join(w.text for w in words))
        if column == "month" or not text:
            continue
        if column in AMOUNT_COLUMNS or column in INSURANCE_COLUMNS:
            money = parse_money(text)
            amounts += money is not None
            values[column] = str(money) if money is not None else text
        else:
            values[column] = text
    if values["month"] is None:
        if amounts < MIN_AMOUNTS or not any(char.isdigit() for char in month_text):
            return None
        values["month_text"] = month_text
    values["confidence"] = round(min(w.confidence for w in line.words), 3)
    values["page"] = line.page
    return TableRow(values, box_of(month_words), month_text, line.box)


def table_rows(pages: list[list[Line]]) -> list[TableRow]:
    """Every row of the table, page after page, in print order."""
    rows: list[TableRow] = []
    header: Header | None = None
    for lines in pages:
        for line in lines:
            found = header_of(line)
            if found is not None:
                header = found
                continue
            if header is None:
                continue
            row = _row(line, header)
            if row is not None:
                rows.append(row)
    return rows
