"""Visa (签证) with a machine-readable zone: MRV-A (2 × 44) or MRV-B (2 × 36), document code V.
A visa's zone has no composite check digit; the document number, birth date and expiry are
checked.

Found by its zone anywhere on the page, turned if need be (`checker.mrz_find`); fields,
checks and methods as the passport's (`_travel`).
"""

from __future__ import annotations

from checker.documents import CheckContext, Content, _travel
from schemas.findings import Code, Finding
from schemas.identity import VisaFields
from schemas.kinds import DocumentKind

KIND = DocumentKind.VISA
FIELDS = VisaFields
CODES = _travel.Codes(check_failed=Code.MRZ_ZONE_CHECK_FAILED, expired=Code.VISA_EXPIRED)


def detect(content: Content) -> float:
    """1.0 for a visa's zone with every check digit passing, 0.9 with one failing."""
    return _travel.detect_kind(content, KIND)


def extract(content: Content) -> VisaFields:
    """The zone's fields, its lines, and each check digit's result (`check_<name>`)."""
    return FIELDS.of(_travel.extract(content))


def check(fields: VisaFields, context: CheckContext) -> list[Finding]:
    """Every check digit, the printed visa against the zone, expiry at as_of."""
    return _travel.check(fields.reads(), context, CODES)
