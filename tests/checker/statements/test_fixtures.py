"""The sample applications: every transaction extracted exactly, every planted defect found.

Cases come from fixtures/applications when committed, else are generated into a temp dir.
Scans and photos run real tesseract and are marked `ocr`.
"""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from checker.documents import CheckContext, bank_statement
from checker.ocr import get_reader
from checker.policy import default_policy
from checker.rules.statements import statements_of
from checker.statements.seams import is_continuation
from checker.statements.sets import statement_set_findings
from fixtures.cases import AS_OF, Case
from schemas.report import DocumentReport

COMMITTED = Path(__file__).parents[3] / "fixtures" / "applications"
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
    """Codes from each statement's check and from the set checks, as the application would
    (later pages sent as their own files joined to the statement before them)."""
    policy, found, documents = default_policy(), set(), []
    for path in helpers.statement_files(folder):
        fields = bank_statement.extract(helpers.content_of(path, reader))
        context = CheckContext(policy=policy, as_of=AS_OF, file=path.name)
        found |= {f.code.value for f in bank_statement.check(fields, context)}
        documents.append(DocumentReport(file=path.name, kind=bank_statement.KIND, fields=fields))
    statements = statements_of(documents)
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


def _exact_share(got, expected):
    """The share of the true amounts read exactly, row by row (the rows must all be there)."""
    assert len(got) == len(expected)
    pairs = [
        (g[k], e[k])
        for g, e in zip(got, expected, strict=True)
        for k in ("debit", "credit", "balance")
        if e[k]
    ]
    return sum(a == b for a, b in pairs) / len(pairs)


PHOTO_PAGES = sorted((COMMITTED / "clean_photos_only").glob("statement_*.jpg"))


@pytest.mark.ocr
@pytest.mark.parametrize("path", PHOTO_PAGES, ids=[path.name for path in PHOTO_PAGES])
def test_photographed_page_amounts_read_exactly(path, helpers, tesseract):
    """Phone photos (perspective, a few degrees of tilt, a desk around the sheet); the
    first page starts the statement, the others continue it."""
    expected, _ = _truth_rows(path)
    fields = bank_statement.extract(helpers.content_of(path, tesseract))
    assert _exact_share(_got_rows(fields), expected) >= 0.98
    assert is_continuation(fields) == (path != PHOTO_PAGES[0])


@pytest.mark.ocr
def test_photographed_statement_header(helpers, tesseract):
    """The first page's header, whose letter-spaced 户 名 label tesseract reads as Latin."""
    path = PHOTO_PAGES[0]
    _, truth = _truth_rows(path)
    fields = bank_statement.extract(helpers.content_of(path, tesseract))
    assert fields["account_holder"].value == truth["fields"]["holder"]["value"]
    assert fields["period_start"].value == truth["fields"]["period_start"]["value"]
    assert fields["opening_balance"].value == truth["fields"]["opening_balance"]["value"]
    assert fields["printed_page"].value == "1/4"


PHOTO_CASES = {
    "clean_photos_only": None,
    "photos_balance_break": Case(
        "photos_balance_break",
        "statement pages photographed, planted break",
        statement="photos",
        defects=("balance_break",),
    ),
    "photos_balance_break_again": Case(
        "photos_balance_break_again",
        "statement pages photographed, planted break (another draw)",
        statement="photos",
        defects=("balance_break",),
    ),
}


@pytest.mark.ocr
@pytest.mark.parametrize("case", list(PHOTO_CASES), ids=list(PHOTO_CASES))
def test_photographed_statement_codes(case, case_folder, helpers, tesseract):
    """A clean photographed statement gives no code; a planted break gives balance_break,
    not a retake (and every page's amounts are read exactly enough to tell)."""
    folder = case_folder(case, PHOTO_CASES[case])
    codes = set(json.loads((folder / "expected.json").read_text())["codes"]) & STATEMENT_CODES
    assert _statement_codes(folder, helpers, tesseract) == codes


@pytest.mark.ocr
@pytest.mark.parametrize("row", [5, 30], ids=["row-6", "row-31"])
def test_amount_rubbed_out_on_a_photo_is_a_retake(row, helpers, tesseract, tmp_path):
    """An amount the photo does not show is a misread to retake, never a balance break."""
    source = PHOTO_PAGES[1]
    truth = json.loads(source.with_name(source.name + ".truth.json").read_text("utf-8"))
    cell = truth["tables"]["transactions"][row]
    column = "debit" if cell["values"]["debit"] else "credit"
    left, top, right, bottom = cell["boxes"][column]
    image = Image.open(source).convert("RGB")
    paper = image.getpixel((left - 6, (top + bottom) // 2))
    ImageDraw.Draw(image).rectangle((left - 3, top - 3, right + 3, bottom + 3), fill=paper)
    path = tmp_path / source.name
    image.save(path, quality=95)
    fields = bank_statement.extract(helpers.content_of(path, tesseract))
    context = CheckContext(policy=default_policy(), as_of=AS_OF, file=path.name)
    codes = [finding.code.value for finding in bank_statement.check(fields, context)]
    assert "retake" in codes
    assert "balance_break" not in codes


def test_as_of_matches_the_fixtures():
    assert dt.date(2026, 11, 15) == AS_OF
