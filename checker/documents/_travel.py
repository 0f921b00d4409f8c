"""What the documents with a machine-readable zone share (passport, TD1 ID card, visa): the
fields read from the zone, each check digit's result, and the checks on them.

The zone is found and read by `checker.mrz_find` (anywhere on the page, turned if need be);
`method` says how: mrz, mrz_corrected, mrz_retry, mrz_retry_corrected (+ `_turned_<deg>`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from checker import mrz
from checker.documents import CheckContext, Content
from checker.documents._cn_id import normal
from checker.findings import field_finding, new_finding, read_evidence
from checker.mrz_find import FoundZone, find_zone
from checker.reading.pinyin import spells
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
    chinese_name = _printed_chinese_name(content, zone)
    if chinese_name is not None:
        # as sure as the zone's Latin name: the characters printed spell it
        fields["chinese_name"] = Read(
            value=chinese_name, confidence=1.0, page=found.page, method="printed_pinyin"
        )
    return fields


def _printed_lines(content: Content) -> list[str]:
    """Each reading's lines (the page reader's, then the card reader's), NFKC-folded, in upper
    case, without the lines of the machine-readable zone."""
    texts = [reading.text for reading in (*content.readings[:1], *content.other_readings)]
    lines = [
        " ".join(unicodedata.normalize("NFKC", line).upper().split())
        for text in texts
        for line in text.splitlines()
    ]
    return [
        line
        for line in lines
        if "<" not in line and not re.fullmatch(r"[A-Z0-9]{30,}", line.replace(" ", ""))
    ]


def _printed_chinese_name(content: Content, zone: mrz.Mrz) -> str | None:
    """The holder's name in Chinese characters where the page prints it beside (or above or
    below) the zone's Latin spelling, as a Chinese passport does (姓 刘 LIU, 名 晓燕 XIAOYAN;
    or the whole name on one line, 刘晓燕 LIU, XIAOYAN); taken only when its pinyin spells the
    zone's surname and given names, so a misread character is never taken for the name."""
    if not zone.surname:
        return None
    lines = [normal(line) for line in _printed_lines(content)]
    whole = _spelled_characters(lines, zone.surname + zone.given_names, whole_name=True)
    if whole is not None:
        return whole
    surname = _spelled_characters(lines, zone.surname)
    given = _spelled_characters(lines, zone.given_names) if zone.given_names else ""
    if surname is None or given is None:
        return None
    return surname + given


def _spelled_characters(lines: list[str], latin: str, *, whole_name: bool = False) -> str | None:
    """Characters printed on the line that shows `latin` as a word (a whole name: anywhere in
    its letters, `LIU, XIAOYAN`), or on the line above or below, whose pinyin is `latin`; a
    label's characters (姓/SURNAME: beside a slash) are no name."""
    letters = re.sub("[^A-Z]", "", latin.upper())
    for at, line in enumerate(lines):
        shown = (
            letters in re.sub("[^A-Z]", "", line)
            if whole_name
            else letters in re.findall("[A-Z]+", line)
        )
        if not shown:
            continue
        for near in (line, *lines[max(0, at - 1) : at], *lines[at + 1 : at + 2]):
            for run in re.finditer(r"[\u3400-\u9fff]+", near):
                label = "/" in near[max(0, run.start() - 1) : run.end() + 1]
                if not label and spells(run.group(), latin):
                    return run.group()
    return None


PRINTED_NUMBER = r"[A-Z]{1,2}\d{7,8}"  # a passport number as most countries print it
PRINTED_DATE = r"\b(\d{1,2}) ?(" + "|".join(MONTHS) + r") ?(\d{4})\b"  # 23 APR 1994
DATE_LABELS = {"birth_date": "BIRTH|出生日期", "expiry_date": "EXPIR|有效期"}


def _printed_mismatches(content: Content, found: FoundZone) -> list[str]:
    """Zone fields that the printed page shows otherwise: a passport number of the common
    shape that is not the zone's, or a date labelled as the zone's (birth, expiry) where the
    zone's date is printed nowhere. A page that prints no such field is not held to it."""
    if not content.readings or found.turned:
        return []  # a page read on its side: its printed words were not read
    zone = found.zone
    lines = _printed_lines(content)  # the page without its machine-readable zone
    text = "\n".join(lines)
    mismatches = []
    number_like = re.findall(rf"\b{PRINTED_NUMBER}\b", text)
    if (
        number_like
        and re.fullmatch(PRINTED_NUMBER, zone.document_number or "")
        and zone.document_number not in number_like
    ):
        mismatches.append("document_number")
    printed = {(int(day), month, int(year)) for day, month, year in re.findall(PRINTED_DATE, text)}
    for name, label in DATE_LABELS.items():
        date = getattr(zone, name)
        if date is None or (date.day, MONTHS[date.month - 1], date.year) in printed:
            continue
        labelled = [at for at, line in enumerate(lines) if re.search(label, line.replace(" ", ""))]
        if any(re.search(PRINTED_DATE, " ".join(lines[at : at + 2])) for at in labelled):
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
