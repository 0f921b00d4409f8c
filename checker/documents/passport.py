"""Passport data page (护照): the machine-readable zone, its check digits, and the printed page.

The fields come from the MRZ (TD3 on passports; TD1 and TD2 zones of ID cards and older visas
read too). The zone is found in the page reading; when it does not parse with every check
digit passing, its lines are read again as crops in OCR-B's alphabet only (eng, psm 7,
whitelist A-Z 0-9 <), and OCR confusions are undone only where check digits then pass
(`checker.mrz`). `method` says which: mrz, mrz_corrected, mrz_retry, mrz_retry_corrected.
"""

from __future__ import annotations

import datetime as dt
import re

from checker import mrz
from checker.document import Box, Page, Reading
from checker.documents import CheckContext, Content
from checker.documents._cn_id import (
    Line,
    evidence,
    first_page,
    ink_lines,
    lines_of,
    normal,
    padded,
    reread,
    union,
)
from checker.findings import new_finding
from checker.ocr import RegionOptions
from schemas.findings import Code, Finding
from schemas.report import FieldValue

KIND = "passport"
# the sex as the ID card and the passport's data page print it (男/M), so documents compare
PRINTED_SEX = {"M": "男", "F": "女"}
MRZ_READ = RegionOptions(psm=7, languages="eng", whitelist="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
FIELDS = (
    "document_type",
    "issuing_country",
    "surname",
    "given_names",
    "document_number",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
    "personal_number",
    "mrz_lines",
)
CHECKS = ("document_number", "birth_date", "expiry_date", "personal_number", "composite")
MRZ_LABEL = {"zh": "机读区", "en": "machine-readable zone"}
CHECK_LABELS = {
    "document_number": {"zh": "证件号码", "en": "document number"},
    "birth_date": {"zh": "出生日期", "en": "birth date"},
    "expiry_date": {"zh": "有效期", "en": "expiry date"},
    "personal_number": {"zh": "个人号码", "en": "personal number"},
    "composite": {"zh": "总校验位", "en": "composite check"},
}
_MRZ_LIKE = re.compile(r"[A-Z0-9<]{20,}")
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def detect(content: Content) -> float:
    """High when the page carries an MRZ, higher still with the word passport / 护照."""
    if not content.readings:
        return 0.0
    text = content.readings[0].text
    score = 0.0
    if re.search(r"PASSPORT|护照", normal(text).upper()):
        score += 0.5
    lines = [mrz.clean_line(line) for line in text.splitlines()]
    if any(line.startswith(("P<", "P0")) and line.count("<") >= 3 for line in lines):
        score += 0.5
    elif sum(1 for line in lines if line.count("<") >= 5) >= 2:
        score += 0.3
    return round(min(1.0, score), 3)


def _mrz_lines(reading: Reading) -> list[Line]:
    """The page lines that look like MRZ lines (long runs of A-Z, 0-9 and <), top to bottom."""
    found = []
    for line in lines_of(reading.words):
        if sum(char.islower() for char in line.text) > len(line.text) // 2:
            continue  # printed words (National Immigration ...), not the zone
        cleaned = mrz.clean_line(line.text)
        if _MRZ_LIKE.search(cleaned) and (cleaned.count("<") >= 2 or len(cleaned) >= 28):
            found.append(line)
    return found[-3:]


def _zone_boxes(reading: Reading, page: Page, lines: list[Line]) -> list[Box]:
    """Crops for the zone's lines: the ink lines in the band the MRZ words span (or the
    bottom quarter of the page), each the full page width."""
    if lines:
        _, top, _, bottom = union(line.box for line in lines)
        height = max(1, (bottom - top) // max(1, len(lines)))
        band = (0, max(0, top - height), page.width, min(page.height, bottom + height))
    else:
        band = (0, round(page.height * 0.72), page.width, page.height)
    boxes = ink_lines(page, band, min_height=max(6, page.height // 120))
    boxes = [box for box in boxes if box[2] - box[0] > page.width * 0.5] or boxes
    return [padded(box, page, pad_x=0.5, pad_y=0.2) for box in boxes[-3:]]


def _parse(lines: list[str], as_of: dt.date | None) -> mrz.Mrz | None:
    zone = mrz.find_zone(lines) or lines
    return mrz.parse_mrz(zone, today=as_of)


def read_zone(content: Content) -> tuple[mrz.Mrz | None, str, Box | None, float, int]:
    """The zone parsed, how it was read, where, the reading's confidence, and the page."""
    found = first_page(content)
    if found is None:
        return None, "missing", None, 0.0, 1
    reading, page = found
    lines = _mrz_lines(reading)
    parsed = _parse([line.text for line in lines], None)
    box = union(line.box for line in lines) if lines else None
    confidence = min((line.confidence for line in lines), default=0.0)
    if parsed is not None and parsed.valid:
        return parsed, "mrz_corrected" if parsed.corrected else "mrz", box, confidence, reading.page
    if page is None:
        return parsed, "mrz", box, confidence, reading.page
    boxes = _zone_boxes(reading, page, lines)
    readings = reread(content, page, boxes, MRZ_READ)
    if not readings:
        return parsed, "mrz", box, confidence, reading.page
    texts = ["".join(word.text for word in again.words) for again in readings]
    retry = _parse([text for text in texts if text], None)
    if retry is None or (parsed is not None and len(retry.failed()) > len(parsed.failed())):
        return parsed, "mrz", box, confidence, reading.page
    words = [word for again in readings for word in again.words]
    retry_box = union(word.box for word in words) if words else None
    retry_confidence = min((word.confidence for word in words), default=0.0)
    method = "mrz_retry_corrected" if retry.corrected else "mrz_retry"
    return retry, method, retry_box, retry_confidence, reading.page


def extract(content: Content) -> dict[str, FieldValue]:
    """The MRZ's fields, its lines, and each check digit's result (`check_<name>`)."""
    zone, method, box, confidence, page = read_zone(content)
    if zone is None:
        missing = FieldValue(value=None, confidence=0.0, page=page, method="missing")
        return {name: missing for name in FIELDS}

    def field(value: object) -> FieldValue:
        return FieldValue(
            value=value,
            confidence=round(confidence, 3),
            page=page,
            box=box,
            raw="\n".join(zone.lines),
            method=method,
        )

    fields = {
        "document_type": field(zone.document_type),
        "issuing_country": field(zone.issuing_country),
        "surname": field(zone.surname),
        "given_names": field(zone.given_names),
        "document_number": field(zone.document_number),
        "nationality": field(zone.nationality),
        "birth_date": field(zone.birth_date),
        "sex": field(PRINTED_SEX.get(zone.sex, zone.sex)),
        "expiry_date": field(zone.expiry_date),
        "personal_number": field(zone.personal_number),
        "mrz_lines": field(list(zone.lines)),
        "mrz_format": field(zone.format),
    }
    for check_result in zone.checks:
        fields[f"check_{check_result.name}"] = field(check_result.passed)
    fields["printed_mismatches"] = field(_printed_mismatches(content, zone))
    return fields


def _printed_mismatches(content: Content, zone: mrz.Mrz) -> list[str]:
    """MRZ fields that the printed page, where read, shows differently."""
    if not content.readings:
        return []
    printed_lines = [
        line
        for line in normal(content.readings[0].text).upper().splitlines()
        if "<" not in line and not re.fullmatch(r"[A-Z0-9]{30,}", line.replace(" ", ""))
    ]
    text = "\n".join(printed_lines)  # the page without its machine-readable zone
    mismatches = []
    number_like = re.findall(r"[A-Z]{1,2}\d{7,8}", text)
    if number_like and zone.document_number and zone.document_number not in number_like:
        mismatches.append("document_number")
    for name in ("birth_date", "expiry_date"):
        date = getattr(zone, name)
        printed = re.findall(r"(\d{2})(" + "|".join(MONTHS) + r")(\d{4})", text)
        if date is not None and printed:
            as_text = (f"{date.day:02d}", MONTHS[date.month - 1], str(date.year))
            if as_text not in printed:
                mismatches.append(name)
    return mismatches


def check(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """Every MRZ check digit, the printed page against the zone, expiry at as_of."""
    file = context.file
    lines = fields.get("mrz_lines")
    if lines is None or lines.value is None:
        return [
            new_finding(
                Code.FIELD_UNREADABLE,
                file=file,
                field="mrz_lines",
                evidence=evidence(file, lines),
                label=MRZ_LABEL,
            )
        ]
    findings = []
    failed = [name for name in CHECKS if fields.get(f"check_{name}", _PASS).value is False]
    if failed:
        label = {
            lang: "、".join(CHECK_LABELS[n][lang] for n in failed)
            if lang == "zh"
            else ", ".join(CHECK_LABELS[n][lang] for n in failed)
            for lang in ("zh", "en")
        }
        findings.append(
            new_finding(
                Code.MRZ_CHECK_FAILED,
                file=file,
                field="mrz_lines",
                evidence=evidence(file, lines),
                label=label,
                checks=failed,
            )
        )
    mismatches = fields.get("printed_mismatches")
    if mismatches is not None and mismatches.value:
        findings.append(
            new_finding(
                Code.MRZ_PAGE_MISMATCH,
                file=file,
                field="mrz_lines",
                fields=", ".join(map(str, mismatches.value)),
            )
        )
    expiry = fields.get("expiry_date")
    if (
        expiry is not None
        and isinstance(expiry.value, dt.date)
        and expiry.value < context.as_of
        and fields.get("check_expiry_date", _PASS).value
    ):
        findings.append(
            new_finding(
                Code.PASSPORT_EXPIRED,
                file=file,
                field="expiry_date",
                evidence=evidence(file, expiry),
                expiry_date=expiry.value.isoformat(),
            )
        )
    return findings


_PASS = FieldValue(value=True)
