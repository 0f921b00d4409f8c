"""A scanned PDF's pages read ahead by several worker processes at once.

An application's files are checked side by side, a file a worker
(`checker.check.check_side_by_side`). A scanned statement of several pages would then keep one
worker reading for most of the application's time (four A4 pages, about 11 s) while the others
idle. So its pages are read first by every worker (at most one a page), each taking every
n-th page (`read_ahead`), and the worker that checks the file is handed those readings
(`ReadAhead`). A page is found by its pixels and the reader's settings (`cache_key`, the disk
cache's key): every worker ingests the file and passes the page through the quality gate as
the check does, and a page that came out otherwise would simply be read again.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from checker.document import Reading
from checker.ingest import PDF_HEADER_WINDOW, Kind, Source, ingest_source, sniff
from checker.ingest.pdf import pages_to_render
from checker.ocr import OcrError, Reader, ReaderWrapper, process_reader
from checker.ocr.cache import cache_key
from checker.policy import Policy
from checker.reading.quality import gate

if TYPE_CHECKING:
    from PIL import Image

PagesRead = Mapping[str, Reading]  # `cache_key` of a page image → its reading


def pages_to_read_ahead(source: Source, policy: Policy) -> int:
    """How many pages of a PDF the check will read with OCR (`pages_to_render`); 0 for any
    other file, and for one that cannot be read or is over the size limit (its check says
    why)."""
    if isinstance(source, tuple):
        data = source[1]
        if len(data) > policy.limits.max_file_bytes or sniff(data).kind != Kind.PDF:
            return 0
        return pages_to_render(data, policy.limits)
    try:
        if os.path.getsize(source) > policy.limits.max_file_bytes:
            return 0
        with open(source, "rb") as file:
            if sniff(file.read(PDF_HEADER_WINDOW)).kind != Kind.PDF:
                return 0  # a photo is not read whole to be told from a PDF
            file.seek(0)
            data = file.read()
    except OSError:
        return 0
    return pages_to_render(data, policy.limits)


def read_ahead(source: Source, *, policy: Policy, part: int, parts: int) -> dict[str, Reading]:
    """The readings of pages `part`, `part + parts`, … of those the check will read with OCR,
    by this process's reader, keyed by `cache_key`: `parts` workers read a file's pages so at
    once. A page that cannot be read is left out: the check reads it and says why."""
    document = ingest_source(source, policy)
    reader = process_reader(policy.ocr)
    to_read = [
        page for page in document.pages if page.text_layer is None and page.image is not None
    ]
    readings = {}
    for page in to_read[part::parts]:
        upright, _, _ = gate(page, policy.quality, file=document.file)  # as the check does
        if upright.image is None:
            continue
        try:
            reading = reader.read(upright.image, dpi=upright.dpi, page=upright.number)
        except OcrError:
            continue
        readings[cache_key(upright.image, reader, dpi=upright.dpi)] = reading
    return readings


class ReadAhead(ReaderWrapper):
    """A reader that answers a page read from the readings made ahead for it (`read_ahead`)
    and hands any other read to `inner`."""

    def __init__(self, inner: Reader, pages_read: PagesRead) -> None:
        super().__init__(inner)
        self.pages_read = pages_read

    def read(self, image: Image.Image, *, dpi: int, page: int) -> Reading:
        reading = self.pages_read.get(cache_key(image, self.inner, dpi=dpi))
        if reading is None:
            return self.inner.read(image, dpi=dpi, page=page)
        return dataclasses.replace(reading, page=page)
