"""`summary.csv` and `index.html`: rewritten from the results file at the end of every run."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from checker.batch.results import RESULTS, read_results, write_atomic
from schemas.catalogue import Lang
from schemas.findings import Severity

SUMMARY = "summary.csv"
INDEX = "index.html"
TOP_CODES = 5  # codes shown per application in summary.csv
SUMMARY_COLUMNS = [
    "application",
    "verdict",
    "errors",
    "warnings",
    "top_codes",
    "error",
    "seconds",
    "html",
]

INDEX_REASONS = 8  # reasons listed per application on index.html; the rest in its report
INDEX_WORDS = {
    "zh": {
        "title": "批量预检",
        "count": "共 {count} 份申请",
        "application": "申请",
        "verdict": "结论",
        "reasons": "原因",
        "failed": "未能检查",
        "more": "另有 {count} 条，见该申请的报告",
        "none": "没有发现问题",
    },
    "en": {
        "title": "Batch check",
        "count": "{count} applications",
        "application": "application",
        "verdict": "verdict",
        "reasons": "reasons",
        "failed": "could not be checked",
        "more": "{count} more in the application's report",
        "none": "no findings",
    },
}


def index_rows(out: str | os.PathLike[str], lang: Lang) -> list[dict[str, Any]]:
    """One row per application for `index.html`, in words: the verdict with its tally, and
    the errors' and warnings' messages (the masked report's), or why it was not checked."""
    from checker.labels import severity_label, verdict_label

    rows = []
    for name, data in sorted(read_results(Path(out) / RESULTS).items()):
        report = data.get("report") or {}
        verdict = data.get("verdict")
        reasons = [
            {"severity": severity_label(finding["severity"], lang), "message": finding["message"]}
            for severity in (Severity.ERROR, Severity.WARNING)
            for finding in report.get("findings", [])
            if finding.get("severity") == severity
        ]
        if verdict is None:
            words = INDEX_WORDS[lang]["failed"]
        else:
            words = (report.get("summary") or {}).get("text") or verdict_label(verdict, lang)
        rows.append(
            {
                "application": name,
                "link": quote(data["html"]) if data.get("html") else "",
                "verdict": verdict or "",
                "verdict_words": words,
                "error": data.get("error") or "",
                "reasons": reasons[:INDEX_REASONS],
                "more": max(0, len(reasons) - INDEX_REASONS),
            }
        )
    return rows


def summary_rows(out: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """One row per application in `out/results.jsonl` (its last line), by name."""
    rows = []
    for name, data in sorted(read_results(Path(out) / RESULTS).items()):
        rows.append(
            {
                "application": name,
                "verdict": data.get("verdict") or "",
                "errors": data.get("errors", 0),
                "warnings": data.get("warnings", 0),
                "top_codes": " ".join(data.get("codes", [])[:TOP_CODES]),
                "error": data.get("error") or "",
                "seconds": data.get("seconds", ""),
                "html": data.get("html") or "",
            }
        )
    return rows


def write_summary(out: str | os.PathLike[str], lang: Lang = "zh") -> list[dict[str, Any]]:
    """Rewrite `summary.csv`, and `index.html` (in `lang`) when any application has an HTML
    report."""
    out = Path(out)
    rows = summary_rows(out)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(out / SUMMARY, text.getvalue().encode("utf-8"))
    if any(row["html"] for row in rows):
        from checker.html import templates

        template = templates().get_template("index.html.j2")
        page = template.render(rows=index_rows(out, lang), words=INDEX_WORDS[lang], lang=lang)
        write_atomic(out / INDEX, page.encode("utf-8"))
    return rows
