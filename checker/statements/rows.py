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
from checker.statements.columns import credit_by_description, no_money
from checker.statements.lines import Token, fold, join_tokens, union_box
from schemas.layout import Layout

Cells = Mapping[str, Sequence[Token]]
OUTPUT_COLUMNS = ("date", "description", "counterparty", "debit", "credit", "balance")
_STRAY = ",.;:'\"|‘’“”。，、·`"  # punctuation OCR puts next to a figure


def looks_like_date(text: str) -> bool:
    """Whether a cell could be a date, even misread: at least six digits near its start."""
    return sum(char.isdigit() for char in text[:12]) >= 6


def parse_row_date(text: str, layout: Layout) -> dt.date | None:
    """A date cell: the layout's formats first, then the first token through parse_date,
    then day-first (`03/01/2024`, as English statements print it)."""
    text = text.strip()
    for pattern in layout.date_formats:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    first = text.split(" ", 1)[0] if text else ""
    found = parse_date(first) or parse_date(text)
    if found is None and (match := _DAY_FIRST.match(first)):
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None
    return found


_DAY_FIRST = re.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$")
_DR_CR = re.compile(r"^(?P<figure>.*?\d)\s*(?P<mark>CR|DR|Cr|Dr|cr|dr)\.?$")
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}\s+")  # CNY 123.18
_NOTE = re.compile(r"[(（][^)）]*[)）]$")  # 12.00(已全额退款)


def make_row(cells: Cells, layout: Layout, *, source: str) -> dict[str, Any] | None:
    """The transaction in `cells` (column -> tokens); None for a row that moves no money."""
    texts = {column: join_tokens(tokens).strip() for column, tokens in cells.items()}
    if no_money(texts.get("status", "")):
        return None
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
    if texts.get("status"):
        row["status"] = texts["status"]
    if "amount" in texts and "direction" not in texts and "debit" not in texts:
        row["signed"] = True  # one signed column: its convention is settled per statement
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
        debit = _amount_text(texts.get("debit", ""), magnitude=True)
        credit = _amount_text(texts.get("credit", ""))
        return debit, credit
    amount = _NOTE.sub("", texts.get("amount", "")).strip()
    marked = _DR_CR.match(amount)
    if marked:  # 1,234.00 CR: the mark says the direction
        figure = _amount_text(marked["figure"], magnitude=True)
        return ("", figure) if marked["mark"].lower() == "cr" else (figure, "")
    if "direction" in texts:
        words = texts["direction"].split()  # 贷 Cr: the first word says it
        direction = fold(words[0] if words else "").lower()
        if direction in [fold(word).lower() for word in layout.directions.skip]:
            return None, None
        if direction in [fold(word).lower() for word in layout.directions.debit]:
            return _amount_text(amount, magnitude=True), ""
        if direction in [fold(word).lower() for word in layout.directions.credit]:
            return "", _amount_text(amount, magnitude=True)
    value = parse_money(_CURRENCY_CODE.sub("", repair_amount(amount)))
    if value is None:
        return "", amount  # unreadable: kept as text in credit, reported there
    if layout.signed_amount == "debit_positive":
        value = -value
    return (str(-value), "") if value < 0 else ("", str(value))


def orient_signed(rows: list[dict[str, Any]], opening: Decimal | None, *, card: bool) -> str:
    """Settle which way a signed amount column runs, by what it holds: the convention under
    which more rows carry the running balance; without a balance, a credit card's figures
    are spending (positive) and a bank account's are money in. Rows change in place; the
    convention is returned (`credit_positive` or `debit_positive`)."""
    signed = [row for row in rows if row.get("signed")]
    if not signed:
        return "credit_positive"
    as_read = _carried(rows, opening)
    flipped = [_flip(row) if row.get("signed") else row for row in rows]
    has_balance = any(row.get("balance") for row in rows)
    flip = _carried(flipped, opening) > as_read if has_balance else card
    if flip:
        rows[:] = flipped
    if card and not has_balance and all(not row.get("credit") for row in rows if row.get("signed")):
        # every figure unsigned (交通银行 card bills): repayments and refunds by their words
        for index, row in enumerate(rows):
            if row.get("signed") and credit_by_description(str(row.get("description", ""))):
                rows[index] = _flip(row)
    return "debit_positive" if flip else "credit_positive"


def chronological(rows: list[dict[str, Any]]) -> bool:
    """Newest-first exports (中国银行, HSBC, 工商银行) turned oldest-first, so that each balance
    follows from the one before it; True when they were turned."""
    days = [str(row.get("date", "")) for row in rows if _ISO_DAY.match(str(row.get("date", "")))]
    if len(days) >= 2 and days[0] > days[-1]:
        rows.reverse()
        return True
    return False


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _flip(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "debit": row.get("credit", ""), "credit": row.get("debit", "")}


def _carried(rows: Sequence[Mapping[str, Any]], opening: Decimal | None) -> int:
    """How many rows' balances follow from the balance before them."""
    count, before = 0, opening
    for row in rows:
        shown = parse_money(str(row.get("balance") or ""))
        debit = parse_money(str(row.get("debit") or "")) or Decimal(0)
        credit = parse_money(str(row.get("credit") or "")) or Decimal(0)
        if before is not None and shown is not None and before + credit - debit == shown:
            count += 1
        before = shown
    return count


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
    value = parse_money(_CURRENCY_CODE.sub("", repair_amount(text)))
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
