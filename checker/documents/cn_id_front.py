"""Resident ID card, front (居民身份证 人像面): name, sex, ethnicity, birth date, address, number.

The card is read by its labels first (`_cn_id_labels`). A field that fails its own check
there is taken from the card read by its layout (`_cn_id_front_layout`: the fields at fixed
places from the 18-digit number, crops read again, the second reader for what is still
unread); the values are parsed in `_cn_id_front_parse`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from checker.document import Page, Reading
from checker.documents import CheckContext, Content
from checker.documents._cn_id import (
    CLEAN_CONFIDENCE,
    chinese_only,
    first_page,
    is_clean,
    label_score,
    normal,
    page_reading,
    read_by_second_reader,
)
from checker.documents._cn_id_front_layout import Front, missing
from checker.documents._cn_id_front_parse import (
    ETHNICITIES,
    LABELS,
    numbers_in,
    parse_address,
    parse_birth,
    parse_name,
)
from checker.documents._cn_id_labels import card_rows, front_matches
from checker.documents._cn_id_labels import field as labelled_value
from checker.fields import id_number_notes
from checker.findings import field_finding, new_finding, read_evidence
from schemas.findings import Code, Finding
from schemas.identity import (
    PROBLEM_REASONS,
    CnIdFrontFields,
    IdNumberKind,
    id_birth_date,
    id_number_kind,
    id_number_problem,
    id_sex,
    normalise_id_number,
)
from schemas.kinds import DocumentKind
from schemas.reads import Read, Reads

KIND = DocumentKind.CN_ID_FRONT
FIELDS = CnIdFrontFields
FIELD_NAMES = ("name", "sex", "ethnicity", "birth_date", "address", "id_number")


def detect(content: Content) -> float:
    """High when the card's labels and an 18-character number are on the first page."""
    if not content.readings:
        return 0.0
    text = content.readings[0].text
    score = 0.6 * label_score(text, LABELS)
    if any(id_number_kind(number) == IdNumberKind.RESIDENT for number in numbers_in(text)):
        score += 0.4  # a residence permit's number: the permit's front, which has no 民族
    if any(word in normal(text) for word in ("签发机关", "有效期限", "PASSPORT", "护照")):
        score -= 0.3
    return round(max(0.0, min(1.0, score)), 3)


# --- extraction ------------------------------------------------------------------------------


def _read_fields(content: Content) -> Reads:
    """The six fields of the front; a field not read has value None (method "missing").

    The card is read by its labels from the second reader's page reading first
    (`_cn_id_labels`); tesseract's pipeline is asked only when a field fails its own check
    there, and its value taken where it passes and the labelled one does not.
    """
    found = first_page(content)
    if found is None:
        return {name: missing(1) for name in FIELD_NAMES}
    reading, page = found
    front = Front(content, reading, page)
    fields = _labelled_fields(content, reading, page, front)
    if not all(_labelled_passes(name, fields) for name in FIELD_NAMES):
        layout_reading = page_reading(content, reading, page)
        if layout_reading is not reading:
            front = Front(content, layout_reading, page)
        fallback = front.extract()
        number = fields.get("id_number")
        if not _labelled_passes("id_number", fields) or number is None:
            number = fallback["id_number"]
        fields["id_number"] = number
        for name in FIELD_NAMES:
            if name != "id_number" and not _labelled_passes(name, fields):
                fields[name] = _either(name, fields.get(name), fallback[name], number)
    return {name: fields.get(name) or missing(reading.page) for name in FIELD_NAMES}


def _labelled_fields(content: Content, reading: Reading, page: Page | None, front: Front) -> Reads:
    """The fields found after their labels in the second reader's rows of the card; the
    number confirmed where tesseract's page reading, or a digits-only crop of it, gives the
    same."""
    rows = card_rows(content, reading, page)
    if not rows:
        return {}
    parsers: dict[str, Callable[[str], object]] = {
        "name": parse_name,
        "sex": lambda text: text,
        "ethnicity": _labelled_ethnicity,
        "birth_date": parse_birth,
        "address": parse_address,
        "id_number": lambda text: normalise_id_number(text.replace("×", "X")),
    }
    fields = {}
    for name, match in front_matches(rows).items():
        parsed = parsers[name](match.text)
        if parsed is not None:
            fields[name] = labelled_value(parsed, match, reading.page)
    number = fields.get("id_number")
    page_number = front.number_value()
    confirms = not read_by_second_reader(content, reading)
    if number is not None and confirms and number.value == page_number.value:
        confidence = max(number.confidence or 0, page_number.confidence or 0)
        fields["id_number"] = number.model_copy(
            update={"method": "ocr_confirmed", "confidence": confidence}
        )
    elif number is not None and id_number_problem(number.value or "") is not None:
        fields["id_number"] = front.confirm_number(number)
    return fields


def _labelled_ethnicity(text: str) -> str | None:
    """The ethnicity at the start of the text after 民族."""
    text = chinese_only(text)
    return next((text[:size] for size in (4, 3, 2, 1) if text[:size] in ETHNICITIES), None)


def _labelled_passes(name: str, fields: Reads) -> bool:
    """Read surely and, for the birth date and sex, agreeing with a valid number; the number
    valid, or its invalid value confirmed by tesseract's reading."""
    found = fields.get(name)
    if found is None or not is_clean(found):
        return False
    number = fields.get("id_number")
    valid = number.value if number and number.value else None
    if valid is not None and id_number_problem(valid) is not None:
        valid = None
    if name == "id_number":
        return valid is not None or found.method == "ocr_confirmed"
    if name == "birth_date" and valid:
        return bool(found.value == id_birth_date(valid))
    if name == "sex" and valid:
        return bool(found.value == id_sex(valid))
    return True


def _either(
    name: str, labelled: Read[Any] | None, fallback: Read[Any], number: Read[Any]
) -> Read[Any]:
    """tesseract's value where it passes the field's check and the labelled one does not;
    else the labelled one when read (a sure value that disagrees with the number stays, to
    be reported), else tesseract's."""
    passes = _labelled_passes(name, {name: fallback, "id_number": number})
    if passes or labelled is None or labelled.value is None:
        return fallback
    return labelled


def second_read(content: Content, field: str) -> Read[Any] | None:
    """`field` of the first page as the second reader reads it where tesseract failed it
    (`SECOND_READ_FIELDS`): the card found from the page reading, a birth date or sex held to
    the number read there. None when the crops do not agree (or there is no second reader)."""
    found = first_page(content)
    if found is None or content.second_reader is None:
        return None
    front = Front(content, *found)
    front.fields["id_number"] = front.number_value()
    return front.second_read(field)


# --- checks ----------------------------------------------------------------------------------


def _check_reads(fields: Reads, context: CheckContext) -> list[Finding]:
    """Number (format, check digit, date, region), birth date and sex against it, readability."""
    file = context.file
    findings = []
    for name in ("name", "sex", "ethnicity", "birth_date", "address"):
        field = fields.get(name)
        if field is None or field.value is None:
            findings.append(field_finding(Code.FIELD_UNREADABLE, file, name, field, kind=KIND))
    findings += _number_findings(fields.get("id_number"), file, context.as_of)
    number = fields.get("id_number")
    if number is not None and number.value and id_number_problem(number.value) is None:
        findings += _agreement_findings(fields, number, file)
    return findings


def _number_findings(number: Read[Any] | None, file: str, as_of: dt.date) -> list[Finding]:
    if number is None or not number.value:
        return [
            new_finding(
                Code.ID_NUMBER_UNCLEAR,
                file=file,
                field="id_number",
                evidence=read_evidence(file, number),
            )
        ]
    problem = id_number_problem(number.value, today=as_of)
    if problem is not None:
        if is_clean(number) and number.method in ("ocr_confirmed", "text_layer"):
            return [
                new_finding(
                    Code.ID_NUMBER_INVALID,
                    file=file,
                    field="id_number",
                    evidence=read_evidence(file, number),
                    reason=PROBLEM_REASONS[problem],
                )
            ]
        return [
            new_finding(
                Code.ID_NUMBER_UNCLEAR,
                file=file,
                field="id_number",
                evidence=read_evidence(file, number),
            )
        ]
    return id_number_notes(
        number.value, as_of=as_of, file=file, evidence=read_evidence(file, number)
    )


SEX_WORDS = {"男": {"zh": "男", "en": "male"}, "女": {"zh": "女", "en": "female"}}


def _in_words(name: str, value: object) -> str | dict[str, str]:
    """A value for a message: a sex in the reader's language, a date as written (ISO)."""
    if name == "sex" and str(value) in SEX_WORDS:
        return SEX_WORDS[str(value)]
    return str(value)


def _agreement_findings(fields: Reads, number: Read[Any], file: str) -> list[Finding]:
    """Printed birth date and sex against the ones the number encodes."""
    findings = []
    pairs = (
        ("birth_date", id_birth_date(number.value or ""), Code.ID_BIRTH_DATE_MISMATCH),
        ("sex", id_sex(number.value or ""), Code.ID_SEX_MISMATCH),
    )
    for name, from_number, code in pairs:
        printed = fields.get(name)
        if printed is None or printed.value is None or from_number is None:
            continue
        if printed.value == from_number:
            continue
        if is_clean(printed, CLEAN_CONFIDENCE):
            findings.append(
                new_finding(
                    code,
                    file=file,
                    field=name,
                    evidence=read_evidence(file, printed),
                    printed=_in_words(name, printed.value),
                    from_number=_in_words(name, from_number),
                )
            )
        else:
            findings.append(field_finding(Code.RETAKE, file, name, printed, kind=KIND))
    return findings


def extract(content: Content) -> CnIdFrontFields:
    """The fields of the kind, each with where and how it was read."""
    return FIELDS.of(_read_fields(content))


def check(fields: CnIdFrontFields, context: CheckContext) -> list[Finding]:
    """The checks of the kind on its fields."""
    return _check_reads(fields.reads(), context)
