"""Terminal rendering of reports with rich."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from schemas.findings import Severity
from schemas.report import Report, Verdict

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_VERDICT_STYLE = {
    Verdict.READY: "bold green",
    Verdict.REVIEW: "bold yellow",
    Verdict.NOT_READY: "bold red",
}
_VERDICT_TEXT = {
    "zh": {Verdict.READY: "可以提交", Verdict.REVIEW: "需核对", Verdict.NOT_READY: "暂不可提交"},
    "en": {
        Verdict.READY: "ready to submit",
        Verdict.REVIEW: "check before submitting",
        Verdict.NOT_READY: "not ready",
    },
}


def print_report(report: Report, console: Console, *, title: str | None = None) -> None:
    """The verdict, a table of documents and a table of findings."""
    verdict = _VERDICT_TEXT[report.lang][report.verdict]
    heading = f"{title} — " if title else ""
    console.print(
        f"{heading}[{_VERDICT_STYLE[report.verdict]}]{report.verdict.value}[/] ({verdict})"
        f"  as_of={report.as_of}  profile={report.profile}"
    )
    documents = Table("file", "kind", "conf.", "pages", "read by", "OCR s", show_edge=False)
    for document in report.documents:
        sources = sorted({quality.source for quality in document.quality}) or ["—"]
        seconds = sum(quality.ocr_seconds or 0.0 for quality in document.quality)
        documents.add_row(
            f"{document.file} ({document.part})" if document.part else document.file,
            document.kind,
            f"{document.kind_confidence:.2f}",
            str(document.pages),
            ",".join(sources),
            f"{seconds:.2f}",
        )
    console.print(documents)
    if not report.findings:
        console.print("  no findings")
        return
    for finding in report.findings:
        style = _SEVERITY_STYLE[finding.severity]
        where = " · ".join(part for part in (finding.file, finding.field) if part)
        console.print(
            f"[{style}]{finding.severity.value:<7}[/] [bold]{finding.code.value}[/]"
            + (f"  [dim]{where}[/]" if where else "")
        )
        console.print(f"    {finding.message}", highlight=False)
        console.print(f"    [green]→ {finding.hint}[/]", highlight=False)
