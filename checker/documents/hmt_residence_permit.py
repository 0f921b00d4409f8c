"""Hong Kong / Macao / Taiwan residents' residence permit, front (港澳台居民居住证 人像面).

The resident ID card's front without 民族, the number beginning 810000 (Hong Kong), 820000
(Macao) or 830000 (Taiwan). Read by its labels as the ID card's front is
(`_cn_id_labels.front_matches`), the number confirmed by a digits-only crop; checked as the
ID card's front is (number valid, printed birth date and sex agreeing with it), and the
number held to the permit's kind: a resident ID number printed on a permit is an error.
The back is a kind of its own (`hmt_residence_permit_back`), as the ID card's is: the
holder's identity is on the front only.
"""

from __future__ import annotations

import re
from typing import Any

from checker.documents import CheckContext, Content
from checker.documents._cn_id import label_score
from checker.documents._cn_id_front_parse import (
    numbers_in,
    parse_address,
    parse_birth,
    parse_name,
)
from checker.documents._cn_id_labels import field, front_matches
from checker.documents._permits import (
    card_lines,
    confirmed_number,
    missing,
    number_findings,
    text_of,
    unreadable,
)
from checker.documents.cn_id_front import _agreement_findings
from checker.labelled import Row
from schemas.catalogue import field_label
from schemas.findings import Finding
from schemas.identity import (
    IdNumberKind,
    id_number_kind,
    id_number_problem,
    normalise_id_number,
)
from schemas.kinds import DocumentKind
from schemas.permits import HmtResidencePermitFields
from schemas.reads import Read, Reads

KIND = DocumentKind.HMT_RESIDENCE_PERMIT
FIELDS = HmtResidencePermitFields
LABELS = ("姓名", "性别", "出生", "住址", "公民身份号码")
# what findings call these fields (schemas.catalogue's one table)
FIELD_LABELS = {
    name: field_label(name)
    for name in (
        "name",
        "sex",
        "birth_date",
        "address",
    )
}
_PRINTED_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
OTHER_CARDS = ("民族", "签发机关", "有效期限", "国籍", "NATIONALITY", "PASSPORT", "护照")


def detect(content: Content) -> float:
    """High when the front's labels and a permit's number (810000/820000/830000…) are on the
    first page, and no 民族 (a resident ID card's front) nor another card's labels."""
    text = text_of(content)
    if not text:
        return 0.0
    score = 0.5 * label_score(text, LABELS)
    kinds = {id_number_kind(number) for number in numbers_in(content.readings[0].text)}
    if IdNumberKind.HMT_PERMIT in kinds:
        score += 0.5
    elif kinds and "民族" not in text:
        score += 0.2  # another number on a front without 民族: a permit misprinted, maybe
    if any(word in text for word in OTHER_CARDS):
        score -= 0.4
    return round(max(0.0, min(1.0, score)), 3)


def _read_fields(content: Content) -> Reads:
    found = card_lines(content)
    if found is None:
        return {name: missing(1) for name in (*FIELD_LABELS, "id_number")}
    rows, reading, page = found
    parsers: dict[str, Any] = {
        "name": parse_name,
        "sex": lambda text: text[:1] if text[:1] in ("男", "女") else None,
        "birth_date": parse_birth,
        "address": parse_address,
        "id_number": lambda text: normalise_id_number(text.replace("×", "X")),
    }
    fields: Reads = {}
    for name, match in front_matches(rows).items():
        if name in parsers and (parsed := parsers[name](match.text)) is not None:
            fields[name] = field(parsed, match, reading.page)
    if "birth_date" not in fields and (birth := _printed_birth(rows, reading.page)):
        fields["birth_date"] = birth
    if "id_number" in fields:
        fields["id_number"] = confirmed_number(content, reading, page, fields["id_number"])
    return {
        name: fields.get(name) or missing(reading.page) for name in (*FIELD_LABELS, "id_number")
    }


def _printed_birth(rows: list[Row], page: int) -> Read[Any] | None:
    """The date printed with 年, 月 and 日 on the row labelled 出生, where the labelled
    reading failed it (a stray mark read between the label and the year)."""
    for row in rows:
        if "出生" not in row.text:
            continue
        dates = list(_PRINTED_DATE.finditer(row.text))
        parsed = parse_birth(dates[-1].group()) if dates else None
        if parsed is not None:
            return field(parsed, row.words_of(dates[-1].start(), dates[-1].end()), page)
    return None


def extract(content: Content) -> HmtResidencePermitFields:
    """The front's five fields, each with where and how it was read."""
    return FIELDS.of(_read_fields(content))


def check(fields: HmtResidencePermitFields, context: CheckContext) -> list[Finding]:
    """Fields read; the number valid and a permit's; birth date and sex agreeing with it."""
    reads = fields.reads()
    findings = unreadable(reads, FIELD_LABELS, context.file)
    number = reads.get("id_number")
    findings += number_findings(number, IdNumberKind.HMT_PERMIT, FIELDS.LABEL, context)
    if number is not None and number.value and id_number_problem(number.value) is None:
        findings += _agreement_findings(reads, number, context.file)
    return findings
