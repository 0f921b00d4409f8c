"""Income proofs: field types of 收入证明 / 在职证明 and payslips, checked by maintained libraries.

Identifiers are checked by python-stdnum (`stdnum.cn.uscc`, `stdnum.cn.ric`); amounts are
Decimals to the cent (JSON as strings). `is_valid(Type, value)` asks a type without raising.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, PlainSerializer, TypeAdapter, ValidationError
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError


def _uscc(value: str) -> str:
    try:
        return str(uscc.validate(value))
    except StdnumError as error:
        raise ValueError(f"not a valid unified social credit code: {error}") from None


def _id_number(value: str) -> str:
    try:
        return str(ric.validate(value))
    except StdnumError as error:
        raise ValueError(f"not a valid resident ID number: {error}") from None


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
IdNumber = Annotated[str, AfterValidator(_id_number)]
Phone = Annotated[str, AfterValidator(_phone)]
Amount = Annotated[Decimal, AfterValidator(_cents), PlainSerializer(str, return_type=str)]


def is_valid(kind: Any, value: object) -> bool:
    """True when `value` passes the annotated type `kind` (e.g. `is_valid(Uscc, text)`)."""
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError:
        return False
    return True


class Deduction(BaseModel):
    """One payslip deduction: 养老保险, 住房公积金, 个人所得税 …"""

    name: str
    amount: Amount


class CertificateFields(BaseModel):
    """What an income or employment certificate states (None: not printed or not read)."""

    employee_name: str | None = None
    id_number: IdNumber | None = None
    employer: str | None = None
    employer_uscc: Uscc | None = None
    position: str | None = None
    employed_since: str | None = None  # ISO date
    monthly_income: Amount | None = None
    annual_income: Amount | None = None
    income_in_words: str | None = None
    issue_date: str | None = None  # ISO date
    contact_phone: Phone | None = None
    has_seal: bool | None = None
    seal_box: tuple[int, int, int, int] | None = None


class PayslipFields(BaseModel):
    """One month's payslip."""

    employee_name: str | None = None
    employer: str | None = None
    pay_period: str | None = None  # YYYY-MM
    gross_pay: Amount | None = None
    deductions: list[Deduction] = []
    net_pay: Amount | None = None
