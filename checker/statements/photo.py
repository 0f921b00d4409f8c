"""Statement pages photographed with a phone: flattened and read again before the table is
rebuilt, and every box put back on the photo.

A sheet photographed at an angle slopes its rows and bends its columns; tesseract then drops
and misplaces amounts (0.45-0.95 of them exact on the sample photos, against 1.00 once the
sheet is flattened: see `checker.reading.flatten`). The flattening happens here, for statements
only, and not in the quality gate for every page: measured on the certificate photos,
reading a flattened sheet changed which of their fields tesseract got right. Measured again
with the second reader in place (every page flattened before its first read): the statement
photos kept every amount and took 38% less time (2.8 s a page against 4.5 s), but three of
the 48 fields of the four certificate photos were lost (two issue dates unread, one employer
misread as 上海云由) and two golden cases gained a `field_unreadable`; so the other document
kinds keep the photo as taken. A statement photo whose first read leaves doubt is therefore
read twice (once as taken, which classified it, once flattened); the report's `ocr_seconds`
counts both reads (`checker.check.PageReadLog`).

Boxes found on the flattened page are mapped back onto the photo (the box around the same
spot), so evidence points at the page image the document holds and the report shows.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import Any

from checker.document import Reading
from checker.documents import Content
from checker.ocr import OcrError
from checker.reading.flatten import Flattened, flatten
from schemas.reads import Reads

logger = logging.getLogger(__name__)


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
