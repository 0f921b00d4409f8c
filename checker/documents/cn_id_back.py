"""Resident ID card, back (居民身份证 国徽面): issuing authority and validity period.

The validity line (`2016.01.21-2036.01.21`, or `…-长期`) is the anchor (or, when no line parses
as a period, the line with the most digits); the authority is the line above it in the same
column. A value that fails its check on the page reading (an authority not ending in 局, a
period that does not parse) is read again as a Chinese line crop. A value still unread goes to
the second reader (`second_read`), taken only where two crops of its line agree.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from checker.document import Page, Reading, Word
from checker.documents import CheckContext, Content
from checker.documents._cn_id import (
    CHINESE,
    Frame,
    Row,
    agreed_line,
    band_line,
    chinese_only,
    crops_of_line,
    first_page,
    is_clean,
    label_score,
    lines_of,
    normal,
    padded,
    page_reading,
    reread,
    value,
    words_in,
)
from checker.documents._cn_id_labels import back_matches, card_rows
from checker.documents._cn_id_labels import field as labelled_value
from checker.findings import field_finding, new_finding, read_evidence
from checker.labelled import union
from schemas.fields import Label
from schemas.findings import Code, Finding
from schemas.identity import CnIdBackFields, expected_validity_years
from schemas.kinds import DocumentKind
from schemas.reads import Read, Reads

KIND = DocumentKind.CN_ID_BACK
FIELDS = CnIdBackFields
LABELS = ("中华人民共和国", "居民身份证", "签发机关", "有效期限")
LONG_TERM = "长期"
PERMIT_WORDS = ("居住证", "通行证", "永久居留")  # titles and labels no resident ID card prints
# The authority's line in widths of the validity line, from its left edge and centre.
AUTHORITY = Row("issuing_authority", y=-0.235, x0=-0.1, x1=1.4, half_height=0.07)
_DATE = r"(\d{4})\D?(\d{2})\D?(\d{2})"
# not inside a longer run of digits: an ID number's 18 would hold two "dates"
_VALIDITY = re.compile(r"(?<!\d)" + _DATE + r"\D{0,3}?(?:" + _DATE + r"(?!\d)|(长期))")
ANCHOR_DIGITS = 8  # a line with no period read is the anchor when it has this many digits
VALIDITY_YEARS = (5, 10, 20)  # the periods a card is issued for, besides 长期
# fields read by the second reader when tesseract left them unread ("validity": the period)
SECOND_READ_FIELDS = ("validity", "issuing_authority")
# the fields read together: the authority alone, the period's three from one line
FIELD_GROUPS = {
    "issuing_authority": ("issuing_authority",),
    "valid_from": ("valid_from", "valid_until", "long_term"),
}


def detect(content: Content) -> float:
    """High when the back's title and labels, and a validity period, are on the first page."""
    if not content.readings:
        return 0.0
    text = content.readings[0].text
    score = 0.6 * label_score(text, LABELS)
    if _VALIDITY.search(normal(text)):
        score += 0.4
    if "公民身份号码" in normal(text):
        score -= 0.3
    if any(word in normal(text) for word in PERMIT_WORDS):
        score -= 0.5  # a residence permit's back, or a foreigner's card: the same labels
    return round(max(0.0, min(1.0, score)), 3)


def parse_validity(text: str) -> tuple[dt.date, dt.date | None] | None:
    """(valid_from, valid_until) from `2016.01.21-2036.01.21`; valid_until None for 长期."""
    match = _VALIDITY.search(normal(text))
    if not match:
        return None
    try:
        start = dt.date(int(match[1]), int(match[2]), int(match[3]))
        end = None if match[7] else dt.date(int(match[4]), int(match[5]), int(match[6]))
    except ValueError:
        return None
    return start, end


def _authority_ok(text: str | None) -> bool:
    return bool(text) and len(text or "") >= 4 and (text or "").endswith("局")


def _printed_authority(text: str) -> str | None:
    """An authority ending in 局, without its label 签发机关 (as the second reader reads it)."""
    authority = chinese_only(text)
    return authority if _authority_ok(authority) and "签发" not in authority else None


def _printed_period(text: str) -> tuple[dt.date, dt.date | None] | None:
    """The period when the line is nothing else and it runs as long as a card's can."""
    if not _VALIDITY.fullmatch(normal(text)):
        return None
    period = parse_validity(text)
    return period if period is not None and _card_period(*period) else None


def _card_period(start: dt.date, end: dt.date | None) -> bool:
    """Whether a period runs 5, 10 or 20 years to the day, or is 长期: what a card prints."""
    return end is None or any(_runs_years(start, end, years) for years in VALIDITY_YEARS)


def _runs_years(start: dt.date, end: dt.date, years: int) -> bool:
    """Whether `end` is `years` years after `start` to the day (from 29 February: that year)."""
    try:
        return start.replace(year=start.year + years) == end
    except ValueError:  # 29 February
        return end.year - start.year == years


def _validity_fields(
    parsed: tuple[dt.date, dt.date | None], words: list[Word], page: int, method: str
) -> Reads:
    start, end = parsed
    return {
        "valid_from": value(start, words, page=page, method=method),
        "valid_until": value(end, words, page=page, method=method),
        "long_term": value(end is None, words, page=page, method=method),
    }


def _confirmed(retry: Reads, page: Reads) -> Reads:
    """The crop's values; where the page's reading agrees, confirmed (the surer confidence)."""
    for name, again in retry.items():
        first = page.get(name)
        if first is not None and first.value == again.value:
            confidence = max(first.confidence or 0, again.confidence or 0)
            retry[name] = again.model_copy(
                update={"method": "ocr_confirmed", "confidence": confidence}
            )
    return retry


def _missing(page: int) -> Read[Any]:
    return Read(value=None, confidence=0.0, page=page, method="missing")


def _anchor(reading: Reading) -> tuple[list[Word], tuple[dt.date, dt.date | None] | None]:
    """The validity line's words (digits and 长期) and its period; when no line parses as a
    period, the words of the line with the most digits (at least ANCHOR_DIGITS) and None."""
    most: list[Word] = []
    for line in lines_of(reading.words):
        words = [w for w in line.words if re.search(r"\d|长期", w.text)]
        parsed = parse_validity(line.text)
        if parsed:
            return words, parsed
        digits = sum(char.isdigit() for word in words for char in word.text)
        if digits >= ANCHOR_DIGITS and digits > sum(c.isdigit() for w in most for c in w.text):
            most = words
    return most, None


def _frame(validity_words: list[Word]) -> Frame:
    left, top, right, bottom = union(w.box for w in validity_words)
    return Frame(left=left, middle=(top + bottom) / 2, unit=max(1, right - left))


def _read(content: Content, reading: Reading, page: Page | None) -> Reads:
    fields: Reads = {}
    validity_words, parsed = _anchor(reading)
    if not validity_words:
        return fields
    if parsed:
        fields |= _validity_fields(parsed, validity_words, reading.page, "ocr")
    frame = _frame(validity_words)
    words = [w for w in words_in(reading, frame, AUTHORITY, tolerance=0.02) if chinese_only(w.text)]
    authority = chinese_only("".join(w.text for w in words))
    if words:
        fields["issuing_authority"] = value(authority, words, page=reading.page, method="ocr")
    retry = []
    if not (_authority_ok(authority) and is_clean(fields.get("issuing_authority"))):
        retry.append(("issuing_authority", words))
    if not is_clean(fields.get("valid_from")):
        retry.append(("validity", validity_words))
    if retry and page is not None:
        _reread(content, page, frame, retry, fields)
    if content.second_reader is not None and page is not None:
        for name in SECOND_READ_FIELDS:
            if _unread(name, fields) and (found := _second_read(content, page, frame, name)):
                fields |= found
    return fields


def _unread(name: str, fields: Reads) -> bool:
    found = fields.get("valid_from" if name == "validity" else name)
    return found is None or not found.value


def _second_read(content: Content, page: Page, frame: Frame, name: str) -> Reads | None:
    """The field (for "validity" its three fields) as the second reader's crops of its line
    agree on it, or None."""
    if name == "validity":
        band = frame.box(-0.15, -0.1, 1.15, 0.1, page)
    else:
        row = AUTHORITY
        margin = row.half_height + 0.025
        band = frame.box(row.x0, row.y - margin, row.x1, row.y + margin, page)
    line = band_line(page, band, min_height=max(6, round(0.035 * frame.unit)))
    if line is None:
        return None
    parse = _printed_period if name == "validity" else _printed_authority
    found = agreed_line(content, page, crops_of_line(line, page), parse)
    if found is None or found.value is None:
        return None
    if name != "validity":
        return {name: found}
    start, end = found.value
    return {
        "valid_from": found.model_copy(update={"value": start}),
        "valid_until": found.model_copy(update={"value": end}),
        "long_term": found.model_copy(update={"value": end is None}),
    }


def _reread(
    content: Content,
    page: Page,
    frame: Frame,
    retry: list[tuple[str, list[Word]]],
    fields: Reads,
) -> None:
    boxes = []
    for _name, words in retry:
        if words:
            found = padded(union(w.box for w in words), page, pad_x=0.5, pad_y=0.3)
        else:
            row = AUTHORITY
            found = frame.box(
                row.x0, row.y - row.half_height, row.x1, row.y + row.half_height, page
            )
        boxes.append(found)
    readings = reread(content, page, boxes, CHINESE)
    for (name, _words), again in zip(retry, readings or [], strict=False):
        text = "".join(w.text for w in again.words)
        if name == "issuing_authority":
            authority = chinese_only(text)
            current = fields.get(name)
            if _authority_ok(authority) or current is None:
                method = "ocr_confirmed" if current and current.value == authority else "ocr_retry"
                fields[name] = value(authority, again.words, page=page.number, method=method)
        elif (parsed := parse_validity(text)) is not None:
            kept = [w for w in again.words if re.search(r"\d|长期", w.text)]
            fields |= _confirmed(_validity_fields(parsed, kept, page.number, "ocr_retry"), fields)


def _read_fields(content: Content) -> Reads:
    """Issuing authority, valid_from, valid_until (None for 长期) and long_term.

    Read by the labels in the second reader's rows of the card first (`_cn_id_labels`);
    tesseract's pipeline only when a value fails its check there.
    """
    found = first_page(content)
    page_number = content.readings[0].page if content.readings else 1
    fields = _labelled_fields(content, *found) if found else {}
    if found and not all(_labelled_passes(key, fields) for key in FIELD_GROUPS):
        reading, page = found
        fallback = _read(content, page_reading(content, reading, page), page)
        for key, names in FIELD_GROUPS.items():
            if not _labelled_passes(key, fields) and (
                _labelled_passes(key, fallback) or key not in fields
            ):
                fields |= {name: fallback[name] for name in names if name in fallback}
    names = ("issuing_authority", "valid_from", "valid_until", "long_term")
    return {name: fields.get(name, _missing(page_number)) for name in names}


def _labelled_fields(content: Content, reading: Reading, page: Page | None) -> Reads:
    """The authority after its label and the period, from the second reader's rows of the
    card; each confirmed where tesseract's page reading gives the same."""
    rows = card_rows(content, reading, page)
    if not rows:
        return {}
    fields: Reads = {}
    matches = back_matches(rows)
    authority = matches.get("issuing_authority")
    if authority is not None and _authority_ok(chinese_only(authority.text)):
        fields["issuing_authority"] = labelled_value(
            chinese_only(authority.text), authority, reading.page
        )
    period = matches.get("validity")
    parsed = parse_validity(period.text) if period is not None else None
    if period is not None and parsed is not None and _card_period(*parsed):
        fields |= _validity_fields(parsed, list(period.words), reading.page, "ocr")
    return fields


def _labelled_passes(name: str, fields: Reads) -> bool:
    found = fields.get(name)
    return found is not None and found.value is not None and is_clean(found)


def second_read(content: Content, name: str) -> Reads | None:
    """`name` (one of SECOND_READ_FIELDS) as the second reader reads it where tesseract failed
    it, the card found from the page reading's validity line; None when the crops do not
    agree (or there is no second reader, or no anchor)."""
    found = first_page(content)
    if found is None or content.second_reader is None:
        return None
    reading, page = found
    validity_words, _ = _anchor(reading)
    if page is None or not validity_words:
        return None
    return _second_read(content, page, _frame(validity_words), name)


def validity_fits_age(birth: dt.date, valid_from: dt.date, valid_until: dt.date | None) -> bool:
    """Whether the period's length is the one the law gives for the age at issue.

    Under 16: 5 years; 16-25: 10; 26-45: 20; 46 and over: 长期 (valid_until None).
    """
    years = expected_validity_years(birth, valid_from)
    if years is None or valid_until is None:
        return years is None and valid_until is None
    return _runs_years(valid_from, valid_until, years)


ID_CARD: Label = {"zh": "身份证", "en": "ID card"}


def check_reads(fields: Reads, context: CheckContext, card: Label = ID_CARD) -> list[Finding]:
    """Readability, expiry at as_of (error) and expiry within the policy's margin (warning).
    `card` is what the expiry findings call the card: a residence permit's period is checked
    here too (`_permits.validity_findings`)."""
    file = context.file
    findings = []
    authority = fields.get("issuing_authority")
    if authority is None or not authority.value:
        findings.append(field_finding(Code.FIELD_UNREADABLE, file, "issuing_authority", authority))
    start, until, long_term = (fields.get(n) for n in ("valid_from", "valid_until", "long_term"))
    if start is None or start.value is None or long_term is None or long_term.value is None:
        findings.append(
            field_finding(Code.FIELD_UNREADABLE, file, "valid_until", until, label="validity")
        )
        return findings
    if long_term.value or until is None or until.value is None:
        return findings
    margin = dt.timedelta(days=context.policy.recency.id_valid_margin_days)
    if until.value < context.as_of:
        if is_clean(until):
            findings.append(
                new_finding(
                    Code.ID_EXPIRED,
                    file=file,
                    field="valid_until",
                    evidence=read_evidence(file, until),
                    valid_until=until.value.isoformat(),
                    card=card,
                )
            )
        else:
            findings.append(
                field_finding(Code.RETAKE, file, "valid_until", until, label="validity")
            )
    elif until.value <= context.as_of + margin:
        findings.append(
            new_finding(
                Code.ID_EXPIRES_SOON,
                file=file,
                field="valid_until",
                evidence=read_evidence(file, until),
                valid_until=until.value.isoformat(),
                card=card,
            )
        )
    return findings


def extract(content: Content) -> CnIdBackFields:
    """The fields of the kind, each with where and how it was read."""
    return FIELDS.of(_read_fields(content))


def check(fields: CnIdBackFields, context: CheckContext) -> list[Finding]:
    """The checks of the kind on its fields."""
    return check_reads(fields.reads(), context)
