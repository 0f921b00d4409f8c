"""What the documents with a machine-readable zone share (passport, TD1 ID card, visa): the
fields read from the zone, each check digit's result, and the checks on them.

The zone is found and read by `checker.mrz_find` (anywhere on the page, turned if need be);
`method` says how: mrz, mrz_corrected, mrz_retry, mrz_retry_corrected (+ `_turned_<deg>`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from checker import mrz
from checker.documents import CheckContext, Content
from checker.documents._cn_id import normal
from checker.findings import field_finding, new_finding, read_evidence
from checker.mrz_find import FoundZone, find_zone
from schemas.catalogue import field_label
from schemas.findings import Code, Finding
from schemas.reads import Read, Reads

# the sex as the ID card and the passport's data page print it (男/M), so documents compare
PRINTED_SEX = {"M": "男", "F": "女"}
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
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
VISA_FORMATS = ("MRV-A", "MRV-B")


@dataclass(frozen=True)
class Codes:
    """The finding codes of one kind: a failed check digit, and the document expired."""

    check_failed: Code
    expired: Code


def zone_kind(zone: mrz.Mrz) -> str:
    """passport, mrz_id_card or visa, from the zone's format and document code."""
    if zone.format in VISA_FORMATS or zone.document_type.startswith("V"):
        return "visa"
    if zone.format == "TD1" or zone.document_type[:1] in ("I", "A", "C"):
        return "mrz_id_card"
    return "passport"


def detect_kind(content: Content, kind: str) -> float:
    """1.0 when the page's zone (found anywhere) is of `kind` and passes its check digits,
    0.9 when it is of `kind` with at least half passing; 0 when there is no zone, another
    kind, or lines that pass fewer (capitals and fillers of a payslip's table are no zone)."""
    found = find_zone(content)
    if found is None or zone_kind(found.zone) != kind:
        return 0.0
    if found.zone.valid:
        return 1.0
    passed = sum(check.passed for check in found.zone.checks)
    return 0.9 if 2 * passed >= len(found.zone.checks) else 0.0


def extract(content: Content) -> Reads:
    """The zone's fields, its lines, and each check digit's result (`check_<name>`)."""
    found = find_zone(content)
    if found is None:
        page = content.readings[0].page if content.readings else 1
        missing: Read[Any] = Read(value=None, confidence=0.0, page=page, method="missing")
        return {name: missing for name in FIELDS}
    zone = found.zone

    def field(value: object) -> Read[Any]:
        return Read(
            value=value,
            confidence=round(found.confidence, 3),
            page=found.page,
            box=found.box,
            raw="\n".join(zone.lines),
            method=found.method,
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
    fields["printed_mismatches"] = field(_printed_mismatches(content, found))
    return fields


def _printed_mismatches(content: Content, found: FoundZone) -> list[str]:
    """Zone fields that the printed page, where read, shows differently."""
    if not content.readings or found.turned:
        return []  # a page read on its side: its printed words were not read
    zone = found.zone
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


def _labels(names: list[str]) -> dict[str, str]:
    """Zone fields in words, in both languages (`出生日期、有效期`, `birth date, expiry date`)."""
    return {
        "zh": "、".join(field_label(name)["zh"] for name in names),
        "en": ", ".join(field_label(name)["en"] for name in names),
    }


def check(fields: Reads, context: CheckContext, codes: Codes) -> list[Finding]:
    """Every check digit, the printed page against the zone, expiry at as_of."""
    file = context.file
    lines = fields.get("mrz_lines")
    if lines is None or lines.value is None:
        return [field_finding(Code.FIELD_UNREADABLE, file, "mrz_lines", lines)]
    findings = []
    failed = [name for name in CHECKS if fields.get(f"check_{name}", _PASS).value is False]
    if failed:
        label = _labels(failed)
        findings.append(
            new_finding(
                codes.check_failed,
                file=file,
                field="mrz_lines",
                evidence=read_evidence(file, lines),
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
                fields=_labels([str(name) for name in mismatches.value]),
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
                codes.expired,
                file=file,
                field="expiry_date",
                evidence=read_evidence(file, expiry),
                expiry_date=expiry.value.isoformat(),
            )
        )
    return findings


_PASS = Read(value=True)
