"""Who the application is about, and the rules held to it: the identity document's holder
(`applicant_of`), every document's name and ID number against theirs, the applicant's age,
and the ID card's validity period against the holder's age."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from stdnum.cn import ric

from checker.documents.cn_id_back import validity_fits_age
from checker.fields import FIELD_LABELS
from checker.findings import new_finding
from checker.glyphs import Shown
from checker.labels import KIND_LABELS
from checker.parse import parse_date
from checker.policy import Policy
from checker.rules.documents import has_quality_error
from checker.rules.values import NONE, Agreement, compare, date, evidence, text
from schemas.findings import Code, Finding
from schemas.identity import expected_validity_years
from schemas.report import DocumentReport, FieldValue

# where each kind carries the applicant's name and ID number
NAME_FIELDS = {
    "income_certificate": "employee_name",
    "employment_certificate": "employee_name",
    "payslip": "employee_name",
    "bank_statement": "account_holder",
}
ID_NUMBER_FIELDS = {"income_certificate": "id_number", "employment_certificate": "id_number"}

# Does the document's image, at the field's box, show the field's value (FIRST) or the given
# text (SECOND)? Supplied by the pipeline, which holds the images.
Judge = Callable[[DocumentReport, FieldValue, str], Shown]


@dataclass(frozen=True)
class Applicant:
    """Who the application is about, as the identity document says."""

    name: FieldValue | None
    id_number: FieldValue | None
    birth_date: dt.date | None
    source: str  # the file the identity was read from
    source_kind: str = "cn_id_front"  # its kind: cn_id_front or passport


def applicant_of(documents: list[DocumentReport], *, clean: float = 1.0) -> Applicant | None:
    """The applicant from the ID card front, else from the passport (or an ID card with a
    machine-readable zone: its fields are the passport's).

    The card's name is the one other documents must show only when it was read cleanly (at
    least `clean` sure, on an image that passed the quality gate): a name guessed from a
    blurred photo would call every other document someone else's. The card's own findings
    already say what to fix."""
    for document in documents:
        if document.kind == "cn_id_front":
            number = document.fields.get("id_number")
            birth = date(document.fields.get("birth_date"))
            if birth is None and text(number) and ric.is_valid(text(number) or ""):
                birth = ric.get_birth_date(text(number) or "")
            name = document.fields.get("name")
            if name is not None and (has_quality_error(document) or _unsure(name, clean)):
                name = None
            return Applicant(name, number, birth, document.file)
    for document in documents:
        if document.kind in ("passport", "mrz_id_card"):
            surname = text(document.fields.get("surname")) or ""
            given = text(document.fields.get("given_names")) or ""
            name = FieldValue(value=f"{surname} {given}".strip(), confidence=1.0)
            birth_field = document.fields.get("birth_date")
            birth = parse_date(str(birth_field.value)) if birth_field else None
            return Applicant(name, None, birth, document.file, "passport")
    return None


def _unsure(field: FieldValue, clean: float) -> bool:
    return field.confidence is not None and field.confidence < clean


def _disagreements(
    documents: list[DocumentReport], fields_by_kind: dict[str, str], expected: str, clean: float
) -> Iterator[tuple[DocumentReport, str, FieldValue, Agreement]]:
    """Each document whose field (by its kind) disagrees with `expected`, and how."""
    for document in documents:
        name = fields_by_kind.get(document.kind, "")
        field = document.fields.get(name)
        if field is None:
            continue
        agreement = compare(field, expected, clean=clean)
        if agreement in (Agreement.MISREAD, Agreement.DIFFERENT):
            yield document, name, field, agreement


def name_findings(
    documents: list[DocumentReport],
    applicant: Applicant,
    *,
    clean: float,
    judge: Judge | None = None,
) -> list[Finding]:
    """Every document's name against the identity document's; `judge` looks at the images
    where a near miss was read unsurely."""
    expected = text(applicant.name)
    if expected is None:
        return []
    findings = []
    for document, name, field, agreement in _disagreements(documents, NAME_FIELDS, expected, clean):
        if agreement is Agreement.MISREAD and judge is not None:
            agreement = _judged(documents, document, field, applicant, judge)
        if agreement is Agreement.SAME:
            continue
        if agreement is Agreement.MISREAD:
            code = Code.NAME_LIKELY_MISREAD
        elif document.kind == "bank_statement":
            code = Code.HOLDER_MISMATCH
        else:
            code = Code.NAME_MISMATCH
        findings.append(
            new_finding(
                code,
                file=document.file,
                field=name,
                evidence=evidence(document, field),
                document=KIND_LABELS[document.kind],
                found=text(field),
                expected=expected,
                source=KIND_LABELS[applicant.source_kind],
            )
        )
    return findings


def _judged(
    documents: list[DocumentReport],
    document: DocumentReport,
    field: FieldValue,
    applicant: Applicant,
    judge: Judge,
) -> Agreement:
    """A near miss on an unsure read, settled by the shapes of the characters where both
    images are clear about it: the document shows the ID card's name (a misread), or it shows
    its own and the ID card shows the ID card's (two different names)."""
    read, expected = text(field), text(applicant.name)
    assert read is not None and expected is not None and applicant.name is not None
    here = judge(document, field, expected)
    if here is Shown.SECOND:
        return Agreement.SAME
    card = next(
        (d for d in documents if d.file == applicant.source and d.kind == "cn_id_front"), None
    )
    card_agrees = card is not None and judge(card, applicant.name, read) is Shown.FIRST
    return Agreement.DIFFERENT if here is Shown.FIRST and card_agrees else Agreement.MISREAD


def id_number_findings(
    documents: list[DocumentReport], applicant: Applicant, *, clean: float
) -> list[Finding]:
    """ID numbers printed on other documents against the ID card's."""
    expected = text(applicant.id_number)
    if expected is None:
        return []
    codes = {Agreement.DIFFERENT: Code.ID_NUMBER_MISMATCH, Agreement.MISREAD: Code.RETAKE}
    return [
        new_finding(
            codes[agreement],
            file=document.file,
            field=name,
            evidence=evidence(document, field),
            document=KIND_LABELS[document.kind],
            label=FIELD_LABELS["id_number"],
            found=text(field),
            expected=expected,
            source=KIND_LABELS[applicant.source_kind],
        )
        for document, name, field, agreement in _disagreements(
            documents, ID_NUMBER_FIELDS, expected, clean
        )
    ]


def age_findings(applicant: Applicant, *, policy: Policy, as_of: dt.date) -> list[Finding]:
    """The applicant's age at `as_of` within the policy's range."""
    if applicant.birth_date is None:
        return []
    birth = applicant.birth_date
    age = as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
    limits = policy.applicant
    if limits.min_age <= age <= limits.max_age:
        return []
    return [
        new_finding(
            Code.AGE_OUT_OF_RANGE,
            file=applicant.source,
            field="birth_date",
            source=KIND_LABELS[applicant.source_kind],
            age=age,
            min_age=limits.min_age,
            max_age=limits.max_age,
        )
    ]


def validity_findings(documents: list[DocumentReport]) -> list[Finding]:
    """The card's validity period against the holder's age when it was issued (both sides)."""
    front = next((doc for doc in documents if doc.kind == "cn_id_front"), None)
    back = next((doc for doc in documents if doc.kind == "cn_id_back"), None)
    if front is None or back is None:
        return []
    birth = date(front.fields.get("birth_date"))
    valid_from = date(back.fields.get("valid_from"))
    valid_until = date(back.fields.get("valid_until"))
    long_term = bool(back.fields.get("long_term", NONE).value)
    if birth is None or valid_from is None or (valid_until is None and not long_term):
        return []
    if validity_fits_age(birth, valid_from, valid_until):
        return []
    expected = expected_validity_years(birth, valid_from)
    years = None if valid_until is None else valid_until.year - valid_from.year
    return [
        new_finding(
            Code.ID_VALIDITY_UNUSUAL,
            file=back.file,
            field="valid_until",
            years=_validity_words(years),
            expected=_validity_words(expected),
        )
    ]


def _validity_words(years: int | None) -> dict[str, str]:
    """A validity period in words: `10 年` / `10 years`, None for long-term (长期)."""
    if years is None:
        return {"zh": "长期", "en": "long-term"}
    return {"zh": f"{years} 年", "en": f"{years} years"}
