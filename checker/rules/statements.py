"""The application's bank statements: each statement's files (a statement uploaded page by
page joined to its header's file), the balances across those files, and the income and
employer the certificates state against the salary credited."""

from __future__ import annotations

from decimal import Decimal

from rapidfuzz import fuzz

from checker.findings import new_finding
from checker.labels import kind_label_pair
from checker.policy import Policy
from checker.rules.employment import certified_incomes, tax_records
from checker.rules.values import EMPLOYER_MATCH
from checker.statements import SalarySignal, salary_signal
from checker.statements.seams import is_continuation, page_file_findings
from schemas.findings import Code, Finding
from schemas.reads import Reads
from schemas.report import DocumentReport
from schemas.statement import BankStatementFields


def statement_files(documents: list[DocumentReport]) -> list[list[DocumentReport]]:
    """Each statement's files: the one with its header, then any later pages uploaded as files
    of their own (no period, no holder)."""
    groups: list[list[DocumentReport]] = []
    for document in documents:
        if not isinstance(document.fields, BankStatementFields):
            continue
        if is_continuation(document.fields.reads()) and groups:
            groups[-1].append(document)
        else:
            groups.append([document])
    return groups


def statements_of(documents: list[DocumentReport]) -> list[tuple[str, Reads]]:
    """Each statement's file and fields, its later page files' rows joined to its own."""
    statements = []
    for head, *pages in statement_files(documents):
        fields = head.fields.reads()
        if pages and "transactions" in fields:
            rows = list(fields["transactions"].value or [])
            rows += [row for page in pages for row in page.fields["transactions"].value or []]
            fields["transactions"] = fields["transactions"].model_copy(update={"value": rows})
        statements.append((head.file, fields))
    return statements


def seam_findings(documents: list[DocumentReport], *, policy: Policy) -> list[Finding]:
    """Balances across the page files of each statement uploaded page by page."""
    return [
        finding
        for files in statement_files(documents)
        if len(files) > 1
        for finding in page_file_findings([(f.file, f.fields.reads()) for f in files], policy)
    ]


def _salary(documents: list[DocumentReport]) -> SalarySignal | None:
    """The strongest salary signal over all statements."""
    signals = [
        signal
        for _, fields in statements_of(documents)
        if (signal := salary_signal(fields)) is not None
    ]
    return max(signals, key=lambda signal: (signal.keyword, signal.months), default=None)


def _monthly_incomes(
    documents: list[DocumentReport], *, clean: float
) -> list[tuple[DocumentReport, str, Decimal]]:
    """Each document's monthly gross income and the field it stands in: the income a
    certificate or payslip certifies, a tax record's recent wage income."""
    taxed = [(document, "rows", wage) for document, wage in tax_records(documents)]
    return certified_incomes(documents, clean=clean) + taxed


def income_findings(documents: list[DocumentReport], *, policy: Policy) -> list[Finding]:
    """Certified (or taxed) income and the certified employer against the salary credited
    on the statements.

    Certificates and tax records state gross pay; credits are net. A credit counts as
    consistent from `min_net_share` of the income (less the tolerance) up to the income
    plus it.
    """
    signal = _salary(documents)
    if signal is None:
        return []
    tolerance = Decimal(str(policy.tolerances.income_vs_credits))
    net_share = Decimal(str(policy.tolerances.min_net_share))
    findings = []
    clean = policy.quality.clean_read_confidence
    for document, field, certified in _monthly_incomes(documents, clean=clean):
        low = certified * net_share * (1 - tolerance)
        if not low <= signal.monthly_median <= certified * (1 + tolerance):
            findings.append(
                new_finding(
                    Code.INCOME_MISMATCH,
                    file=document.file,
                    field=field,
                    document=kind_label_pair(document.kind),
                    certified=certified,
                    credited=signal.monthly_median,
                    tolerance=f"{tolerance:.0%}",
                )
            )
    for document in documents:
        certified_by = document.fields.certified_employer()
        employer = (certified_by.read.value or "") if certified_by is not None else ""
        if (
            certified_by is not None
            and employer
            and signal.payer
            and fuzz.partial_ratio(employer, signal.payer) < EMPLOYER_MATCH
        ):
            findings.append(
                new_finding(
                    Code.EMPLOYER_MISMATCH,
                    file=document.file,
                    field=certified_by.field,
                    document=kind_label_pair(document.kind),
                    certified=employer,
                    payer=signal.payer,
                )
            )
    return findings
