"""One transaction row from its cells, in the layout's conventions, as a JSON-ready dict.

Dates become ISO strings, amounts decimal strings (`"105.37"`, `""` when the cell is empty);
a cell that does not parse keeps the text read, so the transaction schema reports that cell.
Every row is normalised to debit and credit, whatever the export's sign convention.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from checker.parse import parse_date, parse_money
from checker.statements.lines import Token, fold, join_tokens, union_box
from schemas.layout import Layout

Cells = Mapping[str, Sequence[Token]]
OUTPUT_COLUMNS = ("date", "description", "counterparty", "debit", "credit", "balance")
_STRAY = ",.;:'\"|‘’“”。，、·`"  # punctuation OCR puts next to a figure


def looks_like_date(text: str) -> bool:
    """Whether a cell could be a date, even misread: at least six digits near its start."""
    return sum(char.isdigit() for char in text[:12]) >= 6


def parse_row_date(text: str, layout: Layout) -> dt.date | None:
    """A date cell: the layout's formats first, then the first token through parse_date."""
    text = text.strip()
    for pattern in layout.date_formats:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    first = text.split(" ", 1)[0] if text else ""
    return parse_date(first) or parse_date(text)


def make_row(cells: Cells, layout: Layout, *, source: str) -> dict[str, Any] | None:
    """The transaction in `cells` (column -> tokens); None for a row that moves no money."""
    texts = {column: join_tokens(tokens).strip() for column, tokens in cells.items()}
    debit, credit = _debit_credit(texts, layout)
    if debit is None and credit is None:
        return None
    day = parse_row_date(texts.get("date", ""), layout)
    row: dict[str, Any] = {
        "date": day.isoformat() if day else texts.get("date", ""),
        "description": texts.get("description", ""),
        "counterparty": texts.get("counterparty", ""),
        "debit": debit,
        "credit": credit,
        "balance": _amount_text(texts.get("balance", "")),
        "source": source,
    }
    row["cells"] = _cell_provenance(cells)
    tokens = [token for column in cells.values() for token in column]
    pages = {token.page for token in tokens if token.page is not None}
    if pages:
        row["page"] = min(pages)
        box = union_box(token.box for token in tokens)
        row["box"] = list(box) if box else None
    return row


def _debit_credit(texts: Mapping[str, str], layout: Layout) -> tuple[str | None, str | None]:
    """(debit, credit) as decimal strings ("" when empty), or (None, None): not a movement."""
    if "debit" in texts or "credit" in texts:
        debit = _amount_text(texts.get("debit", ""), negate=layout.debit_shown_negative)
        credit = _amount_text(texts.get("credit", ""))
        return debit, credit
    amount = texts.get("amount", "")
    if "direction" in texts:
        direction = fold(texts["direction"])
        if direction in [fold(word) for word in layout.directions.skip]:
            return None, None
        if direction in [fold(word) for word in layout.directions.debit]:
            return _amount_text(amount, magnitude=True), ""
        if direction in [fold(word) for word in layout.directions.credit]:
            return "", _amount_text(amount, magnitude=True)
    value = parse_money(amount)
    if value is None:
        return "", amount  # unreadable: kept as text in credit, reported there
    if layout.signed_amount == "debit_positive":
        value = -value
    return (str(-value), "") if value < 0 else ("", str(value))


def repair_amount(text: str) -> str:
    """An amount as OCR reads it, with two common slips undone: stray punctuation at either
    end (`28.45,`, `'117.75`) and a decimal comma (`424,33`: a thousands group has three
    digits, so a comma before the last two can only be the decimal point)."""
    text = text.strip().strip(_STRAY)
    return re.sub(r"(?<=\d),(\d{2})$", r".\1", text)


def _amount_text(text: str, *, negate: bool = False, magnitude: bool = False) -> str:
    """A decimal string for an amount cell; "" when empty; the text itself when unreadable."""
    if not text or text in {"-", "--", "—"}:
        return ""
    value = parse_money(repair_amount(text))
    if value is None:
        return text
    if negate:
        value = -value
    if magnitude:
        value = abs(value)
    return str(value if value != 0 else Decimal("0.00"))


def _cell_provenance(cells: Cells) -> dict[str, dict[str, Any]]:
    """Per cell: the text read, its box and its lowest word confidence."""
    out: dict[str, dict[str, Any]] = {}
    for column, tokens in cells.items():
        if not tokens:
            continue
        box = union_box(token.box for token in tokens)
        entry: dict[str, Any] = {
            "raw": join_tokens(tokens),
            "confidence": round(min(token.confidence for token in tokens), 3),
        }
        if box is not None:
            entry["box"] = list(box)
        columns = [token.column for token in tokens if token.column is not None]
        if columns:
            entry["column"] = columns[0]
        out[column] = entry
    return out
