"""Summary fields OCR read unsurely, or with no shape of their own (a name of one character,
an employer that lost characters), read again: each value's space on the page (from its
start to the next label) cropped and read as one line, by the second reader where installed
(RapidOCR reads Chinese print far better), else by the page's reader. A second read is taken
only when it has the field's shape."""

from __future__ import annotations

from typing import Any

from checker.document import Page
from checker.documents import Content
from checker.documents._contributions.summary import Region, field_value
from checker.ocr import OcrError, RegionOptions, read_regions
from schemas.reads import Read, Reads

CLEAR = 0.80  # a value read at least this sure is taken as read
REREAD_FIELDS = ("name", "employer", "id_number", "status", "account_number")


def _needs(read: Read[Any]) -> bool:
    return read.method != "text_layer" and (read.value is None or (read.confidence or 0) < CLEAR)


def read_again(reads: Reads, regions: dict[str, Region], content: Content) -> Reads:
    """`reads` with each unsure OCR field replaced by its second read, where that passes."""
    reader = content.second_reader or content.reader
    todo = [f for f in REREAD_FIELDS if f in reads and f in regions and _needs(reads[f])]
    if reader is None or not todo:
        return reads
    reads = dict(reads)
    pages = {page.number: page for page in content.pages if page.image is not None}
    for number in sorted({regions[field][0] for field in todo}):
        page = pages.get(number)
        fields = [field for field in todo if regions[field][0] == number]
        if page is None or page.image is None:
            continue
        boxes = [_clamped(regions[field][1], page) for field in fields]
        try:
            readings = read_regions(
                reader, page.image, boxes, dpi=page.dpi, page=number, options=RegionOptions(psm=7)
            )
        except OcrError:
            continue
        for field, box, reading in zip(fields, boxes, readings, strict=True):
            text = "".join(word.text for word in reading.words)
            value = field_value(field, text, "ocr_retry")
            if value is None or not reading.words:
                continue
            reads[field] = Read(
                value=value,
                confidence=round(min(word.confidence for word in reading.words), 3),
                page=number,
                box=box,
                raw=text,
                method="ocr_retry",
            )
    return reads


def _clamped(box: tuple[int, int, int, int], page: Page) -> tuple[int, int, int, int]:
    return (max(0, box[0]), max(0, box[1]), min(page.width, box[2]), min(page.height, box[3]))
