"""The published JSON Schema of the report is current and describes real reports."""

import json
from pathlib import Path

from schemas.report import report_json_schema

PUBLISHED = Path(__file__).parents[2] / "schemas" / "report.schema.json"


def test_published_schema_is_current():
    published = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    assert published == report_json_schema(), (
        "regenerate with: .venv/bin/docready schema > schemas/report.schema.json"
    )


def test_schema_names_the_report_keys():
    schema = report_json_schema()
    assert {"verdict", "as_of", "profile", "documents", "findings"} <= set(schema["properties"])


def _report():
    from schemas.findings import Code, Finding, Severity
    from schemas.reads import Read
    from schemas.report import DocumentReport, Report, Verdict

    finding = Finding(code=Code.ID_EXPIRED, severity=Severity.ERROR, message="m", hint="h")
    rows = Read(value=[{"amount": "1.00"}] * 3, box=(1, 2, 3, 4))
    document = DocumentReport(
        file="s.pdf",
        kind="bank_statement",
        fields={"transactions": rows, "bank": Read(value="X", box=(1, 2, 3, 4), raw="X")},
    )
    return Report(
        verdict=Verdict.NOT_READY,
        as_of="2026-11-15",
        profile="personal_loan",
        lang="en",
        documents=[document],
        findings=[finding],
    )


def test_json_gives_the_reasons_before_the_documents():
    keys = list(json.loads(_report().to_json()))
    assert keys[:2] == ["verdict", "summary"]
    assert keys.index("findings") < keys.index("documents") == len(keys) - 1


def test_summary_counts_and_says_the_verdict():
    summary = json.loads(_report().to_json())["summary"]
    assert summary == {
        "errors": 1,
        "warnings": 0,
        "info": 0,
        "text": "not ready to submit: 1 error",
    }


def test_brief_json_leaves_out_transactions_and_boxes():
    full = json.loads(_report().to_json())
    brief = json.loads(_report().to_json(brief=True))
    assert "transactions" in full["documents"][0]["fields"]
    assert brief["documents"][0]["fields"] == {
        "kind": "bank_statement",
        "bank": {"value": "X", "confidence": None, "page": None, "method": None},
    }
    assert brief["findings"] == full["findings"]
