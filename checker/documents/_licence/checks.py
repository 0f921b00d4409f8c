"""A licence's checks, every problem at once: the required fields read, the USCC's check
character, the term of operation (营业期限) against the date, and dates not in the future.

A value that fails a check on an unsure read asks for a clearer copy (`retake`) instead of
calling the licence wrong: marking a valid licence invalid is worse than missing a defect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from checker.documents import CheckContext
from checker.documents._licence.extraction import CLEAR
from checker.documents._licence.values import USCC_SHAPE
from checker.findings import field_finding, new_finding, read_evidence
from schemas.catalogue import field_label
from schemas.findings import Code, Finding
from schemas.reads import Read, Reads

# what the findings call each field
# what findings call these fields (schemas.catalogue's one table)
FIELD_LABELS = {
    name: field_label(name, "business_licence")
    for name in (
        "uscc",
        "name",
        "type",
        "representative",
        "established",
        "valid_until",
        "issue_date",
    )
}
# a licence cannot be used without these
REQUIRED = ("uscc", "name", "type", "representative", "established")


def check(fields: Reads, context: CheckContext) -> list[Finding]:
    """Every licence check; all problems at once."""
    return [
        *_required(fields, context),
        *_uscc(fields, context),
        *_term(fields, context),
        *_future(fields, context),
    ]


def _sure(read: Read[Any]) -> bool:
    return (read.confidence or 0.0) >= CLEAR


def _retake(fields: Reads, field: str, context: CheckContext) -> Finding:
    return field_finding(
        Code.RETAKE, context.file, field, fields.get(field), kind="business_licence"
    )


def _required(fields: Reads, context: CheckContext) -> list[Finding]:
    """A required field not read, and the term when its label was read but not its dates."""
    unread = [
        field for field in REQUIRED if fields.get(field) is None or fields[field].value is None
    ]
    term = fields.get("valid_until")
    if term is not None and term.method == "unread" and "valid_until" not in unread:
        unread.append("valid_until")
    return [
        field_finding(
            Code.FIELD_UNREADABLE, context.file, field, fields.get(field), kind="business_licence"
        )
        for field in unread
        if field != "uscc" or not _uscc_misprinted(fields.get(field))
    ]


def _uscc_misprinted(read: Read[Any] | None) -> bool:
    """A code of the right shape read that fails its check character."""
    return read is not None and read.value is None and bool(USCC_SHAPE.fullmatch(read.raw or ""))


def _uscc(fields: Reads, context: CheckContext) -> list[Finding]:
    """A printed code that fails its check: invalid on a sure read, a retake otherwise."""
    read = fields.get("uscc")
    if read is None or not _uscc_misprinted(read):
        return []
    if not _sure(read):
        return [_retake(fields, "uscc", context)]
    return [
        new_finding(
            Code.USCC_INVALID,
            file=context.file,
            field="uscc",
            evidence=read_evidence(context.file, read),
            uscc=read.raw,
        )
    ]


def _term(fields: Reads, context: CheckContext) -> list[Finding]:
    """营业期限 ended (error; on an unsure read, a retake), or ending within the ID card's
    margin (`recency.id_valid_margin_days`: the licence must stay valid during review)."""
    until = fields.get("valid_until")
    if until is None or not isinstance(until.value, dt.date):
        return []
    margin = dt.timedelta(days=context.policy.recency.id_valid_margin_days)
    evidence = read_evidence(context.file, until)
    ended = until.value.isoformat()
    if until.value < context.as_of:
        if not _sure(until):
            return [_retake(fields, "valid_until", context)]
        return [
            new_finding(
                Code.LICENCE_EXPIRED,
                file=context.file,
                field="valid_until",
                evidence=evidence,
                valid_until=ended,
            )
        ]
    if until.value <= context.as_of + margin:
        return [
            new_finding(
                Code.LICENCE_EXPIRES_SOON,
                file=context.file,
                field="valid_until",
                evidence=evidence,
                valid_until=ended,
            )
        ]
    return []


def _future(fields: Reads, context: CheckContext) -> list[Finding]:
    """The establishment or issue date after `as_of`: an error when read surely."""
    findings = []
    for field in ("established", "issue_date"):
        read = fields.get(field)
        if read is None or not isinstance(read.value, dt.date) or read.value <= context.as_of:
            continue
        if not _sure(read):
            findings.append(_retake(fields, field, context))
            continue
        findings.append(
            new_finding(
                Code.DATE_IN_FUTURE,
                file=context.file,
                field=field,
                evidence=read_evidence(context.file, read),
                date=read.value.isoformat(),
            )
        )
    return findings
