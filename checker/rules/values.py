"""How the rules read and compare values from different documents: a field's text
normalised, its date, whether a read value agrees with the one expected (or is a likely
misread), and the evidence a finding points at."""

from __future__ import annotations

import datetime as dt
import unicodedata
from enum import Enum
from typing import Any

from rapidfuzz.distance import Levenshtein

from checker.parse import parse_date
from checker.reading.glyphs import printed_forms
from schemas.findings import Evidence
from schemas.reads import Read
from schemas.report import DocumentReport

EMPLOYER_MATCH = 90  # rapidfuzz ratio of two employer names, 0..100, that counts as the same


class Agreement(Enum):
    SAME = "same"
    MISREAD = "misread"  # differs, but on an unclear read and by little
    DIFFERENT = "different"
    INCOMPARABLE = "incomparable"  # e.g. a Chinese name against a passport's Latin one


def comparable(text: str) -> str:
    """Text as compared across documents: NFKC (full-width forms as ASCII), no white space,
    upper case, and a traditional form that simplified print has no use for as its
    simplified character (`printed_forms`: RapidOCR read 黄 as 黃 on payslips printed in a
    font whose 黄 has that shape, and the name looked like another person's)."""
    return printed_forms("".join(unicodedata.normalize("NFKC", text).split()).upper())


def comparable_text(field: Read[Any] | None) -> str | None:
    """A read value as compared across documents (`comparable`)."""
    if field is None or field.value in (None, ""):
        return None
    return comparable(str(field.value))


def is_cjk(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in text)


def compare(found: Read[Any], expected: str, *, clean: float) -> Agreement:
    """Whether a value read from one document agrees with the one expected."""
    read = comparable_text(found)
    want = comparable(expected)
    if read is None or not want:
        return Agreement.INCOMPARABLE
    if read == want:
        return Agreement.SAME
    if is_cjk(read) != is_cjk(want):
        return Agreement.INCOMPARABLE
    unclear = found.confidence is not None and found.confidence < clean
    # an unclear read may miss a character and misread another (刘宇航 read as 刘字, 0.35 sure)
    close = Levenshtein.distance(read, want) <= max(1, 2 * len(want) // 3)
    return Agreement.MISREAD if unclear and close else Agreement.DIFFERENT


def compared_evidence(document: DocumentReport, field: Read[Any]) -> Evidence:
    """Where a compared value was read, with the value (not the raw text) it was compared as."""
    return Evidence(
        file=document.file,
        page=field.page,
        box=field.box,
        text=None if field.value is None else str(field.value),
        confidence=field.confidence,
    )


def date_of(field: Read[Any] | None) -> dt.date | None:
    """A date field's value as a date (parsed when it was kept as text)."""
    if field is None or field.value is None:
        return None
    if isinstance(field.value, dt.date):
        return field.value
    return parse_date(str(field.value))
