"""Reading a document: each page's text layer when it has one, OCR of its image otherwise."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from checker.document import Document, Page, Reading
from checker.findings import new_finding
from checker.ocr import OcrError, OcrTimeoutError, Reader
from schemas.findings import Code, Evidence, Finding

logger = logging.getLogger(__name__)


def read_document(
    document: Document, reader: Reader, *, workers: int = 1
) -> tuple[list[Reading], list[Finding]]:
    """The readings of the document's pages in page order, and what stopped a page being read.

    A page that timed out or failed has no reading and an `ocr_timeout` / `ocr_failed`
    finding; a page read with no words keeps its (empty) reading and gets an `unreadable`
    finding. The other pages are still read. With `workers` > 1, OCR runs on that many
    pages at once (tesseract runs as a subprocess, so threads are enough).
    """
    if workers > 1 and len(document.pages) > 1:
        with ThreadPoolExecutor(max_workers=min(workers, len(document.pages))) as pool:
            results = list(
                pool.map(lambda page: _read_page(document, page, reader), document.pages)
            )
    else:
        results = [_read_page(document, page, reader) for page in document.pages]
    readings = [reading for reading, _ in results if reading is not None]
    findings = [finding for _, finding in results if finding is not None]
    return readings, findings


def _read_page(
    document: Document, page: Page, reader: Reader
) -> tuple[Reading | None, Finding | None]:
    """One page's reading and the finding it causes, if any. Never raises OcrError."""
    if page.text_layer is not None:
        reading = page.text_layer
    elif page.image is None:
        return None, _finding(Code.UNREADABLE, document, page)
    else:
        try:
            reading = reader.read(page.image, dpi=page.dpi, page=page.number)
        except OcrTimeoutError:
            logger.warning("OCR timed out: document %s page %d", document.sha256[:12], page.number)
            return None, _finding(Code.OCR_TIMEOUT, document, page)
        except OcrError as error:
            # OcrError messages name the page and the engine's complaint, never the text.
            logger.warning("OCR failed: document %s: %s", document.sha256[:12], error)
            return None, _finding(Code.OCR_FAILED, document, page)
    if not reading.words:
        return reading, _finding(Code.UNREADABLE, document, page)
    return reading, None


def _finding(code: Code, document: Document, page: Page) -> Finding:
    return new_finding(
        code,
        file=document.file,
        evidence=Evidence(file=document.file, page=page.number),
        page=page.number,
    )
