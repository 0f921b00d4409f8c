"""A scanned PDF's pages read ahead by several workers, then the file checked with those
readings (`checker.read_ahead`, `checker.check.check_side_by_side`): the same report as the
file checked alone, and each page read once."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from checker.check import check_side_by_side, check_source, run_application
from checker.document import Reading, Word
from checker.ocr import ReaderWrapper, process_reader
from checker.ocr.cache import cache_key
from checker.policy import load_policy
from checker.read_ahead import ReadAhead, pages_to_read_ahead

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "applications"
SCANNED = FIXTURES / "clean_passport_payslips_scan" / "statement_2026-05_2026-10.pdf"
TEXT_PDF = FIXTURES / "clean_business_loan" / "statement_2026-05_2026-10.pdf"
PHOTO = FIXTURES / "clean_photos_only" / "id_front.jpg"
AS_OF = dt.date(2026, 11, 15)


@pytest.fixture(name="policy", scope="module")
def fixture_policy():
    return load_policy()


@pytest.fixture(name="two_scanned_pages", scope="module")
def fixture_two_scanned_pages() -> tuple[str, bytes]:
    """The scanned statement's first two pages as a PDF of their own (half the reading)."""
    source = pdfium.PdfDocument(SCANNED)
    target = pdfium.PdfDocument.new()
    try:
        target.import_pages(source, [0, 1])
        buffer = io.BytesIO()
        target.save(buffer)
    finally:
        target.close()
        source.close()
    return ("statement.pdf", buffer.getvalue())


def test_pages_to_read_ahead_counts_the_pages_ocr_will_read(policy, two_scanned_pages):
    assert pages_to_read_ahead(SCANNED, policy) == len(pdfium.PdfDocument(SCANNED))
    assert pages_to_read_ahead(two_scanned_pages, policy) == 2
    assert pages_to_read_ahead(TEXT_PDF, policy) == 0  # its text layer is read, not its pixels
    assert pages_to_read_ahead(PHOTO, policy) == 0
    assert pages_to_read_ahead(("broken.pdf", b"%PDF-1.7\nnot really"), policy) == 0
    assert pages_to_read_ahead(FIXTURES / "missing.pdf", policy) == 0


class CountingReader(ReaderWrapper):
    """Counts the whole-page reads handed to the reader inside (from any thread)."""

    def __init__(self, inner):
        super().__init__(inner)
        self.pages = 0
        self._lock = threading.Lock()

    def read(self, image, *, dpi, page):
        with self._lock:
            self.pages += 1
        return self.inner.read(image, dpi=dpi, page=page)


def test_read_ahead_answers_its_pages_and_hands_on_any_other(scripted_reader):
    inner = CountingReader(scripted_reader([("x", 90.0)]))
    inner.read = lambda image, *, dpi, page: Reading(page, [], "ocr")  # any other page
    page_image = Image.new("L", (40, 30), 255)
    other_image = Image.new("L", (40, 30), 0)
    made_ahead = Reading(7, [Word("借记卡", (1, 2, 30, 12), 91.0)], "ocr", seconds=2.5)
    reader = ReadAhead(inner, {cache_key(page_image, inner, dpi=300): made_ahead})

    answered = reader.read(page_image, dpi=300, page=2)
    assert (answered.page, answered.words, answered.seconds) == (2, made_ahead.words, 2.5)
    assert reader.read(page_image, dpi=200, page=2).words == []  # another resolution
    assert reader.read(other_image, dpi=300, page=3).words == []  # other pixels


def _without_timings(checked):
    """The reports as JSON, without the seconds and cache flags that differ run to run."""
    reports = [json.loads(report.model_dump_json()) for report, _ in checked]
    for report in reports:
        for page in report["quality"]:
            del page["ocr_seconds"], page["ocr_cached"]
    return reports


def test_pages_read_ahead_give_the_same_report_and_each_page_is_read_once(
    monkeypatch, policy, two_scanned_pages
):
    counting = CountingReader(process_reader(policy.ocr))
    monkeypatch.setattr("checker.check.process_reader", lambda settings: counting)
    monkeypatch.setattr("checker.read_ahead.process_reader", lambda settings: counting)
    alone = check_source(two_scanned_pages, policy=policy, as_of=AS_OF)
    read_alone = counting.pages
    counting.pages = 0
    with ThreadPoolExecutor(2) as pool:  # the tesseract engines are per thread
        (side_by_side,) = check_side_by_side(
            pool.submit, 2, [two_scanned_pages], policy=policy, as_of=AS_OF
        )
    assert read_alone >= 2
    assert counting.pages == read_alone  # the two pages once each, ahead; nothing twice
    assert _without_timings(side_by_side) == _without_timings(alone)


def test_a_scanned_pdf_alone_checked_by_two_worker_processes_gives_the_same_report(
    two_scanned_pages, tmp_path
):
    path = tmp_path / two_scanned_pages[0]
    path.write_bytes(two_scanned_pages[1])
    reports = [run_application([path], as_of=AS_OF, workers=workers) for workers in (1, 2)]
    here, side_by_side = (json.loads(report.to_json()) for report in reports)
    for report in (here, side_by_side):
        for page in report["documents"][0]["quality"]:
            del page["ocr_seconds"], page["ocr_cached"]
    assert side_by_side == here
