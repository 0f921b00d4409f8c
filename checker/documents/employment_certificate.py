"""Employment certificate (在职证明): the employer states, under its seal, that one works there."""

from __future__ import annotations

from checker.documents import CheckContext, Content
from checker.documents._certificate import checks, extraction
from schemas.findings import Finding
from schemas.income import EmploymentCertificateFields
from schemas.kinds import DocumentKind

KIND = DocumentKind.EMPLOYMENT_CERTIFICATE
FIELDS = EmploymentCertificateFields
TITLES = ("在职证明",)


def detect(content: Content) -> float:
    """0..1: a certificate page whose title reads 在职证明."""
    return extraction.detect(content, TITLES)


def extract(content: Content) -> EmploymentCertificateFields:
    """The certificate's fields (see `_certificate.fields.CERTIFICATE_FIELDS`), seal included."""
    return FIELDS.of(extraction.extract(content))


def check(fields: EmploymentCertificateFields, context: CheckContext) -> list[Finding]:
    """Words vs figures, monthly vs annual, seal, dates, USCC, phone."""
    return checks.check(fields.reads(), context)
