"""Who the application is about, and the rules held to it: the identity document's holder
(`applicant_of`), every document's name and ID number against theirs, the applicant's age,
and the ID card's validity period against the holder's age."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import methodcaller
from typing import Any

from checker.documents.cn_id_back import validity_fits_age
from checker.findings import new_finding
from checker.labels import kind_label_pair
from checker.policy import Policy
from checker.reading.glyphs import Shown
from checker.rules.business import business_names, names_business
from checker.rules.documents import has_quality_error
from checker.rules.values import (
    Agreement,
    comparable_text,
    compare,
    compared_evidence,
    date_of,
    is_cjk,
)
from schemas.catalogue import field_label
from schemas.fields import DocumentFields, Facet
from schemas.findings import Code, Finding
from schemas.identity import CnIdBackFields, CnIdFrontFields, expected_validity_years
from schemas.reads import Read
from schemas.report import DocumentReport

# Does the document's image, at the field's box, show the field's value (FIRST) or the given
# text (SECOND)? Supplied by the pipeline, which holds the images.
Judge = Callable[[DocumentReport, Read[Any], str], Shown]


@dataclass(frozen=True)
class Applicant:
    """Who the application is about, as the identity document says."""

    name: Read[Any] | None
    id_number: Read[Any] | None
    birth_date: dt.date | None
    source: str  # the file the identity was read from
    source_kind: str  # its kind
    chinese_name: Read[Any] | None = None  # beside a Latin name (a foreigner's card)

    def name_like(self, found: Read[Any]) -> Read[Any] | None:
        """The name to hold `found` to: the Chinese one for a name in characters where the
        identity document prints both, else the main one."""
        text = comparable_text(found) or ""
        if (
            self.chinese_name is not None
            and is_cjk(text)
            and not is_cjk(comparable_text(self.name) or "")
        ):
            return self.chinese_name
        return self.name


def applicant_of(documents: list[DocumentReport], *, clean: float = 1.0) -> Applicant | None:
    """The holder of the identity document that ranks first (the ID card's front, else a
    passport or an ID card with a machine-readable zone).

    The card's name is the one other documents must show only when it was read cleanly (at
    least `clean` sure, on an image that passed the quality gate): a name guessed from a
    blurred photo would call every other document someone else's. The card's own findings
    already say what to fix."""
    identities = [doc for doc in documents if doc.fields.IDENTITY_RANK is not None]
    if not identities:
        return None
    document = min(identities, key=lambda doc: doc.fields.IDENTITY_RANK or 0)
    fields = document.fields
    name, number = fields.holder_name(), fields.holder_id_number()
    chinese = fields.holder_chinese_name()
    names = [found.read if found is not None else None for found in (name, chinese)]
    if has_quality_error(document):
        names = [None, None]
    name_read, chinese_read = (
        None if read is not None and _unsure(read, clean) else read for read in names
    )
    number_read = number.read if number is not None else None
    return Applicant(
        name_read,
        number_read,
        fields.holder_birth_date(),
        document.file,
        document.kind,
        chinese_read,
    )


def _unsure(field: Read[Any], clean: float) -> bool:
    return field.confidence is not None and field.confidence < clean


Facets = Callable[[DocumentFields], Facet[str] | None]


def _disagreements(
    documents: list[DocumentReport],
    facet_of: Facets,
    expected_for: Callable[[Read[Any]], str | None],
    clean: float,
) -> Iterator[tuple[DocumentReport, str, Read[Any], Agreement]]:
    """Each document (other than an identity document) whose facet disagrees with the value
    expected of it, and how."""
    for document in documents:
        if document.fields.IDENTITY_RANK is not None:
            continue
        found = facet_of(document.fields)
        expected = None if found is None else expected_for(found.read)
        if found is None or expected is None:
            continue
        agreement = compare(found.read, expected, clean=clean)
        if agreement in (Agreement.MISREAD, Agreement.DIFFERENT):
            yield document, found.field, found.read, agreement


def name_findings(
    documents: list[DocumentReport],
    applicant: Applicant,
    *,
    clean: float,
    judge: Judge | None = None,
) -> list[Finding]:
    """Every document's name against the identity document's; `judge` looks at the images
    where a near miss was read unsurely. A statement of the business's own account (named
    as the application's business licence names it) is no other person's."""
    if applicant.name is None:
        return []
    businesses = business_names(documents)
    findings = []
    for document, name, field, agreement in _disagreements(
        documents, methodcaller("holder_name"), _expected_name(applicant), clean
    ):
        if agreement is Agreement.MISREAD and judge is not None:
            agreement = _judged(documents, document, field, applicant, judge)
        if agreement is Agreement.SAME or names_business(str(field.value), businesses):
            continue
        expected = comparable_text(applicant.name_like(field))
        if agreement is Agreement.MISREAD:
            code = Code.NAME_LIKELY_MISREAD
        else:
            code = document.fields.HOLDER_MISMATCH
        findings.append(
            new_finding(
                code,
                file=document.file,
                field=name,
                evidence=compared_evidence(document, field),
                document=kind_label_pair(document.kind),
                found=comparable_text(field),
                expected=expected,
                source=kind_label_pair(applicant.source_kind),
            )
        )
    return findings


def _expected_name(applicant: Applicant) -> Callable[[Read[Any]], str | None]:
    return lambda found: comparable_text(applicant.name_like(found))


def _judged(
    documents: list[DocumentReport],
    document: DocumentReport,
    field: Read[Any],
    applicant: Applicant,
    judge: Judge,
) -> Agreement:
    """A near miss on an unsure read, settled by the shapes of the characters where both
    images are clear about it: the document shows the ID card's name (a misread), or it shows
    its own and the ID card shows the ID card's (two different names)."""
    card_name = applicant.name_like(field)
    read, expected = comparable_text(field), comparable_text(card_name)
    assert read is not None and expected is not None and card_name is not None
    here = judge(document, field, expected)
    if here is Shown.SECOND:
        return Agreement.SAME
    card = next(
        (d for d in documents if d.file == applicant.source and d.kind == applicant.source_kind),
        None,
    )
    card_agrees = card is not None and judge(card, card_name, read) is Shown.FIRST
    return Agreement.DIFFERENT if here is Shown.FIRST and card_agrees else Agreement.MISREAD


def id_number_findings(
    documents: list[DocumentReport], applicant: Applicant, *, clean: float
) -> list[Finding]:
    """ID numbers printed on other documents against the ID card's."""
    expected = comparable_text(applicant.id_number)
    if expected is None:
        return []
    codes = {Agreement.DIFFERENT: Code.ID_NUMBER_MISMATCH, Agreement.MISREAD: Code.RETAKE}
    return [
        new_finding(
            codes[agreement],
            file=document.file,
            field=name,
            evidence=compared_evidence(document, field),
            document=kind_label_pair(document.kind),
            label=field_label("id_number"),
            found=comparable_text(field),
            expected=expected,
            source=kind_label_pair(applicant.source_kind),
        )
        for document, name, field, agreement in _disagreements(
            documents, methodcaller("holder_id_number"), lambda _: expected, clean
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
            source=kind_label_pair(applicant.source_kind),
            age=age,
            min_age=limits.min_age,
            max_age=limits.max_age,
        )
    ]


def validity_findings(documents: list[DocumentReport]) -> list[Finding]:
    """The card's validity period against the holder's age when it was issued (both sides)."""
    front = next((doc.fields for doc in documents if isinstance(doc.fields, CnIdFrontFields)), None)
    back = next((doc for doc in documents if isinstance(doc.fields, CnIdBackFields)), None)
    if front is None or back is None or not isinstance(back.fields, CnIdBackFields):
        return []
    birth = date_of(front.birth_date)
    valid_from = date_of(back.fields.valid_from)
    valid_until = date_of(back.fields.valid_until)
    long_term = bool(back.fields.long_term and back.fields.long_term.value)
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
