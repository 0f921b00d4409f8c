"""Income proofs: field types of 收入证明 / 在职证明 and payslips, checked by maintained libraries.

Identifiers are checked by python-stdnum (`stdnum.cn.uscc`; ID numbers as
`schemas.identity.ResidentIdNumber`, the check digit `stdnum.cn.ric`'s); amounts are
Decimals to the cent (JSON as strings). `is_valid(Type, value)` asks a type without raising.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, PlainSerializer, TypeAdapter, ValidationError
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from schemas.fields import DocumentFields, Facet, Label, facet
from schemas.identity import ResidentIdNumber
from schemas.reads import Box, Read


def _uscc(value: str) -> str:
    try:
        return str(uscc.validate(value))
    except StdnumError as error:
        raise ValueError(f"not a valid unified social credit code: {error}") from None


# Mainland mobile (1[3-9] + 9 digits) or landline (0 + 2–3 digit area code, 7–8 digits).
_PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?[1-9]\d{6,7}")


def _phone(value: str) -> str:
    compact = re.sub(r"[\s()（）]", "", value)
    if not _PHONE.fullmatch(compact):
        raise ValueError("not a mainland mobile or landline number")
    return compact


def _cents(value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0:
        raise ValueError("an amount is a finite, non-negative number")
    return value.quantize(Decimal("0.01"))


Uscc = Annotated[str, AfterValidator(_uscc)]
# the number of any card of the GB 11643 form: a resident ID card, an HMT residence permit
# (810000…), a foreigner's permanent residence card (9…); its region is not asked
IdNumber = ResidentIdNumber
Phone = Annotated[str, AfterValidator(_phone)]
Amount = Annotated[Decimal, AfterValidator(_cents), PlainSerializer(str, return_type=str)]


def is_valid(kind: Any, value: object) -> bool:
    """True when `value` passes the annotated type `kind` (e.g. `is_valid(Uscc, text)`)."""
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError:
        return False
    return True


class CertificateFields(DocumentFields):
    """What an income or employment certificate states. Amounts and dates are as the
    extraction normalises them (`12300.54`, `2026-10-23`)."""

    RULES_OUT_CARDS: ClassVar[bool] = True

    employee_name: Read[str] | None = None
    id_number: Read[str] | None = None
    employer: Read[str] | None = None
    employer_uscc: Read[str] | None = None
    position: Read[str] | None = None
    employed_since: Read[str] | None = None  # ISO date
    monthly_income: Read[str] | None = None
    annual_income: Read[str] | None = None
    income_in_words: Read[str] | None = None
    issue_date: Read[str] | None = None  # ISO date
    contact_phone: Read[str] | None = None
    issuer: Read[str] | None = None  # who signs it, when not the employer's name line
    has_seal: Read[bool] | None = None
    seal_box: Read[Box] | None = None
    signature_box: Read[Box] | None = None

    def holder_name(self) -> Facet[str] | None:
        return facet("employee_name", self.employee_name)

    def holder_id_number(self) -> Facet[str] | None:
        return facet("id_number", self.id_number)

    def employer_name(self) -> Facet[str] | None:
        return facet("employer", self.employer)

    def certified_income(self) -> Facet[str] | None:
        return facet("monthly_income", self.monthly_income)

    def certified_employer(self) -> Facet[str] | None:
        return facet("employer", self.employer)


class IncomeCertificateFields(CertificateFields):
    kind: Literal["income_certificate"] = "income_certificate"
    LABEL: ClassVar[Label] = {"zh": "收入证明", "en": "income certificate"}


class EmploymentCertificateFields(CertificateFields):
    kind: Literal["employment_certificate"] = "employment_certificate"
    LABEL: ClassVar[Label] = {"zh": "在职证明", "en": "employment certificate"}


# one deduction ({"name": "养老保险", "amount": "1420.00"}) or one month of a multi-month
# payslip table ({"pay_period": "2026-08", "net_pay": …, "confidence": 0.93})
PayslipItem = dict[str, str | float | None]
PARAMETRIZED = (Read[list[PayslipItem]],)  # made at module level to pickle (schemas.reads)


class PayslipFields(DocumentFields):
    """One month's payslip (the latest, when it tabulates several: each in `months`)."""

    kind: Literal["payslip"] = "payslip"
    LABEL: ClassVar[Label] = {"zh": "工资条", "en": "payslip"}
    RULES_OUT_CARDS: ClassVar[bool] = True

    employee_name: Read[str] | None = None
    employer: Read[str] | None = None
    pay_period: Read[str] | None = None  # YYYY-MM
    gross_pay: Read[str] | None = None
    deductions_total: Read[str] | None = None
    net_pay: Read[str] | None = None
    deductions: Read[list[PayslipItem]] | None = None
    amount_in_words: Read[str] | None = None
    months: Read[list[PayslipItem]] | None = None

    def holder_name(self) -> Facet[str] | None:
        return facet("employee_name", self.employee_name)

    def employer_name(self) -> Facet[str] | None:
        return facet("employer", self.employer)
