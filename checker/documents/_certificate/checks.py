"""A certificate's checks, every problem at once: the required fields read, the amount in
words against the figures, monthly against annual income, the seal there and on the
signature, the dates, the USCC and the phone."""

from __future__ import annotations

from decimal import Decimal

from checker.document import Box
from checker.documents import CheckContext
from checker.documents._certificate.fields import (
    CLEAR,
    CONFIRMED,
    REQUIRED,
    USCC_SHAPE,
)
from checker.findings import field_finding, new_finding, read_evidence
from checker.parse import parse_date, parse_money
from checker.reading.seal import overlaps
from schemas.findings import Code, Evidence, Finding, Severity
from schemas.reads import Reads


def check(fields: Reads, context: CheckContext) -> list[Finding]:
    """Every certificate check; all problems at once."""
    findings = [
        *_required(fields, context),
        *_words(fields, context),
        *_annual(fields, context),
        *_seal(fields, context),
        *_seal_place(fields, context),
        *_dates(fields, context),
        *_uscc(fields, context),
        *_phone(fields, context),
    ]
    return findings


def _retake(
    fields: Reads,
    field: str,
    context: CheckContext,
    severity: Severity | None = None,
) -> Finding:
    return field_finding(Code.RETAKE, context.file, field, fields.get(field), severity=severity)


def _value(fields: Reads, field: str) -> object:
    value = fields.get(field)
    return None if value is None else value.value


def _required(fields: Reads, context: CheckContext) -> list[Finding]:
    return [
        field_finding(Code.FIELD_UNREADABLE, context.file, field, fields.get(field))
        for field in REQUIRED
        if _value(fields, field) is None
    ]


def _words(fields: Reads, context: CheckContext) -> list[Finding]:
    """Figures vs words: an error only when both were read with confidence, else a warning
    that names the words. Words that match the annual figures are the annual amount's."""
    words_field = fields.get("income_in_words")
    if words_field is None or words_field.value is None:
        return []  # no words read: the figures stand on their own
    words = parse_money(str(words_field.value))
    amounts = {
        name: parse_money(str(_value(fields, name) or ""))
        for name in ("monthly_income", "annual_income")
    }
    if words is not None and words in amounts.values():
        return []
    name = "monthly_income" if amounts["monthly_income"] is not None else "annual_income"
    figures = amounts[name]
    if figures is None:
        return []
    sure = (words_field.confidence or 0.0) >= CONFIRMED and (
        fields[name].confidence or 0.0
    ) >= CLEAR
    if words is None or not sure:
        return [_retake(fields, "income_in_words", context, severity=Severity.WARNING)]
    return [
        new_finding(
            Code.INCOME_WORDS_MISMATCH,
            file=context.file,
            field="income_in_words",
            evidence=read_evidence(context.file, fields.get("income_in_words")),
            document={"zh": "证明", "en": "certificate"},
            figures=str(figures),
            words=str(words_field.value),
        )
    ]


def _annual(fields: Reads, context: CheckContext) -> list[Finding]:
    monthly = parse_money(str(_value(fields, "monthly_income") or ""))
    annual = parse_money(str(_value(fields, "annual_income") or ""))
    if not monthly or annual is None:
        return []
    tolerance = Decimal(str(context.policy.tolerances.annual_vs_monthly))
    if abs(annual - 12 * monthly) <= tolerance * 12 * monthly:
        return []
    return [
        new_finding(
            Code.INCOME_ANNUAL_MISMATCH,
            file=context.file,
            field="annual_income",
            evidence=read_evidence(context.file, fields.get("annual_income")),
            monthly=str(monthly),
            annual=str(annual),
        )
    ]


def _seal(fields: Reads, context: CheckContext) -> list[Finding]:
    """No red seal on a colour page is an error; a page that cannot show red is said so."""
    seal = fields.get("has_seal")
    if seal is None or seal.value is True:
        return []
    if seal.value is False:
        return [
            new_finding(
                Code.SEAL_MISSING,
                file=context.file,
                field="has_seal",
                evidence=Evidence(file=context.file, page=seal.page),
            )
        ]
    # greyscale copy or a text-layer PDF: the seal could not be checked
    reason = (
        {"zh": "黑白复印件看不出红色", "en": "a greyscale copy shows no red"}
        if seal.method in ("image", "render")
        else {"zh": "文件中没有页面图像", "en": "the file has no page image"}
    )
    return [
        new_finding(
            Code.SEAL_UNVERIFIED,
            file=context.file,
            field="has_seal",
            evidence=Evidence(file=context.file, page=seal.page, box=seal.box),
            reason=reason,
        )
    ]


def _seal_place(fields: Reads, context: CheckContext) -> list[Finding]:
    """A red seal found away from the issuer's name and the issue date (`signature_block`):
    only where both boxes are known, since a signature not read is no evidence of a seal
    out of place."""
    seal, block = _box(fields, "seal_box"), _box(fields, "signature_box")
    if _value(fields, "has_seal") is not True or seal is None or block is None:
        return []
    if overlaps(seal, block):
        return []
    return [
        new_finding(
            Code.SEAL_MISPLACED,
            file=context.file,
            field="has_seal",
            evidence=Evidence(file=context.file, page=fields["has_seal"].page, box=seal),
        )
    ]


def _box(fields: Reads, field: str) -> Box | None:
    """A field's value as a page box, or None when it holds none."""
    value = _value(fields, field)
    if not isinstance(value, tuple | list) or len(value) != 4:
        return None
    left, top, right, bottom = (int(number) for number in value)
    return left, top, right, bottom


def _dates(fields: Reads, context: CheckContext) -> list[Finding]:
    """Dates not in the future, the issue date within the policy's window; a date that fails
    on an unsure read asks for a clearer copy instead."""
    findings = []
    days = context.policy.recency.certificate_days
    for field in ("employed_since", "issue_date"):
        date = parse_date(str(_value(fields, field) or ""))
        if date is None:
            continue
        future = date > context.as_of
        stale = field == "issue_date" and not future and (context.as_of - date).days > days
        if not (future or stale):
            continue
        if (fields[field].confidence or 0.0) < CLEAR:
            findings.append(_retake(fields, field, context))
        elif future:
            findings.append(
                new_finding(
                    Code.DATE_IN_FUTURE,
                    file=context.file,
                    field=field,
                    evidence=read_evidence(context.file, fields.get(field)),
                    date=date.isoformat(),
                )
            )
        else:
            findings.append(
                new_finding(
                    Code.CERTIFICATE_STALE,
                    file=context.file,
                    field=field,
                    evidence=read_evidence(context.file, fields.get(field)),
                    issue_date=date.isoformat(),
                    days=days,
                )
            )
    return findings


def _uscc(fields: Reads, context: CheckContext) -> list[Finding]:
    """A printed USCC that fails its check: invalid on a clean read, a retake otherwise."""
    field = fields.get("employer_uscc")
    if field is None or field.value is not None or not field.raw:
        return []
    if (field.confidence or 0.0) < CLEAR or not USCC_SHAPE.fullmatch(field.raw):
        return [_retake(fields, "employer_uscc", context)]
    return [
        new_finding(
            Code.USCC_INVALID,
            file=context.file,
            field="employer_uscc",
            evidence=read_evidence(context.file, fields.get("employer_uscc")),
            uscc=field.raw,
        )
    ]


def _phone(fields: Reads, context: CheckContext) -> list[Finding]:
    field = fields.get("contact_phone")
    if field is None or field.value is not None or not field.raw:
        return []
    if (field.confidence or 0.0) < CLEAR:
        return [_retake(fields, "contact_phone", context, severity=Severity.WARNING)]
    return [
        new_finding(
            Code.PHONE_INVALID,
            file=context.file,
            field="contact_phone",
            evidence=read_evidence(context.file, fields.get("contact_phone")),
            phone=field.raw,
        )
    ]
