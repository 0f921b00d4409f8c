"""Validation of the declared form fields alone, fast enough to run on every keystroke."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from stdnum import luhn

from checker.findings import new_finding
from schemas import identity
from schemas.catalogue import field_label
from schemas.declared import DeclaredFields
from schemas.findings import Code, Finding, Severity

_NAME = re.compile(r"^(?:[\u3400-\u9fff·]{2,20}|[A-Za-z][A-Za-z .'-]{1,59})$")
_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


Reason = dict[str, str]  # {"zh": …, "en": …}


def reason(zh: str, en: str) -> Reason:
    return {"zh": zh, "en": en}


def id_number_problem(value: str) -> Reason | None:
    """Why a typed resident ID number is invalid, or None (python-stdnum's rules).

    A region code missing from the table is not a reason (`id_number_notes` asks it).
    """
    problem = identity.id_number_problem(value)
    return None if problem is None else identity.PROBLEM_REASONS[problem]


def _income_problem(value: str) -> Reason | None:
    try:
        amount = Decimal(value.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return reason("不是数字", "not a number")
    if not amount.is_finite() or amount <= 0:
        return reason("应为正数", "must be a positive amount")
    return None


def declared_findings(declared: DeclaredFields) -> list[Finding]:
    """A `declared_invalid` finding for each form field that cannot be right."""
    problems: list[tuple[str, Reason, Severity | None]] = []
    if declared.name and not _NAME.match(declared.name):
        problems.append(("name", reason("含有不应出现的字符", "unexpected characters"), None))
    if declared.id_number and (problem := id_number_problem(declared.id_number)):
        problems.append(("id_number", problem, None))
    phone = re.sub(r"[\s-]", "", declared.phone or "")
    if phone and not (_MOBILE.match(phone) or _LANDLINE.match(declared.phone or "")):
        problems.append(
            ("phone", reason("不是有效的手机或座机号码", "not a mobile or landline number"), None)
        )
    if declared.monthly_income and (problem := _income_problem(declared.monthly_income)):
        problems.append(("monthly_income", problem, None))
    account = re.sub(r"\s", "", declared.bank_account or "")
    if account and not (account.isdigit() and 12 <= len(account) <= 19):
        problems.append(
            ("bank_account", reason("应为 12–19 位数字", "12 to 19 digits expected"), None)
        )
    elif account and not luhn.is_valid(account):
        # some real Chinese account numbers carry no Luhn digit: ask, do not refuse
        problems.append(
            ("bank_account", reason("校验位不符", "check digit does not match"), Severity.WARNING)
        )
    findings = [
        new_finding(
            Code.DECLARED_INVALID,
            field=field,
            severity=severity,
            reason=problem,
            label=field_label(field),
        )
        for field, problem, severity in problems
    ]
    if declared.id_number and not any(field == "id_number" for field, _, _ in problems):
        findings += id_number_notes(declared.id_number)
    return findings


def id_number_notes(typed: str, *, as_of: dt.date | None = None, **where: Any) -> list[Finding]:
    """What a valid number's form says besides: typed with full-width characters (folded), of
    a residence permit or a foreigner's card, or with a region code never in use. `where`
    (field, file, evidence) goes to each finding."""
    where.setdefault("field", "id_number")
    notes = []
    number = identity.normalise_id_number(typed)
    if number != typed.strip():
        notes.append(new_finding(Code.ID_NUMBER_NORMALISED, **where))
    kind = identity.id_number_kind(number)
    if kind != identity.IdNumberKind.RESIDENT:
        notes.append(new_finding(Code.ID_NUMBER_KIND, kind=identity.ID_NUMBER_KINDS[kind], **where))
    if not identity.id_region_known(number, today=as_of):
        notes.append(new_finding(Code.ID_REGION_UNKNOWN, region=number[:6], **where))
    return notes


def parse_declared(declared: dict[str, Any] | DeclaredFields | None) -> DeclaredFields:
    """The form fields as a model; values of other types are turned into strings."""
    if declared is None:
        return DeclaredFields()
    if isinstance(declared, DeclaredFields):
        return declared
    as_text = {key: None if value is None else str(value) for key, value in declared.items()}
    return DeclaredFields.model_validate(as_text)
