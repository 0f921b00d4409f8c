"""ID card with a machine-readable zone (TD1: three lines of 30, document code I, A or C), as
many countries issue: the zone's fields, its check digits and the card's expiry.

Found by its zone anywhere on the image, turned if need be (`checker.mrz_find`); fields,
checks and methods as the passport's (`_travel`).
"""

from __future__ import annotations

from checker.documents import CheckContext, Content, _travel
from schemas.findings import Code, Finding
from schemas.identity import MrzIdCardFields
from schemas.kinds import DocumentKind

KIND = DocumentKind.MRZ_ID_CARD
FIELDS = MrzIdCardFields
CODES = _travel.Codes(check_failed=Code.MRZ_ZONE_CHECK_FAILED, expired=Code.MRZ_ID_CARD_EXPIRED)


def detect(content: Content) -> float:
    """1.0 for an ID card's zone with every check digit passing, 0.9 with one failing."""
    return _travel.detect_kind(content, KIND)


def extract(content: Content) -> MrzIdCardFields:
    """The zone's fields, its lines, and each check digit's result (`check_<name>`)."""
    return FIELDS.of(_travel.extract(content))


def check(fields: MrzIdCardFields, context: CheckContext) -> list[Finding]:
    """Every check digit, the printed card against the zone, expiry at as_of."""
    return _travel.check(fields.reads(), context, CODES)
