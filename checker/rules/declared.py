"""What the applicant typed (name, ID number, employer, monthly income, bank account)
against what the documents say, where both are known."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from operator import methodcaller

from rapidfuzz import fuzz

from checker.findings import new_finding
from checker.labels import kind_label_pair
from checker.parse import parse_money
from checker.policy import Policy
from checker.rules.identity import Applicant
from checker.rules.values import EMPLOYER_MATCH, Agreement, comparable_text, compare
from schemas.catalogue import field_label
from schemas.declared import DeclaredFields
from schemas.fields import DocumentFields, Facet, amount
from schemas.findings import Code, Finding
from schemas.reads import Read
from schemas.report import DocumentReport


def _first_with(
    documents: list[DocumentReport], facet_of: Callable[[DocumentFields], Facet[str] | None]
) -> tuple[Read[str] | None, str]:
    """The facet on the first document that has it, and that document's kind ("unknown"
    when none has it)."""
    for document in documents:
        found = facet_of(document.fields)
        if found is not None:
            return found.read, document.kind
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
    identity = applicant.source_kind if applicant else "unknown"
    name = applicant.name if applicant else None
    id_number = comparable_text(applicant.id_number) if applicant else None
    employer_read, employer_kind = _first_with(documents, methodcaller("employer_name"))
    employer = employer_read.value or "" if employer_read else ""
    income, income_kind = _first_with(documents, methodcaller("certified_income"))
    unsure = income is not None and income.confidence is not None and income.confidence < clean
    monthly = None if unsure else amount(income)  # a misread figure is no income to hold
    typed_income = parse_money(declared.monthly_income)
    tolerance = Decimal(str(policy.tolerances.income_vs_credits))
    account_read, account_kind = _first_with(documents, methodcaller("account"))
    account = account_read.value or "" if account_read else ""
    mismatched: list[tuple[str, str, str, str]] = []  # field, typed, read, kind read from
    if declared.name and name and compare(name, declared.name, clean=clean) is Agreement.DIFFERENT:
        mismatched.append(("name", declared.name, str(name.value), identity))
    if declared.id_number and id_number and id_number != declared.id_number.upper():
        mismatched.append(("id_number", declared.id_number, id_number, identity))
    if declared.employer and employer and fuzz.ratio(declared.employer, employer) < EMPLOYER_MATCH:
        mismatched.append(("employer", declared.employer, employer, employer_kind))
    if monthly and typed_income and abs(typed_income - monthly) > tolerance * monthly:
        typed = declared.monthly_income or ""
        mismatched.append(("monthly_income", typed, str(monthly), income_kind))
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
            label=field_label(field),
            declared=typed,
            found=read,
            source=kind_label_pair(kind),
        )
        for field, typed, read, kind in mismatched
    ]
