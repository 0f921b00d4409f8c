"""One value read from a document, with where and how it was read: `Read[T]`.

Every extracted field is a `Read`: the value (None when the field was looked for and not
read), how sure the reading was, the page and box it stands in, the text as read before
parsing, and the method that read it (text_layer, ocr, ocr_retry, mrz_corrected …).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")

Box = tuple[int, int, int, int]  # left, top, right, bottom in page pixels
# A date as read (a `date`), or its masked text in a masked report (`1990-**-**`)
MaskableDate = dt.date | str


class Read(BaseModel, Generic[T]):
    """One extracted field with its provenance."""

    value: T | None = None
    confidence: float | None = None
    page: int | None = None
    box: Box | None = None
    raw: str | None = None  # the text as read, before parsing
    method: str | None = None  # how it was read: text_layer, ocr, ocr_retry, mrz_corrected …


# The parametrizations the fields models use, made here at module level: pydantic registers
# a generic model made at module level in that module, which is what lets pickle find it
# (batch workers and the API's worker processes send reports back to their parent).
PARAMETRIZED = (Read[str], Read[bool], Read[MaskableDate], Read[Box], Read[list[str]])

# A kind's fields by name while they are being read, before they become its typed model.
Reads = dict[str, Read[Any]]
