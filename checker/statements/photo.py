"""Statement pages photographed with a phone: read flattened, and every box put back on the
photo.

A sheet photographed at an angle slopes its rows and bends its columns; tesseract then drops
and misplaces amounts (0.45-0.95 of them exact on the sample photos, against 1.00 once the
sheet is flattened: see `checker.reading.flatten`). The flattening is for statements only, not
in the quality gate for every page: measured with the second reader in place (every page
flattened before its first read), the statement photos kept every amount and took 38% less
time (2.8 s a page against 4.5 s), but three of the 48 fields of the four certificate photos
were lost (two issue dates unread, one employer misread as 上海云由) and two golden cases gained
a `field_unreadable`; so the other document kinds keep the photo as taken.

Which photos are statements is told before their whole-page read, so that a statement photo
is read once, flattened: the top third of the flattened sheet (`top_of`) is read first, and
when it is classified a bank statement the whole sheet is read flattened (`checker.check`);
the content then carries that read (`Content.flat_reads`), and its boxes put on the photo.
A statement photo whose flattened read leaves rows the balance chain does not carry is read
as taken as well, and the read that leaves less doubt kept (`as_taken_content`; on photos of
the 15 bank layouts, the photo as taken left less doubt once in 30). A statement photo
not told by its top (read as taken first) is flattened and read again when its first read
leaves doubt (`flattened_content`). The report's `ocr_seconds` counts every read of the page
(`checker.check.PageReadLog`).

Boxes found on the flattened page are mapped back onto the photo (the box around the same
spot), so evidence points at the page image the document holds and the report shows.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import Any

import numpy as np
from PIL import Image

from checker.document import Reading
from checker.documents import Content
from checker.ocr import OcrError
from checker.reading.flatten import Flattened, flatten
from schemas.reads import Reads

logger = logging.getLogger(__name__)


TOP_SHARE = 1 / 3  # of a flattened sheet, read to tell a statement: its header and first rows
INK_LEVEL = 128  # grey levels below this are print
CUT_SEARCH = 0.04  # of the sheet's height around TOP_SHARE: where the cut between lines is sought


def top_of(sheet: Image.Image) -> Image.Image:
    """About the top TOP_SHARE of a flattened sheet: enough to show a statement's column
    titles and first rows under its header (measured: the 26 statement photos of the batch
    bench's set and the fixtures, and photos of the first page of every bank layout of
    `fixtures.bank_layouts`, 30 of 30; at a fifth of the page, a first page's header hid the
    titles). It is cut at the row with the least ink near that height, between two text lines
    (a line cut through made tesseract's page layout complain on stderr)."""
    grey = np.asarray(sheet.convert("L"), dtype=np.uint8)
    low = round(sheet.height * (TOP_SHARE - CUT_SEARCH))
    high = max(low + 1, round(sheet.height * (TOP_SHARE + CUT_SEARCH)))
    ink = (grey[low:high] < INK_LEVEL).sum(axis=1)
    return sheet.crop((0, 0, sheet.width, low + int(np.argmin(ink)) + 1))


def flat_content(content: Content) -> tuple[Content, dict[int, Flattened]]:
    """The content as its sheets were read flattened before their first read (flattened pages
    and their reads), and the flattened pages by number; the content itself when none was."""
    if not content.flat_reads:
        return content, {}
    flattened = {read.flattened.page.number: read.flattened for read in content.flat_reads}
    pages = tuple(
        flattened[page.number].page if page.number in flattened else page for page in content.pages
    )
    reads = {read.flattened.page.number: read.reading for read in content.flat_reads}
    readings = tuple(reads.get(reading.page, reading) for reading in content.readings)
    flat = dataclasses.replace(content, readings=readings, pages=pages, flat_reads=())
    return flat, flattened


def as_taken_content(content: Content) -> Content | None:
    """The content with each sheet that was read flattened read again as photographed; None
    when there is none, or a read failed."""
    if not content.flat_reads or content.reader is None:
        return None
    taken = {}
    for read in content.flat_reads:
        photo = read.flattened.photo
        if photo.image is None:
            return None
        try:
            taken[photo.number] = content.reader.read(photo.image, dpi=photo.dpi, page=photo.number)
        except OcrError as error:
            logger.debug("photo %d not read as taken: %s", photo.number, error)
            return None
    readings = tuple(taken.get(reading.page, reading) for reading in content.readings)
    return dataclasses.replace(content, readings=readings, flat_reads=())


def flattened_content(content: Content) -> tuple[Content, dict[int, Flattened]]:
    """The content with each photographed page (a sheet on a darker background, found by
    `checker.reading.flatten`) flattened and read again; and the flattened pages by number."""
    if content.reader is None or not content.pages:
        return content, {}
    pages = {page.number: page for page in content.pages}
    readings: list[Reading] = []
    flattened: dict[int, Flattened] = {}
    for reading in content.readings:
        page = pages.get(reading.page)
        flat = flatten(page) if page is not None and reading.source == "ocr" else None
        if flat is not None and flat.page.image is not None:
            try:
                reading = content.reader.read(
                    flat.page.image, dpi=flat.page.dpi, page=flat.page.number
                )
            except OcrError as error:
                logger.debug("flattened page %d not read: %s", flat.page.number, error)
            else:
                flattened[flat.page.number] = flat
                pages[flat.page.number] = flat.page
        readings.append(reading)
    if not flattened:
        return content, {}
    ordered = tuple(pages[reading.page] for reading in readings if reading.page in pages)
    return dataclasses.replace(content, readings=tuple(readings), pages=ordered), flattened


def boxes_on_photos(
    fields: Reads, rows: Iterable[dict[str, Any]], flattened: dict[int, Flattened]
) -> None:
    """Every box read on a flattened page mapped back onto its photo (in place)."""
    if not flattened:
        return
    for row in rows:
        flat = flattened.get(row.get("page", 0))
        if flat is None:
            continue
        if row.get("box"):
            row["box"] = list(flat.box_on_photo(tuple(row["box"])))
        for cell in row.get("cells", {}).values():
            if cell.get("box"):
                cell["box"] = list(flat.box_on_photo(tuple(cell["box"])))
    for name, field in fields.items():
        flat = flattened.get(field.page) if field.page is not None else None
        if flat is not None and field.box is not None:
            fields[name] = field.model_copy(update={"box": flat.box_on_photo(field.box)})
