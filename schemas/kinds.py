"""The kinds of document docready reads, as public strings."""

from __future__ import annotations

from enum import StrEnum


class DocumentKind(StrEnum):
    """Each kind docready reads; the values are public API (reports, policies): add, never
    rename. A kind registered from outside (`checker.documents.register_kind`) is a plain
    string beside these."""

    CN_ID_FRONT = "cn_id_front"
    CN_ID_BACK = "cn_id_back"
    PASSPORT = "passport"
    MRZ_ID_CARD = "mrz_id_card"
    VISA = "visa"
    INCOME_CERTIFICATE = "income_certificate"
    EMPLOYMENT_CERTIFICATE = "employment_certificate"
    PAYSLIP = "payslip"
    BANK_STATEMENT = "bank_statement"
    TAX_RECORD = "tax_record"
    HOUSING_FUND = "housing_fund"
    SOCIAL_INSURANCE = "social_insurance"
    BUSINESS_LICENCE = "business_licence"
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"
    HMT_RESIDENCE_PERMIT_BACK = "hmt_residence_permit_back"
    FOREIGN_PERMANENT_RESIDENT_CARD = "foreign_permanent_resident_card"
    UNKNOWN = "unknown"
