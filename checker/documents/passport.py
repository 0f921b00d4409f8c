"""Passport data page (护照): the machine-readable zone (TD3, document code P), its check
digits, and the printed page.

A page is a passport when a TD3 zone with a `P` code is found on it, wherever it is printed
and however the page is turned (`checker.mrz_find`); the word PASSPORT alone is not enough,
and a page with no zone is not a passport. Fields, checks and methods: `_travel`.
"""

from __future__ import annotations

from checker.documents import CheckContext, Content, _travel
from schemas.findings import Code, Finding
from schemas.identity import PassportFields
from schemas.kinds import DocumentKind

KIND = DocumentKind.PASSPORT
FIELDS = PassportFields
PRINTED_SEX = _travel.PRINTED_SEX
CHECKS = _travel.CHECKS
CODES = _travel.Codes(check_failed=Code.MRZ_CHECK_FAILED, expired=Code.PASSPORT_EXPIRED)


def detect(content: Content) -> float:
    """1.0 for a passport's zone with every check digit passing, 0.9 with one failing."""
    return _travel.detect_kind(content, KIND)


def extract(content: Content) -> PassportFields:
    """The zone's fields, its lines, and each check digit's result (`check_<name>`)."""
    return FIELDS.of(_travel.extract(content))


def check(fields: PassportFields, context: CheckContext) -> list[Finding]:
    """Every check digit, the printed page against the zone, expiry at as_of."""
    return _travel.check(fields.reads(), context, CODES)
