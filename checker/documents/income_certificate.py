"""Income certificate (收入证明): the employer states one's job and pay, under its seal."""

from __future__ import annotations

from checker.documents import CheckContext, Content
from checker.documents._certificate import checks, extraction
from schemas.findings import Finding
from schemas.income import IncomeCertificateFields
from schemas.kinds import DocumentKind

KIND = DocumentKind.INCOME_CERTIFICATE
FIELDS = IncomeCertificateFields
TITLES = ("收入证明",)


def detect(content: Content) -> float:
    """0..1: a certificate page whose title reads 收入证明."""
    return extraction.detect(content, TITLES)


def extract(content: Content) -> IncomeCertificateFields:
    """The certificate's fields (see `_certificate.fields.CERTIFICATE_FIELDS`), seal included."""
    return FIELDS.of(extraction.extract(content))


def check(fields: IncomeCertificateFields, context: CheckContext) -> list[Finding]:
    """Words vs figures, monthly vs annual, seal, dates, USCC, phone."""
    return checks.check(fields.reads(), context)
