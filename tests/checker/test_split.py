"""Files that hold several documents: both ID sides on one image, several kinds in one PDF.

The combined files are built here from the committed sample documents, so each part's fields
can be compared with the same document checked as a file of its own.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

import checker
from checker.check import check_parts
from checker.ocr import get_reader
from checker.policy import default_policy
from schemas.findings import Code, Severity

CASE = Path(__file__).parents[2] / "fixtures" / "applications" / "clean_id_certificate_pdf"
PAYSLIP = CASE.parent / "clean_xlsx_payslips" / "payslip_2026-08.png"
AS_OF = dt.date(2026, 11, 15)
# on a sheet of both sides tesseract runs the birth date's digits and its 年/月/日 labels
# together; the second reader reads it there (the sides read alone are exact)
ID_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "address",
    "id_number",
    "issuing_authority",
    "valid_from",
    "valid_until",
)


def _both_sides(path: Path, layout: str, front_first: bool) -> Path:
    """The front and back scans pasted onto one white sheet, stacked or side by side."""
    front = Image.open(CASE / "id_front.jpg").convert("RGB")
    back = Image.open(CASE / "id_back.jpg").convert("RGB")
    first, second = (front, back) if front_first else (back, front)
    gap = 60
    if layout == "stacked":
        sheet = Image.new("RGB", (first.width + 2 * gap, first.height + second.height + 3 * gap))
        positions = ((gap, gap), (gap, first.height + 2 * gap))
    else:
        sheet = Image.new("RGB", (first.width + second.width + 3 * gap, first.height + 2 * gap))
        positions = ((gap, gap), (first.width + 2 * gap, gap))
    sheet.paste("white", (0, 0, *sheet.size))
    sheet.paste(first, positions[0])
    sheet.paste(second, positions[1])
    sheet.save(path, dpi=(300, 300), quality=92)
    return path


def _bundle(path: Path) -> Path:
    """A PDF of a scanned payslip page followed by the text-layer statement's pages."""
    scan = path.with_name("payslip_scan.pdf")
    Image.open(PAYSLIP).convert("RGB").save(scan, resolution=300)
    bundle = pdfium.PdfDocument(scan)
    bundle.import_pages(pdfium.PdfDocument(CASE / "statement_2026-05_2026-10.pdf"))
    bundle.save(path)
    return path


@pytest.fixture(name="reader", scope="module")
def fixture_reader():
    return get_reader(default_policy().ocr)


def _fields(path: Path, reader) -> dict[str, dict[str, object]]:
    """The fields of each document in the file, by kind."""
    parts = check_parts(path, policy=default_policy(), reader=reader, as_of=AS_OF)
    return {p.report.kind: {k: v.value for k, v in p.report.fields.items()} for p in parts}


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("layout", "front_first", "where"),
    [
        ("stacked", True, ["page 1, top", "page 1, bottom"]),
        ("stacked", False, ["page 1, bottom", "page 1, top"]),
        ("side_by_side", True, ["page 1, left", "page 1, right"]),
    ],
    ids=["front-above-back", "back-above-front", "front-left-of-back"],
)
def test_both_id_sides_on_one_image_are_checked_as_two_documents(
    tmp_path: Path, reader, layout: str, front_first: bool, where: list[str]
) -> None:
    path = _both_sides(tmp_path / "id_both_sides.jpg", layout, front_first)
    parts = check_parts(path, policy=default_policy(), reader=reader, as_of=AS_OF)
    by_kind = {part.report.kind: part.report for part in parts}
    assert sorted(by_kind) == ["cn_id_back", "cn_id_front"]
    assert [by_kind["cn_id_front"].part, by_kind["cn_id_back"].part] == where
    alone = _fields(CASE / "id_front.jpg", reader) | _fields(CASE / "id_back.jpg", reader)
    for kind, report in by_kind.items():
        for name in ID_FIELDS:
            if name in alone[kind]:
                assert report.fields[name].value == alone[kind][name], (kind, name)
    notes = [f for part in parts for f in part.report.findings if f.code is Code.SEVERAL_DOCUMENTS]
    assert len(notes) == 1 and notes[0].severity is Severity.INFO


@pytest.mark.ocr
def test_a_pdf_of_a_payslip_and_a_statement_is_split_by_pages(tmp_path: Path, reader) -> None:
    path = _bundle(tmp_path / "bundle.pdf")
    parts = check_parts(path, policy=default_policy(), reader=reader, as_of=AS_OF)
    statement_pages = len(pdfium.PdfDocument(CASE / "statement_2026-05_2026-10.pdf"))
    assert [(p.report.kind, p.report.part) for p in parts] == [
        ("payslip", "page 1"),
        ("bank_statement", f"pages 2-{statement_pages + 1}"),
    ]
    payslip = {k: v.value for k, v in parts[0].report.fields.items()}
    statement = {k: v.value for k, v in parts[1].report.fields.items()}
    assert payslip["net_pay"] == _fields(PAYSLIP, reader)["payslip"]["net_pay"]
    alone = _fields(CASE / "statement_2026-05_2026-10.pdf", reader)["bank_statement"]
    shifted = [row | {"page": row["page"] + 1} for row in alone["transactions"]]
    assert statement["transactions"] == shifted  # the same rows, one page later


@pytest.mark.ocr
def test_an_application_with_both_id_sides_on_one_image_is_complete(tmp_path: Path) -> None:
    folder = tmp_path / "application"
    folder.mkdir()
    _both_sides(folder / "id_both_sides.jpg", "stacked", front_first=True)
    for name in ("income_certificate.png", "statement_2026-05_2026-10.pdf", "declared.json"):
        shutil.copy(CASE / name, folder / name)
    report = checker.check_application(folder, as_of=AS_OF, lang="en")
    kinds = [document.kind for document in report.documents]
    assert kinds.count("cn_id_front") == kinds.count("cn_id_back") == 1
    assert Code.DOCUMENT_MISSING not in {finding.code for finding in report.findings}


@pytest.mark.parametrize(
    "name",
    ["id_front.jpg", "id_back.jpg", "income_certificate.png", "statement_2026-05_2026-10.pdf"],
)
def test_a_file_of_one_document_is_not_split(name: str, reader) -> None:
    parts = check_parts(CASE / name, policy=default_policy(), reader=reader, as_of=AS_OF)
    assert len(parts) == 1 and parts[0].report.part is None
