"""The running balance, to the cent, every break listed; a misread asks for a retake."""

import subprocess
import sys

import pytest

from checker.policy import default_policy
from checker.statements.reconcile import one_digit_apart, transaction_findings
from schemas.findings import Code, Severity
from schemas.reads import Read

FILE = "s.pdf"


def _row(date, debit, credit, balance, *, source="text_layer", confidence=0.95):
    cells = {
        key: {"raw": value, "confidence": confidence, "box": [0, 0, 10, 10]}
        for key, value in (("debit", debit), ("credit", credit), ("balance", balance))
        if value
    }
    return {
        "date": date,
        "description": "消费",
        "counterparty": "超市",
        "debit": debit,
        "credit": credit,
        "balance": balance,
        "source": source,
        "cells": cells,
        "page": 1,
    }


def _fields(rows, opening="100.00", closing=None, start="2026-05-01", end="2026-05-31"):
    fields = {
        "transactions": Read(value=rows),
        "opening_balance": Read(value=opening),
        "period_start": Read(value=start),
        "period_end": Read(value=end),
    }
    if closing is not None:
        fields["closing_balance"] = Read(value=closing)
    return fields


def _check(rows, **kwargs):
    return transaction_findings(_fields(rows, **kwargs), file=FILE, policy=default_policy())


@pytest.fixture(name="clean_rows")
def fixture_clean_rows():
    return [
        _row("2026-05-02", "10.00", "", "90.00"),
        _row("2026-05-03", "", "1000.00", "1090.00"),
        _row("2026-05-04", "0.01", "", "1089.99"),
        _row("2026-05-05", "89.99", "", "1000.00"),
    ]


def test_clean_rows_reconcile(clean_rows):
    assert _check(clean_rows, closing="1000.00") == []


def test_one_cent_off_is_a_break(clean_rows):
    clean_rows[2]["balance"] = "1090.00"
    findings = _check(clean_rows)
    assert [(f.code, f.ctx) for f in findings] == [
        (Code.BALANCE_BREAK, {"row": 3, "expected": "1089.99", "shown": "1090.00"})
    ]


def test_wrong_balance_cell_is_one_break_at_that_cell(clean_rows):
    clean_rows[1]["balance"] = "1190.00"  # the next row continues from the true 1090.00
    findings = _check(clean_rows, closing="1000.00")
    assert [(f.code, f.loc, f.ctx) for f in findings] == [
        (
            Code.BALANCE_BREAK,
            (FILE, "transactions", 2, "balance"),
            {"row": 2, "expected": "1090.00", "shown": "1190.00"},
        )
    ]


def test_every_break_is_listed(clean_rows):
    clean_rows[0]["balance"] = "91.00"
    clean_rows[2]["debit"] = "0.02"
    findings = _check(clean_rows)
    assert [f.loc[2] for f in findings] == [1, 3]


def test_totals_mismatch_when_rows_reconcile(clean_rows):
    findings = _check(clean_rows, closing="999.00")
    assert [(f.code, f.ctx) for f in findings] == [
        (Code.STATEMENT_TOTALS_MISMATCH, {"expected": "1000.00", "shown": "999.00"})
    ]


def test_ocr_slip_with_low_confidence_is_a_retake(clean_rows):
    for row in clean_rows:
        row["source"] = "ocr"
    clean_rows[1]["balance"] = "1096.00"  # 0 read as 6
    clean_rows[1]["cells"]["balance"]["confidence"] = 0.4
    findings = _check(clean_rows)
    assert [(f.code, f.loc) for f in findings] == [
        (Code.RETAKE, (FILE, "transactions", 2, "balance"))
    ]
    assert findings[0].ctx["label"] == {"zh": "第2笔交易金额", "en": "amount of transaction 2"}


def test_ocr_one_digit_slip_not_read_cleanly_is_a_retake(clean_rows):
    for row in clean_rows:
        row["source"] = "ocr"
    clean_rows[2]["debit"] = "0.07"  # 1 read as 7; this row breaks, the next one holds
    clean_rows[2]["cells"]["debit"].update(raw="0.07", confidence=0.7)
    assert [f.code for f in _check(clean_rows)] == [Code.RETAKE]


def test_ocr_clean_read_break_stays_a_balance_break(clean_rows):
    for row in clean_rows:
        row["source"] = "ocr"
    clean_rows[1]["balance"] = "1190.00"
    clean_rows[1]["cells"]["balance"]["raw"] = "1,190.00"
    assert [f.code for f in _check(clean_rows)] == [Code.BALANCE_BREAK]


def test_ocr_break_no_slip_explains_stays_a_balance_break(clean_rows):
    for row in clean_rows:
        row["source"] = "ocr"
    clean_rows[1]["balance"] = "1234.56"
    clean_rows[1]["cells"]["balance"].update(raw="1,234.56", confidence=0.7)
    assert Code.BALANCE_BREAK in [f.code for f in _check(clean_rows)]


@pytest.mark.parametrize(
    ("source", "code"),
    [
        pytest.param("text_layer", Code.FIELD_UNREADABLE, id="text"),
        pytest.param("ocr", Code.RETAKE, id="ocr"),
    ],
)
def test_unreadable_amount_is_reported_once(clean_rows, source, code):
    clean_rows[1]["source"] = source
    clean_rows[1]["credit"] = "1,0OO.00"
    findings = _check(clean_rows)
    assert [(f.code, f.loc) for f in findings] == [(code, (FILE, "transactions", 2, "credit"))]


@pytest.mark.parametrize(
    ("source", "code"),
    [
        pytest.param("text_layer", Code.FIELD_UNREADABLE, id="text"),
        pytest.param("ocr", Code.RETAKE, id="ocr"),
    ],
)
def test_row_with_no_figure_read_is_reported_not_a_break(clean_rows, source, code):
    """No amount and no balance read on a row: its movement is unknown, so the row after it
    is not checked against the balance before it, and the row is a warning of its own."""
    clean_rows[1].update(source=source, credit="", balance="", cells={})
    findings = _check(clean_rows)
    assert [(f.code, f.severity, f.loc) for f in findings] == [
        (code, Severity.WARNING, (FILE, "transactions", 2, "amount"))
    ]


def test_negative_amount_where_layout_forbids(clean_rows):
    clean_rows[0]["debit"] = "-10.00"
    codes = [f.code for f in _check(clean_rows)]
    assert codes == [Code.FIELD_UNREADABLE]


@pytest.mark.parametrize(
    ("dates", "rows"),
    [
        pytest.param(
            ["2026-04-30", "2026-05-03", "2026-05-04", "2026-05-05"], [1], id="before-period"
        ),
        pytest.param(
            ["2026-05-02", "2026-05-03", "2026-05-01", "2026-05-05"], [3], id="out-of-order"
        ),
        pytest.param(
            ["2026-05-02", "2026-05-03", "2026-05-04", "2026-06-01"], [4], id="after-period"
        ),
    ],
)
def test_dates_in_period_and_order(clean_rows, dates, rows):
    for row, date in zip(clean_rows, dates, strict=True):
        row["date"] = date
    findings = _check(clean_rows)
    assert [(f.code, f.ctx["row"]) for f in findings] == [
        (Code.TRANSACTION_OUT_OF_ORDER, row) for row in rows
    ]


@pytest.mark.parametrize(
    ("shown", "candidate", "expected"),
    [
        pytest.param("1,096.00", "1090.00", True, id="one-digit"),
        pytest.param("1,190.00", "1090.00", True, id="hundreds"),
        pytest.param("1,234.56", "1090.00", False, id="many-digits"),
        pytest.param("109.00", "1090.00", False, id="length"),
    ],
)
def test_one_digit_apart(shown, candidate, expected):
    from decimal import Decimal

    assert one_digit_apart(shown, Decimal(candidate)) is expected


# --- an OCR break read twice: confirmed, disputed, no amount, a row lost ----------------------


@pytest.fixture(name="ocr_rows")
def fixture_ocr_rows(clean_rows):
    for number, row in enumerate(clean_rows):
        row["source"] = "ocr"
        row["cells"]["date"] = {
            "raw": row["date"],
            "box": [0, 100 + 30 * number, 90, 115 + 30 * number],
        }
    return clean_rows


def _read_twice(row, column, second, *, confidence=0.7):
    """The cell as `reread_amounts` leaves it: the second read's text and whether it agrees."""
    cell = row["cells"][column]
    cell.update(confidence=confidence, reread=second, reread_confidence=0.95)
    cell["confirmed"] = second.replace(",", "") == row[column]


def test_break_read_the_same_twice_is_a_balance_break(ocr_rows):
    """A slip-sized difference (100 more) on an unsure first read, but the digits-only crop
    reads the same figure: the statement says it, so it is its break."""
    ocr_rows[1]["balance"] = "1190.00"
    ocr_rows[1]["cells"]["balance"]["raw"] = "1,190.00"
    for index, column in ((0, "balance"), (1, "credit"), (1, "balance"), (2, "debit")):
        _read_twice(ocr_rows[index], column, ocr_rows[index]["cells"][column]["raw"])
    assert [f.code for f in _check(ocr_rows)] == [Code.BALANCE_BREAK]


@pytest.mark.parametrize(
    ("source", "code"),
    [
        pytest.param("ocr", Code.RETAKE, id="ocr"),
        pytest.param("text_layer", Code.BALANCE_BREAK, id="text"),
    ],
)
def test_an_amount_read_in_the_other_direction(clean_rows, source, code):
    """A debit read as a credit (a signed column's minus sign lost on a photo), its digits
    read the same twice: the balances say the direction was misread, so an OCR read asks for
    a retake; a text layer's statement says what it says."""
    clean_rows[2].update(debit="", credit="0.01", source=source)
    clean_rows[2]["cells"]["credit"] = clean_rows[2]["cells"].pop("debit")
    for row in clean_rows:
        row["source"] = source
        for cell in row["cells"].values():
            cell["confirmed"] = source == "ocr"
    assert [f.code for f in _check(clean_rows)] == [code]


def test_break_the_second_read_disputes_is_a_retake(ocr_rows):
    ocr_rows[1]["balance"] = "1190.00"
    ocr_rows[1]["cells"]["balance"].update(raw="1,190.00", confidence=0.95)
    _read_twice(ocr_rows[1], "balance", "1,090.08", confidence=0.95)
    assert [f.code for f in _check(ocr_rows)] == [Code.RETAKE]


@pytest.mark.parametrize("source", ["ocr", "text_layer"])
def test_row_with_no_amount_read(ocr_rows, source):
    """OCR: a transaction always moves money, so no amount is a cell not read (retake);
    a text layer that shows none is the statement's own break."""
    for row in ocr_rows:
        row["source"] = source
    ocr_rows[2]["debit"] = ""
    del ocr_rows[2]["cells"]["debit"]
    expected = Code.RETAKE if source == "ocr" else Code.BALANCE_BREAK
    assert [f.code for f in _check(ocr_rows)] == [expected]


def test_break_below_a_gap_where_a_row_fits_is_a_retake(ocr_rows):
    """Rows 30 px apart, then 65: a printed row the read lost would explain the break."""
    ocr_rows[3]["cells"]["date"]["box"] = [0, 225, 90, 240]
    ocr_rows[3]["debit"] = "79.99"  # the lost row's 10.00 is missing from the balance
    ocr_rows[3]["cells"]["debit"].update(raw="79.99", confidence=0.95)
    assert [f.code for f in _check(ocr_rows)] == [Code.RETAKE]
    ocr_rows[3]["cells"]["date"]["box"] = [0, 190, 90, 205]  # the usual distance
    assert [f.code for f in _check(ocr_rows)] == [Code.BALANCE_BREAK]


def test_reconciling_loads_no_other_dataframe_library() -> None:
    """A worker that reconciles a statement does not import dask's dataframe modules (pandera's
    DataFrameModel looked them up: 12 MB more in every batch worker)."""
    script = """
import sys
from checker.policy import default_policy
from checker.statements.reconcile import transaction_findings
from schemas.reads import Read
rows = [{"date": "2026-01-02", "debit": "5.00", "credit": "", "balance": "94.00"}]
fields = {"transactions": Read(value=rows), "opening_balance": Read(value="100.00")}
assert transaction_findings(fields, file="s.pdf", policy=default_policy())
print(sorted(name for name in sys.modules if name.split(".")[0] == "dask"))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
