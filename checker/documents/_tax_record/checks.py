"""A tax record's own checks, every problem at once: the fields read, the ID number when
printed in full, no month missing in the period, the latest month recent and not in the
future, the totals row equal to the rows added up."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from checker.documents import CheckContext
from checker.findings import field_finding, new_finding, read_evidence
from schemas.catalogue import field_label
from schemas.findings import Code, Finding, Severity
from schemas.identity import PROBLEM_REASONS, id_number_problem
from schemas.income import Uscc, is_valid
from schemas.reads import Read
from schemas.tax import TaxRecordFields

# what findings call these fields (schemas.catalogue's one table)
FIELD_LABELS = {
    name: field_label(name, "tax_record")
    for name in (
        "name",
        "id_number",
        "rows",
        "period_end",
        "total_income",
        "total_tax",
        "withholder_uscc",
    )
}
REQUIRED = ("name", "id_number", "rows")
TOTALS = {"total_income": "income", "total_tax": "tax"}
SEPARATORS = {"zh": "、", "en": ", "}


def check(fields: TaxRecordFields, context: CheckContext) -> list[Finding]:
    """Every check of one record."""
    return [
        *_required(fields, context),
        *_unread(fields, context),
        *_id_number(fields, context),
        *_gaps(fields, context),
        *_recency(fields, context),
        *_totals(fields, context),
        *_usccs(fields, context),
    ]


def _clean(read: Read[Any] | None, context: CheckContext) -> bool:
    """Read surely enough to say the document shows it: a text layer, or a confident read."""
    if read is None:
        return False
    if read.method == "text_layer":
        return True
    return (read.confidence or 0.0) >= context.policy.quality.clean_read_confidence


def _retake(field: str, read: Read[Any] | None, context: CheckContext) -> Finding:
    return field_finding(Code.RETAKE, context.file, field, read, kind="tax_record")


def _required(fields: TaxRecordFields, context: CheckContext) -> list[Finding]:
    return [
        field_finding(
            Code.FIELD_UNREADABLE, context.file, name, fields.get(name), kind="tax_record"
        )
        for name in REQUIRED
        if (read := fields.get(name)) is None or not read.value
    ]


def _unread(fields: TaxRecordFields, context: CheckContext) -> list[Finding]:
    """Lines of the table with amounts whose month was not read, or rows whose income or
    withholder was not: the table is incomplete (one finding, at the first such line)."""
    unread = fields.rows_unread
    if unread is not None and unread.value:
        return [_retake("rows", unread, context)]
    rows = fields.table()
    named = any(row.withholder for row in rows)  # the table has a withholder column
    row = next(
        (row for row in rows if row.income is None or (named and row.withholder is None)), None
    )
    if row is None or fields.rows is None:
        return []
    where = fields.rows.model_copy(update={"page": row.page, "box": row.box, "raw": None})
    return [_retake("rows", where, context)]


def _incomplete(fields: TaxRecordFields) -> bool:
    return fields.rows_unread is not None and bool(fields.rows_unread.value)


def _id_number(fields: TaxRecordFields, context: CheckContext) -> list[Finding]:
    """A number printed in full is checked (python-stdnum); a masked one is not."""
    read = fields.id_number
    if read is None or not read.value or "*" in read.value:
        return []
    problem = id_number_problem(read.value, today=context.as_of)
    if problem is None:
        return []
    if not _clean(read, context):
        return [
            new_finding(
                Code.ID_NUMBER_UNCLEAR,
                file=context.file,
                field="id_number",
                evidence=read_evidence(context.file, read),
            )
        ]
    return [
        new_finding(
            Code.ID_NUMBER_INVALID,
            file=context.file,
            field="id_number",
            evidence=read_evidence(context.file, read),
            reason=PROBLEM_REASONS[problem],
        )
    ]


def _gaps(fields: TaxRecordFields, context: CheckContext) -> list[Finding]:
    """Months of the period without any row, named; not when some rows were not read (the
    months may stand in them)."""
    missing = fields.missing_months()
    covered = fields.months_covered()
    if not missing or not covered or _incomplete(fields):
        return []
    start = fields.period_start.value if fields.period_start else None
    end = fields.period_end.value if fields.period_end else None
    return [
        new_finding(
            Code.TAX_RECORD_GAP,
            file=context.file,
            field="rows",
            evidence=read_evidence(context.file, fields.rows),
            months={lang: separator.join(missing) for lang, separator in SEPARATORS.items()},
            start=start or covered[0],
            end=end or covered[-1],
        )
    ]


def months_before(month: str, as_of_month: str) -> int:
    """How many months `month` (YYYY-MM) is before `as_of_month` (negative: after it)."""
    year, number = (int(part) for part in month.split("-"))
    as_of_year, as_of_number = (int(part) for part in as_of_month.split("-"))
    return (as_of_year - year) * 12 + as_of_number - number


def _recency(fields: TaxRecordFields, context: CheckContext) -> list[Finding]:
    """The latest month (the period's end, or the last row) within the policy's window."""
    covered = fields.months_covered()
    candidates: list[tuple[str, Read[Any] | None]] = []
    if fields.period_end is not None and fields.period_end.value:
        candidates.append((fields.period_end.value, fields.period_end))
    if covered:
        candidates.append((covered[-1], fields.rows))
    if not candidates:
        return []
    latest, read = max(candidates, key=lambda item: item[0])
    ago = months_before(latest, f"{context.as_of:%Y-%m}")
    limit = context.policy.recency.tax_record_months
    if 0 <= ago <= limit:
        return []
    if not _clean(read, context):
        return [_retake("period_end", read, context)]
    if ago < 0:
        return [
            new_finding(
                Code.DATE_IN_FUTURE,
                file=context.file,
                field="period_end",
                evidence=read_evidence(context.file, read),
                date=latest,
            )
        ]
    return [
        new_finding(
            Code.TAX_RECORD_STALE,
            file=context.file,
            field="period_end",
            evidence=read_evidence(context.file, read),
            month=latest,
            months=limit,
        )
    ]


COLUMN_WORDS = {"income": {"zh": "收入", "en": "income"}, "tax": {"zh": "税额", "en": "tax"}}


def _totals(fields: TaxRecordFields, context: CheckContext) -> list[Finding]:
    """A printed total against its rows added up: an error on a text layer, a retake on an
    unsure read or when a row's amount was not read."""
    findings = []
    rows = fields.table()
    for name, column in TOTALS.items():
        total = fields.get(name)
        if total is None or not rows:
            continue
        amounts = [getattr(row, column) for row in rows]
        if total.value is None or None in amounts:
            findings.append(_retake(name, total, context))
            continue
        expected = sum((Decimal(value) for value in amounts), Decimal(0))
        if expected == Decimal(str(total.value)):
            continue
        sure = _clean(total, context) and all(_clean_row(row.confidence, context) for row in rows)
        if not sure or total.method != "text_layer" or _incomplete(fields):
            findings.append(_retake(name, total, context))
            continue
        findings.append(
            new_finding(
                Code.TAX_RECORD_TOTALS_MISMATCH,
                file=context.file,
                field=name,
                severity=Severity.ERROR,
                evidence=read_evidence(context.file, total),
                column=COLUMN_WORDS[column],
                shown=str(total.value),
                expected=str(expected),
            )
        )
    return findings


def _clean_row(confidence: float, context: CheckContext) -> bool:
    return confidence >= context.policy.quality.clean_read_confidence


def _usccs(fields: TaxRecordFields, context: CheckContext) -> list[Finding]:
    """Each withholder's printed USCC that fails its check (python-stdnum), once: invalid
    on a text layer, a retake otherwise."""
    findings: list[Finding] = []
    seen: set[str] = set()
    for row in fields.table():
        code = row.withholder_uscc
        if code is None or code in seen or is_valid(Uscc, code):
            continue
        seen.add(code)
        where = Read[str](
            value=code,
            page=row.page,
            box=row.cells.get("withholder_uscc", row.box),
            raw=code,
            confidence=row.confidence,
            method=fields.rows.method if fields.rows else None,
        )
        if where.method != "text_layer":
            findings.append(_retake("withholder_uscc", where, context))
            continue
        findings.append(
            new_finding(
                Code.USCC_INVALID,
                file=context.file,
                field="rows",
                evidence=read_evidence(context.file, where),
                uscc=code,
            )
        )
    return findings
