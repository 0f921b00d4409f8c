"""Checks across an application's statements of one account: gaps, overlaps, continuity,
coverage of the required months, recency, and duplicated transactions.

Statements are grouped by account number (a masked number by its last four digits). Each
account's statements are merged in date order. Coverage and recency are judged on the
account that covers the most days: the one the applicant's history is shown by.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from checker.findings import new_finding
from checker.policy import Policy
from schemas.findings import Code, Evidence, Finding
from schemas.reads import Read

DAYS_PER_MONTH = 365.25 / 12
MONTH_SLACK = 0.2  # a period a few days short of whole months still counts them
ONE_DAY = dt.timedelta(days=1)

Fields = Mapping[str, Read[Any]]


@dataclass(frozen=True)
class Statement:
    """One statement file as the set checks see it."""

    file: str
    account: str
    start: dt.date
    end: dt.date
    opening: Decimal | None
    closing: Decimal | None
    rows: tuple[Mapping[str, Any], ...]


def statement_set_findings(
    statements: Sequence[tuple[str, Fields]], *, policy: Policy, as_of: dt.date
) -> list[Finding]:
    """Findings about the application's statements taken together (file name, fields each)."""
    parsed = [item for item in (_statement(file, fields) for file, fields in statements) if item]
    if not parsed:
        return []
    accounts: dict[str, list[Statement]] = {}
    for statement in sorted(parsed, key=lambda item: (item.start, item.end)):
        accounts.setdefault(statement.account, []).append(statement)
    findings: list[Finding] = []
    for group in accounts.values():
        findings += sequence_findings(group)
        findings += duplicate_findings(group)
    main = max(accounts.values(), key=covered_days)
    findings += coverage_findings(main, policy=policy, as_of=as_of)
    return findings


def sequence_findings(group: Sequence[Statement]) -> list[Finding]:
    """Gaps (error), overlaps (info) and breaks of continuity between consecutive statements."""
    findings = []
    for previous, following in pairwise(group):
        if following.start > previous.end + ONE_DAY:
            findings.append(
                new_finding(
                    Code.STATEMENT_GAP,
                    file=following.file,
                    field="period_start",
                    loc=(following.file, "period_start"),
                    previous=previous.file,
                    following=following.file,
                    start=(previous.end + ONE_DAY).isoformat(),
                    end=(following.start - ONE_DAY).isoformat(),
                )
            )
        elif following.start <= previous.end:
            findings.append(
                new_finding(
                    Code.STATEMENT_OVERLAP,
                    file=following.file,
                    field="period_start",
                    loc=(following.file, "period_start"),
                    previous=previous.file,
                    following=following.file,
                    start=following.start.isoformat(),
                    end=min(previous.end, following.end).isoformat(),
                )
            )
        elif (
            previous.closing is not None
            and following.opening is not None
            and previous.closing != following.opening
        ):
            findings.append(
                new_finding(
                    Code.STATEMENT_DISCONTINUITY,
                    file=following.file,
                    field="opening_balance",
                    loc=(following.file, "opening_balance"),
                    previous=previous.file,
                    closing=f"{previous.closing:.2f}",
                    following=following.file,
                    opening=f"{following.opening:.2f}",
                )
            )
    return findings


def duplicate_findings(group: Sequence[Statement]) -> list[Finding]:
    """A transaction repeated with the same date, amount, description and counterparty.

    Where statements overlap, the later statement's rows inside the earlier period are the
    same transactions printed twice, not duplicates, and are skipped.
    """
    seen: dict[tuple[str, ...], int] = {}
    findings = []
    covered_until: dt.date | None = None
    for statement in group:
        for number, row in enumerate(statement.rows, start=1):
            day = _day(row.get("date"))
            if day is None or not (row.get("debit") or row.get("credit")):
                continue  # a row not read whole cannot be called a duplicate
            if covered_until and day <= covered_until:
                continue
            key = tuple(
                str(row.get(name, ""))
                for name in ("date", "debit", "credit", "description", "counterparty")
            )
            if key in seen:
                findings.append(_duplicate(statement, number, seen[key], row))
            else:
                seen[key] = number
        covered_until = max(covered_until or statement.end, statement.end)
    return findings


def _duplicate(statement: Statement, number: int, other: int, row: Mapping[str, Any]) -> Finding:
    box = row.get("box")
    return new_finding(
        Code.DUPLICATE_TRANSACTION,
        file=statement.file,
        field="transactions",
        loc=(statement.file, "transactions", number),
        evidence=Evidence(
            file=statement.file, page=row.get("page"), box=tuple(box) if box else None
        ),
        row=number,
        other_row=other,
    )


def coverage_findings(
    group: Sequence[Statement], *, policy: Policy, as_of: dt.date
) -> list[Finding]:
    """Too few months covered, or a latest statement that ends too long before `as_of`."""
    findings = []
    required = policy.recency.statement_months
    months = covered_months(group)
    latest = max(group, key=lambda statement: statement.end)
    if months < required:
        findings.append(
            new_finding(
                Code.STATEMENT_COVERAGE_SHORT,
                file=latest.file,
                field="period_start",
                months=months,
                required=required,
            )
        )
    days = policy.recency.statement_days
    if latest.end < as_of - dt.timedelta(days=days):
        findings.append(
            new_finding(
                Code.STATEMENT_STALE,
                file=latest.file,
                field="period_end",
                loc=(latest.file, "period_end"),
                period_end=latest.end.isoformat(),
                days=days,
            )
        )
    return findings


def covered_days(group: Sequence[Statement]) -> int:
    """Days inside at least one statement's period."""
    days: set[dt.date] = set()
    for statement in group:
        span = (statement.end - statement.start).days + 1
        days.update(statement.start + dt.timedelta(days=offset) for offset in range(span))
    return len(days)


def covered_months(group: Sequence[Statement]) -> int:
    """Whole months covered: 2026-05-01..2026-10-31 is 6, 2026-08-01..2026-10-31 is 3."""
    return int(covered_days(group) / DAYS_PER_MONTH + MONTH_SLACK)


def _statement(file: str, fields: Fields) -> Statement | None:
    """The statement's period and balances; None when it has neither period nor rows."""
    rows = tuple(_value(fields, "transactions") or ())
    dates = [day for day in (_day(row.get("date")) for row in rows) if day]
    start = _day(_value(fields, "period_start")) or (min(dates) if dates else None)
    end = _day(_value(fields, "period_end")) or (max(dates) if dates else None)
    if start is None or end is None or end < start:
        return None
    return Statement(
        file=file,
        account=account_key(_value(fields, "account_number")),
        start=start,
        end=end,
        opening=_money(_value(fields, "opening_balance")),
        closing=_money(_value(fields, "closing_balance")),
        rows=rows,
    )


def account_key(number: Any) -> str:
    """The last four digits: full and masked prints of one account agree on them."""
    digits = re.sub(r"\D", "", str(number or ""))
    return digits[-4:]


def _value(fields: Fields, name: str) -> Any:
    field = fields.get(name)
    return field.value if field is not None else None


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _money(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None
