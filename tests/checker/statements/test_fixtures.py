"""The sample applications: every transaction extracted exactly, every planted defect found.

Cases come from fixtures/applications when committed, else are generated into a temp dir.
Scans and photos run real tesseract and are marked `ocr`.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest

from checker.documents import CheckContext, bank_statement
from checker.ocr import get_reader
from checker.policy import default_policy
from checker.statements.sets import statement_set_findings
from fixtures.cases import AS_OF, Case

TEXT_CASES = [
    "clean_id_certificate_pdf",
    "defect_balance_break",
    "defect_holder_other",
    "defect_statement_short",
    "defect_statement_gap",
]
TABLE_CASES = ["clean_csv_two_statements", "clean_xlsx_payslips", "defect_duplicate_txn"]
STATEMENT_CODES = {
    "balance_break",
    "statement_coverage_short",
    "statement_gap",
    "duplicate_transaction",
    "statement_totals_mismatch",
    "statement_discontinuity",
    "statement_stale",
    "statement_overlap",
    "transaction_out_of_order",
    "retake",
    "field_unreadable",
}


def _cents(value: str) -> str:
    return f"{Decimal(value):.2f}" if value else ""


def _truth_rows(path):
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))
    return [
        {
            key: _cents(value) if key in ("debit", "credit", "balance") else value
            for key, value in row["values"].items()
        }
        for row in truth["tables"]["transactions"]
    ], truth


def _got_rows(fields):
    keys = ("date", "description", "counterparty", "debit", "credit", "balance")
    return [{key: row[key] for key in keys} for row in fields["transactions"].value]


def _statement_codes(folder, helpers, reader=None):
    """Codes from each statement's check and from the set checks, as the application would."""
    policy, found, statements = default_policy(), set(), []
    for path in helpers.statement_files(folder):
        fields = bank_statement.extract(helpers.content_of(path, reader))
        context = CheckContext(policy=policy, as_of=AS_OF, file=path.name)
        found |= {f.code.value for f in bank_statement.check(fields, context)}
        statements.append((path.name, fields))
    found |= {f.code.value for f in statement_set_findings(statements, policy=policy, as_of=AS_OF)}
    return found


@pytest.mark.parametrize("case", TEXT_CASES + TABLE_CASES, ids=TEXT_CASES + TABLE_CASES)
def test_every_transaction_extracted_exactly(case, case_folder, helpers):
    for path in helpers.statement_files(case_folder(case)):
        expected, truth = _truth_rows(path)
        fields = bank_statement.extract(helpers.content_of(path))
        assert _got_rows(fields) == expected
        holder = truth["fields"]["holder"]["value"]
        assert fields["account_holder"].value == holder


@pytest.mark.parametrize("case", TEXT_CASES + TABLE_CASES, ids=TEXT_CASES + TABLE_CASES)
def test_planted_statement_defects_yield_their_codes(case, case_folder, helpers):
    folder = case_folder(case)
    expected = set(json.loads((folder / "expected.json").read_text())["codes"]) & STATEMENT_CODES
    assert _statement_codes(folder, helpers) == expected


def test_text_pdf_statement_is_never_ocred(case_folder, helpers):
    """The reader fails the test if called: a text-layer statement needs no OCR at all."""
    path = helpers.statement_files(case_folder("clean_id_certificate_pdf"))[0]
    content = helpers.content_of(path, helpers.no_ocr())
    assert {reading.source for reading in content.readings} == {"text_layer"}
    assert len(bank_statement.extract(content)["transactions"].value) > 100


@pytest.fixture(name="tesseract", scope="module")
def fixture_tesseract():
    return get_reader(default_policy().ocr)


SCAN_CASES = {
    "clean_passport_payslips_scan": None,
    "scan_balance_break": Case(
        "scan_balance_break",
        "scanned statement, planted break",
        statement="pdf_scan",
        defects=("balance_break",),
    ),
}


@pytest.mark.ocr
@pytest.mark.parametrize("case", list(SCAN_CASES), ids=list(SCAN_CASES))
def test_scanned_statement_amounts_and_codes(case, case_folder, helpers, tesseract):
    folder = case_folder(case, SCAN_CASES[case])
    path = helpers.statement_files(folder)[0]
    expected, _ = _truth_rows(path)
    got = _got_rows(bank_statement.extract(helpers.content_of(path, tesseract)))
    pairs = [
        (g[k], e[k])
        for g, e in zip(got, expected, strict=False)
        for k in ("debit", "credit", "balance")
        if e[k]
    ]
    assert len(got) == len(expected)
    assert sum(a == b for a, b in pairs) / len(pairs) >= 0.98
    codes = set(json.loads((folder / "expected.json").read_text())["codes"]) & STATEMENT_CODES
    assert _statement_codes(folder, helpers, tesseract) == codes


def test_as_of_matches_the_fixtures():
    assert dt.date(2026, 11, 15) == AS_OF
