"""Hong Kong / Macao / Taiwan residents' residence permit, back (港澳台居民居住证 国徽面).

The title 中华人民共和国 港澳台居民居住证, 签发机关 (a city bureau's branch), 有效期限 (five
years, `2021.03.01-2026.03.01`), 通行证号码 (the holder's travel permit: H or M and 8 digits
for Hong Kong and Macao residents, 8 digits for Taiwan residents) and 签发次数. The authority
and the period are read and checked as the resident ID card's back's
(`_cn_id_labels.back_matches`, `cn_id_back.check`: expired is an error, expiring a warning);
the travel permit number and the issue count by their labels (`labels/…_back.yaml`).
"""

from __future__ import annotations

import re
from functools import cache

from checker.documents import CheckContext, Content
from checker.documents._cn_id import label_score
from checker.documents._cn_id_labels import back_matches, field
from checker.documents._permit_rows import Labels, find_fields
from checker.documents._permits import (
    card_lines,
    missing,
    parse_authority,
    parse_period,
    period_fields,
    text_of,
    unreadable,
    validity_findings,
)
from checker.documents.cn_id_back import parse_validity
from schemas.catalogue import field_label
from schemas.findings import Finding
from schemas.kinds import DocumentKind
from schemas.permits import HmtResidencePermitBackFields
from schemas.reads import Reads

KIND = DocumentKind.HMT_RESIDENCE_PERMIT_BACK
FIELDS = HmtResidencePermitBackFields
LABELS = ("港澳台居民居住证", "签发机关", "有效期限", "通行证号码", "签发次数")
# what findings call these fields (schemas.catalogue's one table)
FIELD_LABELS = {
    name: field_label(name)
    for name in (
        "pass_number",
        "issue_count",
    )
}
# what its expiry findings call the permit (the kind's label names one side)
CARD = {"zh": "港澳台居民居住证", "en": "Hong Kong, Macao or Taiwan residence permit"}
NAMES = ("issuing_authority", "valid_from", "valid_until", "pass_number", "issue_count")


def detect(content: Content) -> float:
    """High when the permit's title and the back's labels, and a period, are on the page."""
    text = text_of(content)
    if not text:
        return 0.0
    score = 0.6 * label_score(text, LABELS)
    if "居住证" not in text and "通行证" not in text:
        score = min(score, 0.3)  # the resident ID card's back shares the other labels
    if parse_validity(text):
        score += 0.4
    if any(word in text for word in ("公民身份号码", "姓名", "永久居留")):
        score -= 0.4
    return round(max(0.0, min(1.0, score)), 3)


def parse_pass_number(text: str) -> str | None:
    """H or M and 8 digits (港澳居民来往内地通行证), or 8 digits (台湾居民来往大陆通行证)."""
    number = re.sub(r"\s", "", text).upper()
    return number if re.fullmatch(r"[HM]?\d{8}", number) else None


def parse_issue_count(text: str) -> str | None:
    count = re.sub(r"\s", "", text)
    return count if re.fullmatch(r"\d{1,2}", count) else None


@cache
def _labels() -> Labels:
    return Labels.load("hmt_residence_permit_back")


def _read_fields(content: Content) -> Reads:
    found = card_lines(content)
    if found is None:
        return {name: missing(1) for name in NAMES}
    rows, reading, _page = found
    page = reading.page
    fields: Reads = {}
    matches = back_matches(rows)
    authority = matches.get("issuing_authority")
    if authority is not None and (parsed := parse_authority(authority.text)) is not None:
        fields["issuing_authority"] = field(parsed, authority, page)
    period = matches.get("validity")
    parsed_period = parse_period(period.text) if period is not None else None
    period_read = None
    if period is not None and parsed_period is not None:
        period_read = field(parsed_period, period, page)
    fields |= period_fields(period_read, page)
    parsers = {"pass_number": parse_pass_number, "issue_count": parse_issue_count}
    fields |= find_fields(rows, _labels(), parsers, page)
    return {name: fields.get(name) or missing(page) for name in NAMES}


def extract(content: Content) -> HmtResidencePermitBackFields:
    """The back's fields, each with where and how it was read."""
    return FIELDS.of(_read_fields(content))


def check(fields: HmtResidencePermitBackFields, context: CheckContext) -> list[Finding]:
    """Authority and period read (the period not expired, nor expiring within the policy's
    margin), the travel permit number and issue count read."""
    reads = fields.reads()
    findings = validity_findings(reads, context, CARD)
    return findings + unreadable(reads, FIELD_LABELS, context.file)
