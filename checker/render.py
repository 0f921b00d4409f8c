"""Terminal rendering of reports with rich: the verdict in words, the documents, the findings."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from checker.labels import kind_label, profile_label, severity_label
from schemas.catalogue import Lang
from schemas.findings import Severity
from schemas.report import Report, Verdict

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_VERDICT_STYLE = {
    Verdict.READY: "bold green",
    Verdict.REVIEW: "bold yellow",
    Verdict.NOT_READY: "bold red",
}
_SOURCES = {
    "zh": {"text_layer": "文字层", "ocr": "文字识别", "table": "表格"},
    "en": {"text_layer": "text layer", "ocr": "OCR", "table": "table"},
}
_WORDS = {
    "zh": {
        "checked": "按「{profile}」核对，日期 {as_of}",
        "file": "文件",
        "document": "识别为",
        "pages": "页数",
        "read": "读取方式",
        "none": "  没有发现问题。",
        "code": "代码",
    },
    "en": {
        "checked": "checked as {profile}, as of {as_of}",
        "file": "file",
        "document": "recognised as",
        "pages": "pages",
        "read": "read from",
        "none": "  No findings.",
        "code": "code",
    },
}


def print_report(report: Report, console: Console, *, title: str | None = None) -> None:
    """The verdict in words, a table of documents and each finding with its fix."""
    lang: Lang = "en" if report.lang == "en" else "zh"
    words = _WORDS[lang]
    if title:
        console.print(title, style="bold", highlight=False, markup=False, soft_wrap=True)
    console.print(report.summary.text, style=_VERDICT_STYLE[report.verdict], highlight=False)
    console.print(
        words["checked"].format(profile=profile_label(report.profile, lang), as_of=report.as_of),
        style="dim",
        highlight=False,
        markup=False,
    )
    documents = Table(words["file"], words["document"], words["pages"], words["read"])
    documents.columns[0].overflow = "fold"  # a long file name wraps, never cut
    for document in report.documents:
        sources = sorted({quality.source for quality in document.quality})
        documents.add_row(
            f"{document.file} ({document.part})" if document.part else document.file,
            kind_label(document.kind, lang),
            str(document.pages),
            ", ".join(_SOURCES[lang].get(source, source) for source in sources) or "—",
        )
    console.print(documents)
    if not report.findings:
        console.print(words["none"])
        return
    for finding in report.findings:
        style = _SEVERITY_STYLE[finding.severity]
        console.print(
            f"[{style}]{severity_label(finding.severity, lang)}[/]"
            + (f"  {finding.file}" if finding.file else "")
            + f"  [dim]({words['code']} {finding.code.value})[/]",
            highlight=False,
        )
        console.print(f"    {finding.message}", highlight=False, markup=False)
        console.print(f"    → {finding.hint}", style="green", highlight=False, markup=False)
