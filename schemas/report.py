"""The report: what docready read from each document, what it found, and the verdict."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from schemas.findings import Finding, Severity


class Verdict(StrEnum):
    """Whether an application can be submitted as it is."""

    READY = "ready"  # no error, no warning
    REVIEW = "review"  # warnings only
    NOT_READY = "not_ready"  # at least one error


class FieldValue(BaseModel):
    """One extracted field with its provenance."""

    value: Any
    confidence: float | None = None
    page: int | None = None
    box: tuple[int, int, int, int] | None = None
    raw: str | None = None  # the text as read, before parsing
    method: str | None = None  # how it was read: text_layer, ocr, ocr_retry, mrz_corrected …


class PageQuality(BaseModel):
    """Image metrics of one page, measured before reading."""

    page: int
    width: int
    height: int
    dpi: int | None = None
    source: str  # text_layer, ocr, table
    sharpness: float | None = None  # variance of the Laplacian, greyscale
    brightness: float | None = None  # mean grey level 0..255
    glare_ratio: float | None = None  # share of saturated pixels
    phash: str | None = None  # perceptual hash, to spot one image submitted twice
    ocr_confidence: float | None = None  # mean word confidence 0..1
    ocr_seconds: float | None = None
    ocr_cached: bool | None = None


class DocumentReport(BaseModel):
    """One file: its kind, what was read from it, and its findings."""

    file: str
    part: str | None = None  # which part of the file ("pages 2-3"), when it holds several
    media_type: str | None = None
    kind: str = "unknown"
    kind_confidence: float = 0.0
    pages: int = 0
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    quality: list[PageQuality] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        return verdict_of(self.findings)


class Report(BaseModel):
    """One application: every document and every finding, with the verdict."""

    verdict: Verdict
    as_of: dt.date
    profile: str
    lang: str = "zh"
    masked: bool = True
    documents: list[DocumentReport] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON; each finding is listed once, under `findings`."""
        return self.model_dump_json(indent=indent, exclude={"documents": {"__all__": {"findings"}}})


def verdict_of(findings: list[Finding]) -> Verdict:
    """`not_ready` on any error, `review` on any warning, else `ready`."""
    severities = {finding.severity for finding in findings}
    if Severity.ERROR in severities:
        return Verdict.NOT_READY
    if Severity.WARNING in severities:
        return Verdict.REVIEW
    return Verdict.READY


def report_json_schema() -> dict[str, Any]:
    """The published JSON Schema of a report (as `Report.to_json` writes it)."""
    return Report.model_json_schema(mode="serialization")
