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
