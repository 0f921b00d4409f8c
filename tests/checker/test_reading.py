"""read_document: text layers without OCR, OCR otherwise, failures as findings."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from checker.document import Document, Page, Reading, Word
from checker.findings import localize
from checker.ocr import OcrError, OcrTimeoutError
from checker.ocr.tesseract import TesseractReader
from checker.reading import read_document
from schemas.findings import Code

WORD = Word(text="收入证明", box=(10, 10, 200, 60), confidence=0.95, line=(1, 1, 1))


CERTIFICATE = (
    Path(__file__).parents[2]
    / "fixtures"
    / "applications"
    / "quality_blurry_id_photo"
    / "income_certificate.jpg"
)


def text_layer(page: int) -> Reading:
    return Reading(page=page, words=[WORD], source="text_layer", engine="pdfium")


def image_page(number: int, *, dpi: int = 300) -> Page:
    return Page(number=number, width=64, height=32, dpi=dpi, image=Image.new("L", (64, 32), 255))


def document_of(*pages: Page) -> Document:
    return Document(
        file="收入证明.pdf",
        media_type="application/pdf",
        sha256="ab" * 32,
        size=1,
        pages=list(pages),
    )


class ReaderMustNotBeCalled:
    """A reader that fails the test when asked to read anything."""

    name, version, languages, options = "never", "0", "chi_sim", ""

    def read(self, image: Image.Image, *, dpi: int, page: int) -> Reading:
        pytest.fail(f"OCR was called for page {page}")


@dataclass
class ScriptedReader:
    """A reader whose outcome per page is scripted: words, no words, or an error to raise."""

    outcomes: dict[int, Exception | list[Word]] = field(default_factory=dict)
    delay_by_page: dict[int, float] = field(default_factory=dict)
    calls: list[tuple[int, int]] = field(default_factory=list)
    running: int = 0
    most_running: int = 0
    name, version, languages, options = "scripted", "1", "chi_sim", ""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def read(self, image: Image.Image, *, dpi: int, page: int) -> Reading:
        with self._lock:
            self.calls.append((page, dpi))
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        time.sleep(self.delay_by_page.get(page, 0))
        with self._lock:
            self.running -= 1
        outcome = self.outcomes.get(page, [WORD])
        if isinstance(outcome, Exception):
            raise outcome
        return Reading(page=page, words=outcome, source="ocr", engine="scripted 1")


def test_a_page_with_a_text_layer_is_not_ocred() -> None:
    layer = text_layer(1)
    page = Page(number=1, width=595, height=842, dpi=72, image=None, text_layer=layer)
    readings, findings = read_document(document_of(page), ReaderMustNotBeCalled())
    assert readings == [layer]
    assert findings == []


def test_an_image_page_is_ocred_at_its_dpi() -> None:
    reader = ScriptedReader()
    readings, findings = read_document(document_of(image_page(1, dpi=200)), reader)
    assert reader.calls == [(1, 200)]
    assert [(reading.page, reading.source) for reading in readings] == [(1, "ocr")]
    assert findings == []


@pytest.mark.parametrize(
    ("outcome", "code"),
    [
        (OcrTimeoutError("page 2: slow"), Code.OCR_TIMEOUT),
        (OcrError("page 2: tesseract failed"), Code.OCR_FAILED),
    ],
    ids=["timeout", "failure"],
)
def test_an_ocr_error_is_a_finding_and_other_pages_still_read(
    outcome: OcrError, code: Code
) -> None:
    reader = ScriptedReader(outcomes={2: outcome})
    document = document_of(image_page(1), image_page(2), image_page(3))
    readings, findings = read_document(document, reader)
    assert [reading.page for reading in readings] == [1, 3]
    [finding] = findings
    assert (finding.code, finding.ctx, finding.file) == (code, {"page": 2}, "收入证明.pdf")
    assert finding.evidence is not None and finding.evidence.page == 2


@pytest.mark.parametrize(
    "page",
    [
        image_page(1),
        Page(number=1, width=1, height=1, dpi=72, text_layer=Reading(1, [], "text_layer")),
        Page(number=1, width=1, height=1, dpi=72),
    ],
    ids=["ocr_found_no_words", "empty_text_layer", "no_image_and_no_text_layer"],
)
def test_a_page_without_words_is_unreadable(page: Page) -> None:
    reader = ScriptedReader(outcomes={1: []})
    _, findings = read_document(document_of(page), reader)
    assert [(finding.code, finding.ctx) for finding in findings] == [(Code.UNREADABLE, {"page": 1})]


def test_an_empty_ocr_reading_is_kept() -> None:
    readings, _ = read_document(document_of(image_page(1)), ScriptedReader(outcomes={1: []}))
    assert [(reading.page, reading.words) for reading in readings] == [(1, [])]


def test_the_finding_message_names_the_page() -> None:
    reader = ScriptedReader(outcomes={2: OcrTimeoutError("slow")})
    _, findings = read_document(document_of(image_page(1), image_page(2)), reader)
    [english] = localize(findings, "en")
    assert english.message == "Reading page 2 timed out; it could not be checked."


def test_workers_read_pages_at_once_and_keep_page_order() -> None:
    # later pages finish first, so any ordering by completion would show
    reader = ScriptedReader(
        outcomes={3: OcrError("broken"), 1: OcrTimeoutError("slow")},
        delay_by_page={1: 0.3, 2: 0.2, 3: 0.1, 4: 0.0},
    )
    pages = [image_page(number) for number in (1, 2, 3, 4)]
    readings, findings = read_document(document_of(*pages), reader, workers=4)
    assert [reading.page for reading in readings] == [2, 4]
    assert [finding.code for finding in findings] == [Code.OCR_TIMEOUT, Code.OCR_FAILED]
    assert reader.most_running >= 2


def test_one_worker_reads_one_page_at_a_time() -> None:
    reader = ScriptedReader(delay_by_page={1: 0.05, 2: 0.05})
    read_document(document_of(image_page(1), image_page(2)), reader)
    assert reader.most_running == 1


@pytest.mark.ocr
def test_a_real_tesseract_timeout_becomes_an_ocr_timeout_finding() -> None:
    reader = TesseractReader(languages="chi_sim+eng", timeout_seconds=0.001)
    image = Image.open(CERTIFICATE)  # a page of text: recognising it takes far longer than 1 ms
    a4_page = Page(number=1, width=image.width, height=image.height, dpi=200, image=image)
    readings, findings = read_document(document_of(a4_page), reader)
    assert readings == []
    assert [(finding.code, finding.ctx) for finding in findings] == [
        (Code.OCR_TIMEOUT, {"page": 1})
    ]
