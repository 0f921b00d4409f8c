"""Application rules: completeness against the profile (consistency rules join later)."""

from __future__ import annotations

import datetime as dt

from checker.findings import new_finding
from checker.policy import Policy
from schemas.declared import DeclaredFields
from schemas.findings import Code, Finding
from schemas.report import DocumentReport


def completeness_findings(
    documents: list[DocumentReport], *, policy: Policy, profile: str
) -> list[Finding]:
    """A `document_missing` error for each requirement no set of documents meets."""
    kinds = {document.kind for document in documents}
    return [
        new_finding(Code.DOCUMENT_MISSING, document=requirement.name)
        for requirement in policy.profiles[profile].requires
        if not any(set(alternative) <= kinds for alternative in requirement.any_of)
    ]


def application_findings(
    documents: list[DocumentReport],
    declared: DeclaredFields,
    *,
    policy: Policy,
    profile: str,
    as_of: dt.date,
) -> list[Finding]:
    """Every rule that looks at the application as a whole."""
    return completeness_findings(documents, policy=policy, profile=profile)
