"""Data shapes of docready: findings, the report, extracted and declared fields."""

from schemas.findings import Code, Evidence, Finding, Severity
from schemas.report import DocumentReport, FieldValue, PageQuality, Report, Verdict, verdict_of

__all__ = [
    "Code",
    "DocumentReport",
    "Evidence",
    "FieldValue",
    "Finding",
    "PageQuality",
    "Report",
    "Severity",
    "Verdict",
    "verdict_of",
]
