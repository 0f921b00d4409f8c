"""What every entry point must make of a corpus item, checked on the report's JSON."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from .corpus import GOOD_FILE, GOOD_KIND, ITEMS, Item

AS_OF = dt.date(2026, 11, 15)
HANG_GUARD_SECONDS = 30.0  # generous: a guard against hangs, not a performance target


def item_params() -> list[object]:
    """The corpus as pytest params, by id; a known library bug is xfail(strict): the fix
    makes the test pass, and strict mode says so."""
    params = []
    for item in ITEMS:
        marks = []
        if item.bug:
            marks.append(pytest.mark.xfail(strict=True, reason=f"library bug {item.bug}"))
        params.append(pytest.param(item, id=item.id, marks=marks))
    return params


def codes_by_file(report: dict[str, Any]) -> dict[str, set[str]]:
    """The finding codes of each file in a report's JSON (findings are listed once, top level)."""
    codes: dict[str, set[str]] = {document["file"]: set() for document in report["documents"]}
    for finding in report["findings"]:
        if finding.get("file") is not None:
            codes.setdefault(finding["file"], set()).add(finding["code"])
    return codes


def assert_application_report(item: Item, report: dict[str, Any] | str) -> None:
    """An application report of [item, good statement]: both files there, each as expected,
    and every finding worded (no template left unfilled)."""
    if isinstance(report, str):
        report = json.loads(report)
    assert len(report["documents"]) == 2
    codes = codes_by_file(report)
    [bad] = [document for document in report["documents"] if document["file"] != GOOD_FILE]
    assert_bad_item_reported(item, bad, codes[bad["file"]])
    assert_good_statement_checked(report["documents"])
    for finding in report["findings"]:
        assert finding["message"] and "{" not in finding["message"], finding


def assert_good_statement_checked(documents: list[dict[str, object]]) -> None:
    """The good statement still got its kind and its fields, whatever sat beside it."""
    [report] = [document for document in documents if document["file"] == GOOD_FILE]
    assert report["kind"] == GOOD_KIND
    fields = report["fields"]
    assert isinstance(fields, dict)
    assert fields["period_start"]["value"] == "2026-05-01"
    assert fields["period_end"]["value"] == "2026-07-31"
    assert fields["closing_balance"]["value"] == "41747.77"
    assert len(fields["transactions"]["value"]) > 50


def assert_bad_item_reported(item: Item, document: dict[str, object], codes: set[str]) -> None:
    """The bad file's own report says what the corpus item expects."""
    if item.shown is not None:
        assert document["file"] == item.shown
    if item.media_type is not None:
        assert document["media_type"] == item.media_type
    if item.pages is not None:
        assert document["pages"] == item.pages
    if item.codes:
        assert codes & item.codes, f"expected one of {sorted(item.codes)}, got {sorted(codes)}"
    assert not codes & item.forbidden, f"{sorted(codes & item.forbidden)} on a readable file"
    assert codes or document["kind"] not in ("unknown", None), "no finding and no kind"
