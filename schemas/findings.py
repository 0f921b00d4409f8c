"""Findings: what docready tells an applicant, with a stable code, a severity and evidence."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How much a finding matters for review."""

    ERROR = "error"  # will stall review: fix before submitting
    WARNING = "warning"  # may delay review: check it
    INFO = "info"


class Code(StrEnum):
    """Finding codes. The values are public API: add codes, never rename one."""

    # files and reading
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_UNSUPPORTED = "file_unsupported"
    FILE_CORRUPT = "file_corrupt"
    PDF_ENCRYPTED = "pdf_encrypted"
    TOO_MANY_PAGES = "too_many_pages"
    TABLE_TOO_LONG = "table_too_long"
    TABLE_TOO_WIDE = "table_too_wide"
    IMAGE_TOO_LARGE = "image_too_large"
    UNREADABLE = "unreadable"
    OCR_TIMEOUT = "ocr_timeout"
    OCR_FAILED = "ocr_failed"
    RETAKE = "retake"  # a value failed its check on a low-confidence read: ask for a clearer copy
    # image quality
    IMAGE_BLURRY = "image_blurry"
    IMAGE_LOW_RESOLUTION = "image_low_resolution"
    IMAGE_GLARE = "image_glare"
    IMAGE_CUT_OFF = "image_cut_off"
    IMAGE_TOO_DARK = "image_too_dark"
    # classification and completeness
    DOCUMENT_UNKNOWN = "document_unknown"
    DOCUMENT_MISSING = "document_missing"
    DUPLICATE_FILE = "duplicate_file"
    SEVERAL_DOCUMENTS = "several_documents"  # one file held several; each was checked alone
    # identity documents
    ID_NUMBER_INVALID = "id_number_invalid"
    ID_NUMBER_UNCLEAR = "id_number_unclear"
    ID_REGION_UNKNOWN = "id_region_unknown"
    ID_NUMBER_KIND = "id_number_kind"  # a residence permit's or a foreigner's card number
    PERMIT_NUMBER_KIND = "permit_number_kind"  # a permit printing another card's kind of number
    ID_NUMBER_NORMALISED = "id_number_normalised"  # full-width digits, x, spaces: folded
    ID_EXPIRED = "id_expired"
    ID_EXPIRES_SOON = "id_expires_soon"
    ID_BIRTH_DATE_MISMATCH = "id_birth_date_mismatch"
    ID_SEX_MISMATCH = "id_sex_mismatch"
    FIELD_UNREADABLE = "field_unreadable"
    MRZ_CHECK_FAILED = "mrz_check_failed"
    PASSPORT_EXPIRED = "passport_expired"
    MRZ_PAGE_MISMATCH = "mrz_page_mismatch"
    ID_VALIDITY_UNUSUAL = "id_validity_unusual"
    MRZ_ZONE_CHECK_FAILED = "mrz_zone_check_failed"  # an ID card's or a visa's zone
    MRZ_ID_CARD_EXPIRED = "mrz_id_card_expired"
    VISA_EXPIRED = "visa_expired"
    # income proofs
    INCOME_WORDS_MISMATCH = "income_words_mismatch"
    INCOME_ANNUAL_MISMATCH = "income_annual_mismatch"
    SEAL_MISSING = "seal_missing"
    SEAL_UNVERIFIED = "seal_unverified"  # greyscale copy or text-layer PDF: the seal can't be seen
    SEAL_MISPLACED = "seal_misplaced"
    CERTIFICATE_STALE = "certificate_stale"
    DATE_IN_FUTURE = "date_in_future"
    USCC_INVALID = "uscc_invalid"
    PHONE_INVALID = "phone_invalid"
    PAYSLIP_ARITHMETIC = "payslip_arithmetic"
    # bank statements
    BALANCE_BREAK = "balance_break"
    STATEMENT_TOTALS_MISMATCH = "statement_totals_mismatch"
    STATEMENT_GAP = "statement_gap"
    STATEMENT_OVERLAP = "statement_overlap"
    STATEMENT_DISCONTINUITY = "statement_discontinuity"
    STATEMENT_COVERAGE_SHORT = "statement_coverage_short"
    STATEMENT_STALE = "statement_stale"
    DUPLICATE_TRANSACTION = "duplicate_transaction"
    TRANSACTION_OUT_OF_ORDER = "transaction_out_of_order"
    STATEMENT_NOT_RECONCILED = "statement_not_reconciled"  # columns unsure: balances not checked
    CARD_STATEMENT_TOTALS_MISMATCH = "card_statement_totals_mismatch"
    ACCOUNT_NUMBER_INVALID = "account_number_invalid"
    # tax records
    TAX_RECORD_GAP = "tax_record_gap"
    TAX_RECORD_STALE = "tax_record_stale"
    TAX_RECORD_TOTALS_MISMATCH = "tax_record_totals_mismatch"
    # housing-fund and social-insurance records
    CONTRIBUTION_GAP = "contribution_gap"
    CONTRIBUTION_ACCOUNT_INACTIVE = "contribution_account_inactive"
    CONTRIBUTION_STALE = "contribution_stale"
    CONTRIBUTION_ARREARS = "contribution_arrears"
    # business licences
    LICENCE_EXPIRED = "licence_expired"
    LICENCE_EXPIRES_SOON = "licence_expires_soon"
    # across documents and the form
    NAME_MISMATCH = "name_mismatch"
    NAME_LIKELY_MISREAD = "name_likely_misread"
    ID_NUMBER_MISMATCH = "id_number_mismatch"
    HOLDER_MISMATCH = "holder_mismatch"
    INCOME_MISMATCH = "income_mismatch"
    EMPLOYER_MISMATCH = "employer_mismatch"
    EMPLOYER_DIFFERS = "employer_differs"
    EMPLOYER_LIKELY_MISREAD = "employer_likely_misread"
    TAX_INCOME_MISMATCH = "tax_income_mismatch"
    INCOME_ABOVE_CONTRIBUTION_BASE = "income_above_contribution_base"
    BUSINESS_NOT_ON_STATEMENTS = "business_not_on_statements"
    AGE_OUT_OF_RANGE = "age_out_of_range"
    DECLARED_MISMATCH = "declared_mismatch"
    DECLARED_INVALID = "declared_invalid"


class Evidence(BaseModel):
    """Where a finding was seen: file, page, box and the text read there."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    page: int | None = None  # 1-based
    box: tuple[int, int, int, int] | None = None  # left, top, right, bottom in page pixels
    text: str | None = None
    confidence: float | None = None  # 0..1


class Finding(BaseModel):
    """One problem (or note) about an application, a document or a field."""

    code: Code
    severity: Severity
    message: str
    hint: str
    file: str | None = None
    field: str | None = None
    loc: tuple[str | int, ...] = ()
    ctx: dict[str, Any] = Field(default_factory=dict)
    evidence: Evidence | None = None
