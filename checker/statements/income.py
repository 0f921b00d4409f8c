"""Income signals in a statement: salary-like credits, who pays them and the monthly median.

A credit is salary-like when its description or payer says so (代发, 工资, 薪 …), or when
one payer credits a similar amount in at least `MIN_MONTHS` different months.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from schemas.reads import Read

SALARY_WORDS = re.compile(r"代发|工资|薪|奖金|salary|payroll", re.IGNORECASE)
MIN_MONTHS = 3  # a regular payer credits in at least this many months
REGULAR_SPREAD = Decimal("0.25")  # … each within this share of the payer's median
MIN_REGULAR_AMOUNT = Decimal(1000)  # small regular credits (interest, refunds) are not pay


@dataclass(frozen=True)
class SalarySignal:
    """Salary seen on a statement: the payer, the median monthly total, the months seen."""

    payer: str
    monthly_median: Decimal
    months: int
    credits: tuple[int, ...]  # 1-based transaction numbers of the salary credits
    keyword: bool  # found by a salary word, not only by regularity


def salary_signal(fields: Mapping[str, Read[Any]]) -> SalarySignal | None:
    """The strongest salary signal in one statement's fields, or None when there is none."""
    rows: Sequence[Mapping[str, Any]] = _value(fields, "transactions") or []
    credits = [(number, row) for number, row in enumerate(rows, start=1) if _credit(row) > 0]
    by_payer: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    for number, row in credits:
        payer = str(row.get("counterparty") or row.get("description") or "")
        by_payer.setdefault(payer, []).append((number, row))
    signals = [_signal(payer, items) for payer, items in by_payer.items()]
    found = [signal for signal in signals if signal is not None]
    if not found:
        return None
    return max(found, key=lambda signal: (signal.keyword, signal.months, signal.monthly_median))


def _signal(payer: str, items: list[tuple[int, Mapping[str, Any]]]) -> SalarySignal | None:
    keyword = [item for item in items if _salary_words(item[1])]
    chosen = keyword or items
    monthly: dict[str, Decimal] = {}
    for _, row in chosen:
        month = str(row.get("date", ""))[:7]
        monthly[month] = monthly.get(month, Decimal(0)) + _credit(row)
    median = Decimal(statistics.median(monthly.values())).quantize(Decimal("0.01"))
    if not keyword and not _regular(monthly, median):
        return None
    return SalarySignal(
        payer=payer,
        monthly_median=median,
        months=len(monthly),
        credits=tuple(number for number, _ in chosen),
        keyword=bool(keyword),
    )


def _regular(monthly: Mapping[str, Decimal], median: Decimal) -> bool:
    if len(monthly) < MIN_MONTHS or median < MIN_REGULAR_AMOUNT:
        return False
    return all(abs(total - median) <= REGULAR_SPREAD * median for total in monthly.values())


def _salary_words(row: Mapping[str, Any]) -> bool:
    return bool(SALARY_WORDS.search(f"{row.get('description', '')} {row.get('counterparty', '')}"))


def _credit(row: Mapping[str, Any]) -> Decimal:
    try:
        return Decimal(str(row.get("credit") or 0))
    except InvalidOperation:
        return Decimal(0)


def _value(fields: Mapping[str, Read[Any]], name: str) -> Any:
    field = fields.get(name)
    return field.value if field is not None else None
