"""Values printed under the registration authority's red seal (the authority's name, the issue
date): the seal's ink turns one character into another (武侯区 read as 武医区), so such a
value is taken only when the second reader, reading crops of its line with the seal's ink
washed out, agrees (or its crops agree on another one, which is then taken); otherwise the
authority is left unread and a date is kept unsure (a date in the future then asks for a
clearer copy, not an error). The crops are `checker.reading.second_read.line_crop`s: on a photo
askew the value's box is that of a sloping line, which holds parts of the lines above and
below it, and the authority's box widened to where its end may be reaches the page's border;
each crop keeps the one line, levelled, up to where its text ends."""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image

from checker.document import Box, Page
from checker.documents import Content
from checker.documents._licence.cells import fold
from checker.documents._licence.values import date_value, text_value
from checker.ocr import Reader
from checker.reading.seal import red_mask
from checker.reading.second_read import Agreed, agreed_read, line_crop
from schemas.reads import Read, Reads

RED_SHARE = 0.02  # a value's box with this share of red ink lies under the seal
UNSURE = 0.5  # the most a date under the seal that no second read confirmed is trusted
AUTHORITY_WIDTH = 15  # an authority's name runs up to this many characters (text heights)
SEALED_FIELDS = ("registration_authority", "issue_date", "established")
# fields whose value, printed under the seal and read broken, is looked at again (the others
# only confirmed): the authority's name, the issue date
UNREAD_LOOKED_AT = ("registration_authority", "issue_date")
# the authority's line, when no reader saw it, is looked for this many date heights over the
# issue date's top (between it and the 登记机关 label), from up to AUTHORITY_LEFT heights left
# of the date (a licence centres the date under the authority's name, or starts them together)
ABOVE_DATE = (2.4, 0.6)
AUTHORITY_LEFT = 6


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
    fields = {**fields, **_authority_line_missed(fields)}
    for field in SEALED_FIELDS:
        read = fields.get(field)
        if read is None or read.box is None or read.method == "confirmed":
            continue
        looked_for = read.value is not None or (
            field in UNREAD_LOOKED_AT and read.method == "unread"
        )
        if not looked_for or not under_seal(page.image, read.box):
            continue
        agreed = _second_look(field, read.box, page, content.second_reader)
        again = agreed.value if agreed is not None else None
        if agreed is not None and again == read.value:
            checked[field] = read.model_copy(update={"method": "confirmed"})
        elif agreed is not None:  # two sure crops with the seal washed out agree on it
            update = {"value": again, "raw": agreed.text, "confidence": round(agreed.confidence, 3)}
            update["method"] = "second_reader"
            checked[field] = read.model_copy(update=update)
        elif field == "registration_authority":
            checked[field] = read.model_copy(update={"value": None, "method": "under_seal"})
        else:
            confidence = min(read.confidence or 0.0, UNSURE)
            checked[field] = read.model_copy(update={"confidence": confidence})
    return checked


def _authority_line_missed(fields: Reads) -> Reads:
    """Where the reader found no authority, or took the date under it for its value (the seal
    hid its line from the text detector): the line over the issue date, where a licence
    prints the authority (`ABOVE_DATE`), as an unread authority for a second look."""
    authority, issue = fields.get("registration_authority"), fields.get("issue_date")
    if issue is None or issue.box is None or issue.value is None:
        return {}
    seen = authority is not None and authority.box is not None
    if seen and authority is not None and date_value(authority.raw or "")[0] is None:
        return {}
    left, top, right, _ = issue.box
    height = issue.box[3] - top
    over, under = ABOVE_DATE
    box = (
        max(0, left - AUTHORITY_LEFT * height),
        max(0, top - round(over * height)),
        right,
        max(0, top - round(under * height)),
    )
    if box[3] <= box[1]:  # the date at the page's top: nothing over it
        return {}
    missed: Read[Any] = Read(value=None, page=issue.page, box=box, method="unread")
    return {"registration_authority": missed}


def _second_look(field: str, box: Box, page: Page, reader: Reader | None) -> Agreed | None:
    """What the second reader's crops of `box` agree on, or None."""
    if reader is None or page.image is None:
        return None
    height = box[3] - box[1]
    pad = height // 3
    right = box[2]
    if field == "registration_authority":  # its end may be what the seal hid from the read
        right = min(page.width, max(right, box[0] + AUTHORITY_WIDTH * height))
    regions = [
        (max(0, box[0] - pad), max(0, box[1] - pad), right + pad, box[3] + pad),
        (max(0, box[0] - height), max(0, box[1] - 2 * pad), right + height, box[3] + 2 * pad),
    ]
    agreed = agreed_read(
        reader,
        page.image,
        regions,
        text_height=height,
        dpi=page.dpi,
        page=page.number,
        parse=lambda text: _parsed(field, fold(text)),
        prepare=line_crop,
    )
    return agreed


def _parsed(field: str, text: str) -> object:
    if field == "registration_authority":
        return text_value(field, text)
    return date_value(text)[0]
