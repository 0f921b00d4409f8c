"""Data shapes of docready: findings, the report, extracted and declared fields."""

from schemas.fields import DocumentFields
from schemas.findings import Code, Evidence, Finding, Severity
from schemas.kinds import DocumentKind
from schemas.reads import Read
from schemas.report import DocumentReport, PageQuality, Report, Verdict, verdict_of

__all__ = [
    "Code",
    "DocumentFields",
    "DocumentKind",
    "DocumentReport",
    "Evidence",
    "Finding",
    "PageQuality",
    "Read",
    "Report",
    "Severity",
    "Verdict",
    "verdict_of",
]
