"""Values printed under the registration authority's red seal (the authority's name, the issue
date): the seal's ink turns one character into another (武侯区 read as 武医区), so such a
value is taken only when the second reader, reading crops of it with the seal's ink washed out
(`checker.second_read.print_crop`), agrees; otherwise the authority is left unread and a date
is kept unsure (a date in the future then asks for a clearer copy, not an error)."""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image

from checker.document import Box, Page
from checker.documents import Content
from checker.documents._licence.cells import fold
from checker.documents._licence.values import date_value, text_value
from checker.ocr import Reader
from checker.seal import red_mask
from checker.second_read import agreed_read
from schemas.reads import Reads

RED_SHARE = 0.02  # a value's box with this share of red ink lies under the seal
UNSURE = 0.5  # the most a date under the seal that no second read confirmed is trusted
SEALED_FIELDS = ("registration_authority", "issue_date", "established")


def under_seal(image: Image.Image, box: Box) -> bool:
    crop = np.asarray(image.convert("RGB").crop(box))
    return crop.size > 0 and float(red_mask(crop).mean()) >= RED_SHARE


def checked_under_seal(content: Content, fields: Reads) -> Reads:
    """`fields` with each value under the seal confirmed by the second reader, or not kept."""
    reading = content.readings[0] if content.readings else None
    page = next((p for p in content.pages if reading and p.number == reading.page), None)
    if reading is None or page is None or page.image is None or reading.source == "text_layer":
        return fields
    checked = dict(fields)
    for field in SEALED_FIELDS:
        read = fields.get(field)
        if read is None or read.value is None or read.box is None or read.method == "confirmed":
            continue
        if not under_seal(page.image, read.box):
            continue
        again = _second_look(field, read.box, page, content.second_reader)
        if again is not None and again == read.value:
            checked[field] = read.model_copy(update={"method": "confirmed"})
        elif field == "registration_authority":
            checked[field] = read.model_copy(update={"value": None, "method": "under_seal"})
        else:
            confidence = min(read.confidence or 0.0, UNSURE)
            checked[field] = read.model_copy(update={"confidence": confidence})
    return checked


def _second_look(field: str, box: Box, page: Page, reader: Reader | None) -> Any:
    """The value the second reader's crops of `box` agree on, or None."""
    if reader is None or page.image is None:
        return None
    height = box[3] - box[1]
    pad = height // 3
    regions = [
        (max(0, box[0] - pad), max(0, box[1] - pad), box[2] + pad, box[3] + pad),
        (max(0, box[0] - height), max(0, box[1] - 2 * pad), box[2] + height, box[3] + 2 * pad),
    ]
    agreed = agreed_read(
        reader,
        page.image,
        regions,
        text_height=height,
        dpi=page.dpi,
        page=page.number,
        parse=lambda text: _parsed(field, fold(text)),
    )
    return None if agreed is None else agreed.value


def _parsed(field: str, text: str) -> object:
    if field == "registration_authority":
        return text_value(field, text)
    return date_value(text)[0]
