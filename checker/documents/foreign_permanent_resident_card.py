"""Foreigner's permanent residence ID card, 2023 version (外国人永久居留身份证, GA 2102-2023).

One side holds everything, under labels in Chinese and English (姓名/Name, 性别/Sex,
出生日期/Date of Birth, 国籍/Nationality, 有效期限/Period of Validity, 证件号码/Card No.,
签发机关/Authority): the name in Latin letters (`SMITH, JOHN`), a Chinese name (中文姓名)
when the holder has one, the nationality as its Chinese name and three-letter code
(`美国/USA`), a period (`2023.12.01-2033.11.30`), an 18-character number beginning with 9
(its birth date at the resident number's place) and the issuer 国家移民管理局. Fields are
found by the labels in `labels/foreign_permanent_resident_card.yaml`, each value on its
label's row or the row next to it (`_permit_rows`).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from checker.documents import CheckContext, Content
from checker.documents._cn_id import label_score, normal
from checker.documents._cn_id_front_parse import numbers_in, parse_birth
from checker.documents._permit_rows import Labels, Parser, find_fields
from checker.documents._permits import (
    card_lines,
    confirmed_number,
    missing,
    number_findings,
    parse_authority,
    parse_number,
    parse_period,
    period_fields,
    text_of,
    unreadable,
    validity_findings,
)
from checker.documents.cn_id_front import _agreement_findings
from schemas.catalogue import field_label
from schemas.findings import Finding
from schemas.identity import IdNumberKind, id_number_kind, id_number_problem
from schemas.kinds import DocumentKind
from schemas.permits import ForeignPermanentResidentCardFields
from schemas.reads import Reads

KIND = DocumentKind.FOREIGN_PERMANENT_RESIDENT_CARD
FIELDS = ForeignPermanentResidentCardFields
TITLE = ("外国人永久居留", "永久居留身份证", "PERMANENTRESIDENT")
LABELS = ("姓名", "性别", "出生日期", "国籍", "有效期限", "证件号码")
# what findings call these fields (schemas.catalogue's one table)
FIELD_LABELS = {
    name: field_label(name)
    for name in (
        "name",
        "sex",
        "birth_date",
        "nationality",
    )
}
NAMES = (
    "name",
    "chinese_name",
    "sex",
    "birth_date",
    "nationality",
    "nationality_name",
    "valid_from",
    "valid_until",
    "id_number",
    "issuing_authority",
)
_LATIN_NAME = re.compile(r"([A-Z][A-Z'\-. ]*?)\s*,\s*([A-Z][A-Z'\-. ]*[A-Z.])")
_NATIONALITY = re.compile(r"(?P<name>[\u4e00-\u9fff]{1,10})?\s*[/|]?\s*(?P<code>[A-Z]{3})")
SEXES = {"男": "男", "女": "女", "M": "男", "F": "女"}


def detect(content: Content) -> float:
    """High when the card's title or its bilingual labels, and a 9… number, are on the page;
    low with a resident card's labels (民族, 住址, 公民身份号码)."""
    text = text_of(content)
    if not text:
        return 0.0
    upper = text.upper()
    score = 0.4 * label_score(text, LABELS)
    if any(word in upper for word in TITLE):
        score += 0.3
    if any(
        id_number_kind(number) == IdNumberKind.FOREIGN_PERMANENT
        for number in numbers_in(content.readings[0].text)
    ):
        score += 0.3
    if any(word in text for word in ("民族", "住址", "公民身份号码", "居住证")):
        score -= 0.4
    return round(max(0.0, min(1.0, score)), 3)


def parse_latin_name(text: str) -> str | None:
    """`SURNAME, GIVEN NAMES` in capitals, the whole of `text`, spaces made single."""
    match = _LATIN_NAME.fullmatch(" ".join(text.split()))
    return f"{match[1].strip()}, {match[2].strip()}" if match else None


def parse_chinese_name(text: str) -> str | None:
    name = normal(text)
    return name if re.fullmatch(r"[\u4e00-\u9fff·]{2,12}", name) else None


def parse_sex(text: str) -> str | None:
    """男 or 女, printed alone, with its letter (男/M) or as the letter alone; a letter that
    is no M or F after the character (a misread of it) is not held against it."""
    text = normal(text).upper()
    found = re.fullmatch(r"([男女])(?:/(.))?|([MF])", text)
    if found is None:
        return None
    if found[3]:
        return SEXES[found[3]]
    letter = SEXES.get(found[2] or "")
    return found[1] if letter in (None, found[1]) else None


def parse_nationality(text: str) -> tuple[str | None, str] | None:
    """(Chinese name or None, three-letter code)."""
    match = _NATIONALITY.fullmatch(" ".join(text.split()))
    return (match["name"], match["code"]) if match else None


def parse_birth_date(text: str) -> dt.date | None:
    """A date that is the whole of `text`."""
    return parse_birth(text) if re.fullmatch(r"[\d.\-/年月日]+", normal(text)) else None


PARSERS: dict[str, Parser] = {
    "name": parse_latin_name,
    "chinese_name": parse_chinese_name,
    "sex": parse_sex,
    "birth_date": parse_birth_date,
    "nationality": parse_nationality,
    "validity": parse_period,
    "id_number": parse_number,
    "issuing_authority": parse_authority,
}


@cache
def _labels() -> Labels:
    return Labels.load("foreign_permanent_resident_card")


def _read_fields(content: Content) -> Reads:
    found = card_lines(content)
    if found is None:
        return {name: missing(1) for name in NAMES}
    rows, reading, page = found
    fields: Reads = find_fields(rows, _labels(), PARSERS, reading.page)
    fields |= period_fields(fields.pop("validity", None), reading.page)
    nationality = fields.pop("nationality", None)
    if nationality is not None and isinstance(nationality.value, tuple):
        name, code = nationality.value
        fields["nationality"] = nationality.model_copy(update={"value": code})
        if name:
            fields["nationality_name"] = nationality.model_copy(update={"value": name})
    if "id_number" in fields:
        fields["id_number"] = confirmed_number(content, reading, page, fields["id_number"])
    return {name: fields.get(name) or missing(reading.page) for name in NAMES}


def extract(content: Content) -> ForeignPermanentResidentCardFields:
    """The card's fields, each with where and how it was read."""
    return FIELDS.of(_read_fields(content))


def check(fields: ForeignPermanentResidentCardFields, context: CheckContext) -> list[Finding]:
    """Fields read; the number valid and a foreigner's card's, its birth date the printed
    one; the period not expired nor expiring (`cn_id_back.check`, as for the ID card)."""
    reads = fields.reads()
    findings = unreadable(reads, FIELD_LABELS, context.file)
    number = reads.get("id_number")
    findings += number_findings(number, IdNumberKind.FOREIGN_PERMANENT, FIELDS.LABEL, context)
    if number is not None and number.value and id_number_problem(number.value) is None:
        birth: Reads = {"birth_date": reads["birth_date"]} if "birth_date" in reads else {}
        findings += _agreement_findings(birth, number, context.file)
    return findings + validity_findings(reads, context, FIELDS.LABEL)
