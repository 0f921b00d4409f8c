"""A business loan's business: the business licence's name on the bank statements, as the
account's holder or a transaction's counterparty, where the product asks for it."""

from __future__ import annotations

from checker.findings import new_finding, read_evidence
from checker.policy import Policy
from checker.rules.employment import Employer, same_employer
from checker.rules.statements import statements_of
from schemas.business import BusinessLicenceFields
from schemas.findings import Code, Finding
from schemas.reads import Reads
from schemas.report import DocumentReport


def business_names(documents: list[DocumentReport]) -> list[str]:
    """The names of the businesses the application's licences register."""
    return [
        str(found.read.value)
        for document in documents
        if isinstance(document.fields, BusinessLicenceFields)
        and (found := document.fields.business_name()) is not None
        and found.read.value
    ]


def names_business(text: str, businesses: list[str]) -> bool:
    """Whether `text` (a holder, a counterparty) names one of the businesses."""
    return any(same_employer(text, business) is not Employer.DIFFERENT for business in businesses)


def _shows(fields: Reads, business: str) -> bool:
    """Whether one statement names the business: its holder, a counterparty or a row's
    description (代发工资 北京星河科技有限公司)."""
    holder = fields.get("account_holder")
    if holder is not None and holder.value and names_business(str(holder.value), [business]):
        return True
    rows = fields["transactions"].value or [] if "transactions" in fields else []
    for row in rows:
        party = str(row.get("counterparty") or "")
        if party and names_business(party, [business]):
            return True
        if business in str(row.get("description") or ""):
            return True
    return False


def business_statement_findings(
    documents: list[DocumentReport], *, policy: Policy, profile: str
) -> list[Finding]:
    """A warning for each licensed business no statement shows, when the profile asks for
    the business on the statements (no statement at all is `document_missing`'s)."""
    if not policy.profiles[profile].business_on_statements:
        return []
    statements = [fields for _, fields in statements_of(documents)]
    if not statements:
        return []
    findings = []
    for document in documents:
        if not isinstance(document.fields, BusinessLicenceFields):
            continue
        found = document.fields.business_name()
        if found is None or not found.read.value:
            continue
        if not any(_shows(fields, str(found.read.value)) for fields in statements):
            findings.append(
                new_finding(
                    Code.BUSINESS_NOT_ON_STATEMENTS,
                    file=document.file,
                    field=found.field,
                    evidence=read_evidence(document.file, found.read),
                    business=str(found.read.value),
                )
            )
    return findings
