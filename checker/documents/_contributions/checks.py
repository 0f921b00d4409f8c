"""The checks of a contribution record: every problem at once.

The ID number (python-stdnum, through `schemas.identity`) when printed in full; the account's
status (封存, 暂停, 终止 … is an error only when read surely, else a retake); the months
continuous from the first to the latest; the latest month within the policy's window and not
in the future; months in arrears (欠缴). A value read unsurely never makes an error.
"""

from __future__ import annotations

from typing import Any

from checker.documents import CheckContext
from checker.documents._contributions.labels import ARREARS, FIELD_LABELS, month_of
from checker.findings import field_finding, new_finding, read_evidence
from schemas.contributions import INACTIVE_STATUS, ContributionRecordFields, ContributionRow
from schemas.findings import Code, Finding
from schemas.identity import PROBLEM_REASONS, id_number_problem
from schemas.reads import Read

CLEAR = 0.80  # a value read at least this sure (or from a text layer) is taken as read
REQUIRED = ("name", "id_number", "rows")


def check(fields: ContributionRecordFields, context: CheckContext) -> list[Finding]:
    """Every check of the record."""
    label = type(fields).LABEL
    return [
        *_unreadable(fields, context),
        *_id_number(fields.id_number, context),
        *_status(fields.status, context, label),
        *_gaps(fields, context, label),
        *_recency(fields.latest_month, fields.rows, context, label),
        *_arrears(fields.rows, context, label),
    ]


def sure(read: Read[Any] | None) -> bool:
    """Read from a text layer, or confidently."""
    if read is None or read.value is None:
        return False
    return read.method == "text_layer" or (read.confidence or 0.0) >= CLEAR


def _retake(field: str, read: Read[Any] | None, context: CheckContext) -> Finding:
    return field_finding(Code.RETAKE, context.file, field, read, kind="contribution_record")


def _unreadable(fields: ContributionRecordFields, context: CheckContext) -> list[Finding]:
    """A required field not read, or a field whose label was found with a value that has no
    shape of its own (a name that is no name, a base that is no amount)."""
    findings = []
    for name, read in fields.reads().items():
        if name not in FIELD_LABELS or name == "id_number":
            continue
        missing = read.value is None and (name in REQUIRED or read.raw)
        if missing:
            findings.append(
                field_finding(
                    Code.FIELD_UNREADABLE, context.file, name, read, kind="contribution_record"
                )
            )
    return findings


def _id_number(read: Read[str] | None, context: CheckContext) -> list[Finding]:
    """A number printed in full that fails its check: invalid when read from a text layer or
    the same in two reads, else unclear (a misread digit fails the check too); a masked
    number (1101**********123X) cannot be checked and is left alone."""
    if read is None or (read.value is None and not read.raw):
        return [
            field_finding(
                Code.FIELD_UNREADABLE, context.file, "id_number", read, kind="contribution_record"
            )
        ]
    printed = read.value if read.value is not None else read.raw or ""
    if "*" in printed:
        return []
    problem = id_number_problem(printed, today=context.as_of)
    if problem is None:
        return []
    certain = read.method in ("text_layer", "ocr_confirmed")
    if not certain:
        return [new_finding(Code.ID_NUMBER_UNCLEAR, file=context.file, field="id_number")]
    return [
        new_finding(
            Code.ID_NUMBER_INVALID,
            file=context.file,
            field="id_number",
            evidence=read_evidence(context.file, read),
            reason=PROBLEM_REASONS[problem],
        )
    ]


def _status(read: Read[str] | None, context: CheckContext, label: dict[str, str]) -> list[Finding]:
    """封存, 销户, 暂停缴费, 终止 …: the applicant does not contribute now (an error when read
    surely; a retake when the words that say so were read unsurely)."""
    if read is None or read.value is None or not INACTIVE_STATUS.search(read.value):
        return []
    if not sure(read):
        return [_retake("status", read, context)]
    return [
        new_finding(
            Code.CONTRIBUTION_ACCOUNT_INACTIVE,
            file=context.file,
            field="status",
            evidence=read_evidence(context.file, read),
            document=label,
            status=read.value,
        )
    ]


def _unread_months(rows: Read[list[ContributionRow]] | None) -> int:
    """How many rows of the table have a month that could not be read."""
    return sum(row.get("month") is None for row in rows.value) if rows and rows.value else 0


def _listed(months: list[str]) -> dict[str, str]:
    """Months as a list in either language (2026-04、2026-05 / 2026-04, 2026-05)."""
    return {"zh": "、".join(months), "en": ", ".join(months)}


def _month_number(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month_name(number: int) -> str:
    return f"{number // 12}-{number % 12 + 1:02d}"


def _gaps(
    fields: ContributionRecordFields, context: CheckContext, label: dict[str, str]
) -> list[Finding]:
    """The months between the first and the latest that no row lists."""
    months = fields.months()
    if len(months) < 2:
        return []
    listed = {_month_number(month) for month in months}
    first, latest = min(listed), max(listed)
    missing = [_month_name(n) for n in range(first, latest + 1) if n not in listed]
    if not missing:
        return []
    if _unread_months(fields.rows):  # a month misread is no month missing: not known
        return [_retake("rows", fields.rows, context)]
    return [
        new_finding(
            Code.CONTRIBUTION_GAP,
            file=context.file,
            field="months_covered",
            evidence=read_evidence(context.file, fields.rows),
            document=label,
            first=_month_name(first),
            latest=_month_name(latest),
            count=len(missing),
            months=_listed(missing),
        )
    ]


def _recency(
    read: Read[str] | None,
    rows: Read[list[ContributionRow]] | None,
    context: CheckContext,
    label: dict[str, str],
) -> list[Finding]:
    """The latest month at most the policy's lag before the check's month, and not after it;
    stale only when no row's month was misread (it may be a later one)."""
    if read is None or read.value is None or month_of(read.value) is None:
        return []
    lag = _month_number(f"{context.as_of:%Y-%m}") - _month_number(read.value)
    limit = context.policy.recency.contribution_lag_months
    if 0 <= lag <= limit:
        return []
    if not sure(read) or (lag > 0 and _unread_months(rows)):  # a later month misread?
        return [_retake("rows", read, context)]
    if lag < 0:
        return [
            new_finding(
                Code.DATE_IN_FUTURE,
                file=context.file,
                field="latest_month",
                evidence=read_evidence(context.file, read),
                date=read.value,
            )
        ]
    return [
        new_finding(
            Code.CONTRIBUTION_STALE,
            file=context.file,
            field="latest_month",
            evidence=read_evidence(context.file, read),
            document=label,
            latest=read.value,
            months=limit,
        )
    ]


def _arrears(
    rows: Read[list[ContributionRow]] | None, context: CheckContext, label: dict[str, str]
) -> list[Finding]:
    """Months whose row says 欠缴 (not paid)."""
    if rows is None or not rows.value:
        return []
    owed = sorted(
        {str(row["month"]) for row in rows.value if ARREARS.search(str(row.get("status") or ""))}
    )
    if not owed:
        return []
    return [
        new_finding(
            Code.CONTRIBUTION_ARREARS,
            file=context.file,
            field="rows",
            evidence=read_evidence(context.file, rows),
            document=label,
            months=_listed(owed),
        )
    ]
