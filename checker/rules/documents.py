"""The application's documents as a set: each requirement of the profile met, a file too
poor to classify, the same file submitted twice."""

from __future__ import annotations

from checker.findings import new_finding
from checker.policy import Policy
from schemas.findings import Code, Finding, Severity
from schemas.kinds import DocumentKind
from schemas.report import DocumentReport

QUALITY_CODES = {
    Code.IMAGE_BLURRY,
    Code.IMAGE_LOW_RESOLUTION,
    Code.IMAGE_CUT_OFF,
    Code.IMAGE_GLARE,
    Code.IMAGE_TOO_DARK,
}


def completeness_findings(
    documents: list[DocumentReport], *, policy: Policy, profile: str
) -> list[Finding]:
    """A `document_missing` error for each requirement no set of documents meets.

    A file too poor to classify may be the missing piece: a requirement already partly met
    is not called missing while such a file is there (its quality error says what to fix).
    """
    kinds = {document.kind for document in documents}
    unclassified = any(
        document.kind == DocumentKind.UNKNOWN and has_quality_error(document)
        for document in documents
    )
    findings = []
    for requirement in policy.profiles[profile].requires:
        if any(set(alternative) <= kinds for alternative in requirement.any_of):
            continue
        partly_met = any(set(alternative) & kinds for alternative in requirement.any_of)
        if unclassified and partly_met:
            continue
        findings.append(new_finding(Code.DOCUMENT_MISSING, document=requirement.name))
    return findings


def has_quality_error(document: DocumentReport) -> bool:
    """Whether an image-quality error was found on any page of the document."""
    return any(
        finding.code in QUALITY_CODES and finding.severity == Severity.ERROR
        for finding in document.findings
    )


def duplicate_file_findings(documents: list[DocumentReport]) -> list[Finding]:
    """The same image submitted under two names: equal perceptual hashes and equal reads.

    Pages of one template (payslips of several months) share a hash; what was read on them
    differs, so they are not duplicates.
    """
    seen: dict[tuple[str, ...], str] = {}
    findings = []
    for document in documents:
        hashes = tuple(quality.phash or "" for quality in document.quality)
        if not any(hashes):
            continue
        values = tuple(f"{name}={field.value}" for name, field in sorted(document.fields.items()))
        other = seen.setdefault((document.kind, *hashes, *values), document.file)
        if other != document.file:
            findings.append(
                new_finding(
                    Code.DUPLICATE_FILE, file=document.file, first=other, second=document.file
                )
            )
    return findings
