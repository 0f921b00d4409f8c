"""Several statements of one account: gaps, overlaps, continuity, coverage, recency, duplicates."""

import datetime as dt

import pytest

from checker.policy import default_policy
from checker.statements.sets import statement_set_findings
from schemas.findings import Code, Severity
from schemas.reads import Read

AS_OF = dt.date(2026, 11, 15)


FILES = {"previous": "s1.pdf", "following": "s2.pdf"}  # the two statements a finding compares


def _statement(
    start, end, opening="100.00", closing="100.00", rows=(), account="6222021234567890128"
):
    return {
        "account_number": Read(value=account),
        "period_start": Read(value=start),
        "period_end": Read(value=end),
        "opening_balance": Read(value=opening),
        "closing_balance": Read(value=closing),
        "transactions": Read(value=list(rows)),
    }


def _codes(*statements):
    items = [(f"s{index}.pdf", fields) for index, fields in enumerate(statements, start=1)]
    findings = statement_set_findings(items, policy=default_policy(), as_of=AS_OF)
    return [(f.code, f.severity, f.ctx) for f in findings]


def test_six_consecutive_months_are_clean():
    assert (
        _codes(
            _statement("2026-08-01", "2026-10-31", "150.00", "200.00"),
            _statement("2026-05-01", "2026-07-31", "100.00", "150.00"),
        )
        == []
    )


def test_gap_between_statements():
    found = _codes(_statement("2026-03-01", "2026-06-30"), _statement("2026-08-01", "2026-10-31"))
    assert found == [
        (
            Code.STATEMENT_GAP,
            Severity.ERROR,
            {**FILES, "start": "2026-07-01", "end": "2026-07-31"},
        )
    ]


def test_overlap_is_info():
    found = _codes(_statement("2026-05-01", "2026-08-15"), _statement("2026-08-01", "2026-10-31"))
    assert found == [
        (
            Code.STATEMENT_OVERLAP,
            Severity.INFO,
            {**FILES, "start": "2026-08-01", "end": "2026-08-15"},
        )
    ]


def test_discontinuity_between_adjacent_statements():
    found = _codes(
        _statement("2026-05-01", "2026-07-31", closing="150.00"),
        _statement("2026-08-01", "2026-10-31", opening="151.00"),
    )
    assert found == [
        (
            Code.STATEMENT_DISCONTINUITY,
            Severity.ERROR,
            {**FILES, "closing": "150.00", "opening": "151.00"},
        )
    ]


@pytest.mark.parametrize(
    ("start", "months"),
    [
        pytest.param("2026-08-01", 3, id="three-months"),
        pytest.param("2026-06-01", 5, id="five-months"),
    ],
)
def test_coverage_short(start, months):
    found = _codes(_statement(start, "2026-10-31"))
    assert found == [
        (Code.STATEMENT_COVERAGE_SHORT, Severity.ERROR, {"months": months, "required": 6})
    ]


def test_rolling_six_months_mid_month_is_enough():
    assert _codes(_statement("2026-05-15", "2026-11-14")) == []


def test_stale_statement():
    found = _codes(_statement("2026-03-01", "2026-09-30"))
    assert found == [
        (Code.STATEMENT_STALE, Severity.ERROR, {"period_end": "2026-09-30", "days": 30})
    ]


def _txn(date, amount, party="京东商城"):
    return {
        "date": date,
        "debit": amount,
        "credit": "",
        "description": "快捷支付",
        "counterparty": party,
    }


def test_duplicate_transaction_is_a_warning():
    rows = [_txn("2026-10-02", "35.50"), _txn("2026-10-02", "35.50"), _txn("2026-10-02", "35.51")]
    found = _codes(_statement("2026-05-01", "2026-10-31", rows=rows))
    assert found == [(Code.DUPLICATE_TRANSACTION, Severity.WARNING, {"row": 2, "other_row": 1})]


def test_rows_printed_in_two_overlapping_statements_are_not_duplicates():
    both = [_txn("2026-08-05", "35.50")]
    found = _codes(
        _statement("2026-05-01", "2026-08-15", rows=both),
        _statement("2026-08-01", "2026-10-31", rows=both),
    )
    assert [code for code, _, _ in found] == [Code.STATEMENT_OVERLAP]


def test_masked_and_full_number_are_one_account():
    found = _codes(
        _statement("2026-05-01", "2026-07-31", closing="150.00"),
        _statement("2026-08-01", "2026-10-31", opening="150.00", account="6222 **** **** 0128"),
    )
    assert found == []


def test_no_statements_no_findings():
    assert _codes() == []
