"""The bank statement module through the common document interface."""

import datetime as dt

import pytest

from checker.document import Reading, Table, Word
from checker.documents import CheckContext, Content, bank_statement, module_for
from checker.policy import default_policy
from schemas.findings import Code


@pytest.fixture(name="context")
def fixture_context():
    return CheckContext(policy=default_policy(), as_of=dt.date(2026, 11, 15), file="s.pdf")


JUNK = {
    "empty": Content(readings=()),
    "euro": Content(readings=(Reading(1, [Word("€", (0, 0, 10, 10), 1.0)], "ocr"),)),
    "nul": Content(readings=(Reading(1, [Word("\x00", (0, 0, 0, 0), 0.0)], "ocr"),)),
    "spaces": Content(readings=(Reading(1, [Word(" " * 500, (0, 0, 5, 5), 1.0)], "ocr"),)),
    "blank-page": Content(readings=(Reading(1, [], "ocr"),)),
    "empty-table": Content(readings=(), tables=(Table("csv", []),)),
    "ragged-table": Content(readings=(), tables=(Table("csv", [["交易日期"], ["x", "", "y"]]),)),
}


def test_module_is_found_by_kind():
    assert module_for("bank_statement") is bank_statement


@pytest.mark.parametrize("name", list(JUNK), ids=list(JUNK))
def test_junk_gives_findings_never_an_exception(name, context):
    content = JUNK[name]
    assert 0.0 <= bank_statement.detect(content) < 0.5
    fields = bank_statement.extract(content)
    findings = bank_statement.check(fields, context)
    assert Code.FIELD_UNREADABLE in {finding.code for finding in findings}


def test_transactions_are_json_serialisable(context):
    table = Table(
        "csv",
        [
            ["户名：张三", "账号：6222021234567890128"],
            ["起止日期：2026-10-01至2026-10-31"],
            ["交易日期", "摘要", "对方户名", "收入", "支出", "余额"],
            ["2026-10-02", "消费", "超市", "", "10.00", "90.00"],
        ],
    )
    fields = bank_statement.extract(Content(readings=(), tables=(table,)))
    dumped = fields["transactions"].model_dump(mode="json")
    assert dumped["value"][0]["debit"] == "10.00"
    assert dumped["value"][0]["line"] == 4
    assert bank_statement.check(fields, context) == []


@pytest.mark.parametrize(
    ("method", "breaks", "expected"),
    [
        ("ocr", 1, ["balance_break"]),
        ("ocr", 4, ["retake"]),
        ("text_layer", 4, ["balance_break"] * 4),
    ],
    ids=["ocr-one-break", "ocr-many-breaks", "text-layer-many-breaks"],
)
def test_many_breaks_on_an_ocr_read_are_one_retake(method, breaks, expected):
    from checker.findings import new_finding
    from checker.statements.checks import unless_too_many_breaks
    from schemas.reads import Read

    found = [
        new_finding(Code.BALANCE_BREAK, file="s", row=n, expected=1, shown=2) for n in range(breaks)
    ]
    rows = Read(value=[{}], method=method, page=1)
    context = CheckContext(policy=default_policy(), as_of=dt.date(2026, 11, 15), file="s")
    kept = unless_too_many_breaks(found, rows, context)
    assert [finding.code.value for finding in kept] == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        (None, ["statement_totals_mismatch"]),
        ("4/4", ["statement_totals_mismatch"]),
        ("1/4", []),  # the closing balance sums rows on pages 2-4, sent as other files
    ],
    ids=["no-page-number", "last-page", "first-of-four"],
)
def test_closing_balance_checked_only_on_the_last_page(printed, expected, context):
    from schemas.reads import Read

    row = {
        "date": "2026-10-02",
        "description": "消费",
        "counterparty": "超市",
        "debit": "10.00",
        "credit": "",
        "balance": "90.00",
        "source": "text_layer",
        "cells": {},
    }
    fields = {
        "account_holder": Read(value="张三"),
        "period_start": Read(value="2026-10-01"),
        "period_end": Read(value="2026-10-31"),
        "opening_balance": Read(value="100.00"),
        "closing_balance": Read(value="500.00"),
        "transactions": Read(value=[row], method="text_layer"),
    }
    if printed:
        fields["printed_page"] = Read(value=printed)
    findings = bank_statement.check(bank_statement.FIELDS.of(fields), context)
    assert [finding.code.value for finding in findings] == expected
