"""Summary fields OCR read unsurely, or with no shape of their own (a name of one character,
an employer that lost characters), read again: each value's space on the page (from its
start to the next label) cropped and read as one line, by the second reader where installed
(RapidOCR reads Chinese print far better), else by the page's reader. A second read is taken
only when it has the field's shape; an ID number that fails its check is read again too,
and the same number read twice is `ocr_confirmed` (then, and on a text layer, a failing
check says the number is invalid; otherwise it is unclear)."""

from __future__ import annotations

import dataclasses
from typing import Any

from checker.document import Page
from checker.documents import Content
from checker.documents._contributions.labels import month_of
from checker.documents._contributions.summary import Region, field_value
from checker.documents._contributions.table import TableRow
from checker.ocr import OcrError, RegionOptions, read_regions
from schemas.identity import id_number_problem
from schemas.reads import Read, Reads

CLEAR = 0.80  # a value read at least this sure is taken as read
REREAD_FIELDS = ("name", "employer", "id_number", "status", "account_number")


def _needs(field: str, read: Read[Any]) -> bool:
    """An OCR read that is unsure, has no shape, or is an ID number failing its check."""
    if read.method == "text_layer":
        return False
    if read.value is None or (read.confidence or 0) < CLEAR:
        return True
    return field == "id_number" and _invalid(str(read.value))


def _invalid(number: str) -> bool:
    return "*" not in number and id_number_problem(number) is not None


def read_again(reads: Reads, regions: dict[str, Region], content: Content) -> Reads:
    """`reads` with each unsure OCR field replaced by its second read, where that passes."""
    reader = content.second_reader or content.reader
    todo = [f for f in REREAD_FIELDS if f in reads and f in regions and _needs(f, reads[f])]
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
            first = reads[field]
            if field == "id_number" and _invalid(value) and value != first.value:
                continue  # two reads that disagree, neither passing its check: not read
            confirmed = value == first.value and first.value is not None
            reads[field] = Read(
                value=value,
                confidence=round(min(word.confidence for word in reading.words), 3),
                page=number,
                box=box,
                raw=text,
                method="ocr_confirmed" if confirmed else "ocr_retry",
            )
    return reads


def months_again(rows: list[TableRow], content: Content) -> list[TableRow]:
    """Rows whose month cell was misread (2026年5月 as 2026455), the cell read again as one
    line; a month read so is the row's month, others stay None."""
    reader = content.second_reader or content.reader
    pages = {page.number: page for page in content.pages if page.image is not None}
    unread = [i for i, row in enumerate(rows) if row.values["month"] is None]
    if reader is None or not unread:
        return rows
    rows = list(rows)
    for number in sorted({int(str(rows[i].values["page"])) for i in unread}):
        page = pages.get(number)
        if page is None or page.image is None:
            continue
        mine = [i for i in unread if rows[i].values["page"] == number]
        boxes = [_clamped(_padded(rows[i]), page) for i in mine]
        try:
            readings = read_regions(
                reader, page.image, boxes, dpi=page.dpi, page=number, options=RegionOptions(psm=7)
            )
        except OcrError:
            continue
        for index, reading in zip(mine, readings, strict=True):
            month = month_of("".join(word.text for word in reading.words))
            if month is not None:
                values = {**rows[index].values, "month": month, "method": "ocr_retry"}
                rows[index] = dataclasses.replace(rows[index], values=values)
    return rows


def _padded(row: TableRow) -> tuple[int, int, int, int]:
    """The month cell's words with room around them (a character lost at an end)."""
    left, top, right, bottom = row.month_box
    pad = (bottom - top) // 2
    return (left - 2 * pad, top - pad, right + 2 * pad, bottom + pad)


def _clamped(box: tuple[int, int, int, int], page: Page) -> tuple[int, int, int, int]:
    return (max(0, box[0]), max(0, box[1]), min(page.width, box[2]), min(page.height, box[3]))
