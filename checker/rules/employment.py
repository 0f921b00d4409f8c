"""The employer and the income the documents state, against each other: one employer across
the income proofs, the tax record's withholder, the housing fund and social insurance; the
certified income against the tax record's wage income; the declared income against the
housing fund's contribution base."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from rapidfuzz.distance import Levenshtein

from checker.findings import new_finding
from checker.labels import kind_label_pair
from checker.parse import parse_money
from checker.policy import Policy
from checker.rules.values import comparable, compared_evidence
from schemas.contributions import HousingFundFields
from schemas.declared import DeclaredFields
from schemas.fields import Facet, amount
from schemas.findings import Code, Finding
from schemas.report import DocumentReport
from schemas.tax import TaxRecordFields

FORM = {"zh": "申请表", "en": "application form"}


class Employer(Enum):
    SAME = "same"
    NEAR_MISS = "near_miss"  # a character or two apart: most likely a misread
    DIFFERENT = "different"


def same_employer(found: str, expected: str) -> Employer:
    """Whether two printed employer names are one company: equal, or one the other's short
    form (北京星河科技 within 北京星河科技有限公司); a character or two apart is a near miss."""
    read, want = comparable(found), comparable(expected)
    if read == want or (min(len(read), len(want)) >= 4 and (read in want or want in read)):
        return Employer.SAME
    if Levenshtein.distance(read, want) <= max(1, len(want) // 8):
        return Employer.NEAR_MISS
    return Employer.DIFFERENT


def _employers(documents: list[DocumentReport]) -> list[tuple[DocumentReport, Facet[str]]]:
    """Each document that names an employer, with it: those certifying the income first (the
    income certificate's employer is the one the others are held to)."""
    named = [
        (document, found)
        for document in documents
        if (found := document.fields.employer_name()) is not None and found.read.value
    ]
    return sorted(named, key=lambda pair: pair[0].fields.certified_employer() is None)


def employer_findings(documents: list[DocumentReport]) -> list[Finding]:
    """Every document's employer against the first income proof's: a near miss is a likely
    misread (a warning asking to look), a different name a warning asking why."""
    named = _employers(documents)
    if len(named) < 2:
        return []
    source, reference = named[0]
    expected = str(reference.read.value)
    findings = []
    for document, found in named[1:]:
        agreement = same_employer(str(found.read.value), expected)
        if agreement is Employer.SAME:
            continue
        code = (
            Code.EMPLOYER_LIKELY_MISREAD
            if agreement is Employer.NEAR_MISS
            else Code.EMPLOYER_DIFFERS
        )
        findings.append(
            new_finding(
                code,
                file=document.file,
                field=found.field,
                evidence=compared_evidence(document, found.read),
                document=kind_label_pair(document.kind),
                found=str(found.read.value),
                expected=expected,
                source=kind_label_pair(source.kind),
            )
        )
    return findings


def certified_incomes(
    documents: list[DocumentReport], *, clean: float
) -> list[tuple[DocumentReport, str, Decimal]]:
    """Each document that certifies a monthly income (a certificate, a payslip), with the
    field it was read from and the amount; an amount read less than `clean` sure is left out
    (its own document asks for a clearer copy: a misread figure is no income to hold others
    to)."""
    return [
        (document, found.field, income)
        for document in documents
        if (found := document.fields.certified_income()) is not None
        and (income := amount(found.read))
        and (found.read.confidence is None or found.read.confidence >= clean)
    ]


def tax_records(documents: list[DocumentReport]) -> list[tuple[DocumentReport, Decimal]]:
    """Each tax record with its recent monthly wage income (see `recent_monthly_wage`)."""
    return [
        (document, wage)
        for document in documents
        if isinstance(document.fields, TaxRecordFields)
        and (wage := document.fields.recent_monthly_wage()) is not None
    ]


def tax_income_findings(documents: list[DocumentReport], *, policy: Policy) -> list[Finding]:
    """The monthly income each income proof certifies against the tax record's wage income
    (both gross), within the policy's tolerance."""
    records = tax_records(documents)
    if not records:
        return []
    record, taxed = records[0]
    assert isinstance(record.fields, TaxRecordFields)
    months = min(len(record.fields.monthly_wage_income()), TaxRecordFields.RECENT_MONTHS)
    tolerance = Decimal(str(policy.tolerances.tax_vs_certified))
    clean = policy.quality.clean_read_confidence
    return [
        new_finding(
            Code.TAX_INCOME_MISMATCH,
            file=document.file,
            field=field,
            document=kind_label_pair(document.kind),
            certified=certified,
            taxed=taxed,
            months=months,
            tolerance=f"{tolerance:.0%}",
        )
        for document, field, certified in certified_incomes(documents, clean=clean)
        if abs(certified - taxed) > tolerance * certified
    ]


def contribution_base_findings(
    documents: list[DocumentReport], declared: DeclaredFields, *, policy: Policy
) -> list[Finding]:
    """The income typed in the form (else the one certified) against the housing fund's
    monthly base: more than the policy's share above it asks for proof of the difference.
    A base above the income says nothing against the applicant and is left alone."""
    income, source = parse_money(declared.monthly_income), FORM
    if not income:
        certified = certified_incomes(documents, clean=policy.quality.clean_read_confidence)
        if not certified:
            return []
        document, _, income = certified[0]
        source = kind_label_pair(document.kind)
    tolerance = Decimal(str(policy.tolerances.income_vs_contribution_base))
    return [
        new_finding(
            Code.INCOME_ABOVE_CONTRIBUTION_BASE,
            file=document.file,
            field="contribution_base",
            document=kind_label_pair(document.kind),
            source=source,
            income=income,
            base=base,
            tolerance=f"{tolerance:.0%}",
        )
        for document in documents
        if isinstance(document.fields, HousingFundFields)
        and (base := document.fields.monthly_base())
        and income > base * (1 + tolerance)
    ]
