"""What the applicant typed (name, ID number, employer, monthly income, bank account)
against what the documents say, where both are known."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz

from checker.fields import FIELD_LABELS
from checker.findings import new_finding
from checker.labels import KIND_LABELS
from checker.parse import parse_money
from checker.policy import Policy
from checker.rules.identity import Applicant
from checker.rules.values import EMPLOYER_MATCH, Agreement, compare, text
from schemas.declared import DeclaredFields
from schemas.findings import Code, Finding
from schemas.report import DocumentReport


def _first_with_kind(
    documents: list[DocumentReport], kinds: tuple[str, ...], field: str
) -> tuple[Any, str]:
    """The field's value on the first document of one of `kinds` that has it, and that
    document's kind ("unknown" when none has it)."""
    for document in documents:
        if document.kind in kinds and field in document.fields:
            return document.fields[field].value, document.kind
    return None, "unknown"


def _visible_digits_agree(declared: str, printed: str) -> bool:
    """An account typed in full against one printed whole or masked (`6222 **** 1234`)."""
    typed = "".join(char for char in declared if char.isdigit())
    shown = "".join(char for char in printed if char.isdigit() or char in "*＊xX")
    if "*" not in shown and "＊" not in shown:
        return typed == shown
    head = shown.split("*")[0].split("＊")[0]
    tail = shown.replace("＊", "*").rsplit("*", 1)[-1]
    return typed.startswith(head) and typed.endswith(tail)


def declared_findings_against(
    documents: list[DocumentReport],
    declared: DeclaredFields,
    applicant: Applicant | None,
    *,
    policy: Policy,
) -> list[Finding]:
    """What the applicant typed against what the documents say (where both are known): each
    finding names the typed value, the document's and the document it was read from."""
    clean = policy.quality.clean_read_confidence
    certificates = ("income_certificate", "employment_certificate")
    identity = applicant.source_kind if applicant else "unknown"
    name = applicant.name if applicant else None
    id_number = text(applicant.id_number) if applicant else None
    employer, employer_kind = _first_with_kind(documents, (*certificates, "payslip"), "employer")
    employer = str(employer or "")
    income, income_kind = _first_with_kind(documents, certificates, "monthly_income")
    monthly = parse_money(str(income or ""))
    typed_income = parse_money(declared.monthly_income)
    tolerance = Decimal(str(policy.tolerances.income_vs_credits))
    account, account_kind = _first_with_kind(documents, ("bank_statement",), "account_number")
    account = str(account or "")
    mismatched: list[tuple[str, str, str, str]] = []  # field, typed, read, kind read from
    if declared.name and name and compare(name, declared.name, clean=clean) is Agreement.DIFFERENT:
        mismatched.append(("name", declared.name, str(name.value), identity))
    if declared.id_number and id_number and id_number != declared.id_number.upper():
        mismatched.append(("id_number", declared.id_number, id_number, identity))
    if declared.employer and employer and fuzz.ratio(declared.employer, employer) < EMPLOYER_MATCH:
        mismatched.append(("employer", declared.employer, employer, employer_kind))
    if monthly and typed_income and abs(typed_income - monthly) > tolerance * monthly:
        typed = declared.monthly_income or ""
        mismatched.append(("monthly_income", typed, str(income), income_kind))
    if (
        declared.bank_account
        and account
        and not _visible_digits_agree(declared.bank_account, account)
    ):
        mismatched.append(("bank_account", declared.bank_account, account, account_kind))
    return [
        new_finding(
            Code.DECLARED_MISMATCH,
            field=field,
            label=FIELD_LABELS[field],
            declared=typed,
            found=read,
            source=KIND_LABELS[kind],
        )
        for field, typed, read, kind in mismatched
    ]
