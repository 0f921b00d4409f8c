"""Application rules: completeness, cross-document consistency, age, declared vs read.

Each rule takes the documents of one application (their raw, unmasked fields) and returns
findings. A value read with low confidence that disagrees is reported as a likely misread
(asking for a clearer copy), never as a wrong document: marking a valid application invalid
is worse than missing a defect.

The rules are in `checker.rules`, one module per concern; `application_findings` runs them
all.
"""

from __future__ import annotations

import datetime as dt

from checker.policy import Policy
from checker.rules.business import business_statement_findings
from checker.rules.declared import declared_findings_against
from checker.rules.documents import completeness_findings, duplicate_file_findings
from checker.rules.employment import (
    contribution_base_findings,
    employer_findings,
    tax_income_findings,
)
from checker.rules.identity import (
    Judge,
    age_findings,
    applicant_of,
    id_number_findings,
    name_findings,
    validity_findings,
)
from checker.rules.statements import income_findings, seam_findings, statements_of
from checker.statements import statement_set_findings
from schemas.declared import DeclaredFields
from schemas.findings import Finding
from schemas.report import DocumentReport


def application_findings(
    documents: list[DocumentReport],
    declared: DeclaredFields,
    *,
    policy: Policy,
    profile: str,
    as_of: dt.date,
    judge: Judge | None = None,
) -> list[Finding]:
    """Every rule that looks at the application as a whole; `judge` (see `name_findings`)
    looks at the page images, which the reports do not hold."""
    findings = completeness_findings(documents, policy=policy, profile=profile)
    findings += duplicate_file_findings(documents)
    clean = policy.quality.clean_read_confidence
    applicant = applicant_of(documents, clean=clean)
    if applicant is not None:
        findings += name_findings(documents, applicant, clean=clean, judge=judge)
        findings += id_number_findings(documents, applicant, clean=clean)
        findings += age_findings(applicant, policy=policy, as_of=as_of)
    findings += validity_findings(documents)
    findings += declared_findings_against(documents, declared, applicant, policy=policy)
    findings += income_findings(documents, policy=policy)
    findings += employer_findings(documents)
    findings += tax_income_findings(documents, policy=policy)
    findings += contribution_base_findings(documents, declared, policy=policy)
    findings += business_statement_findings(documents, policy=policy, profile=profile)
    findings += seam_findings(documents, policy=policy)
    findings += statement_set_findings(statements_of(documents), policy=policy, as_of=as_of)
    return findings
