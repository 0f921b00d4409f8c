"""One value read from a document, with where and how it was read: `Read[T]`.

Every extracted field is a `Read`: the value (None when the field was looked for and not
read), how sure the reading was, the page and box it stands in, the text as read before
parsing, and the method that read it (text_layer, ocr, ocr_retry, mrz_corrected …).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")

Box = tuple[int, int, int, int]  # left, top, right, bottom in page pixels


class Read(BaseModel, Generic[T]):
    """One extracted field with its provenance."""

    value: T | None = None
    confidence: float | None = None
    page: int | None = None
    box: Box | None = None
    raw: str | None = None  # the text as read, before parsing
    method: str | None = None  # how it was read: text_layer, ocr, ocr_retry, mrz_corrected …


# A date as read; in a masked report, its masked text (`1990-**-**`).
MaskableDate = Annotated[dt.date | str, Field(union_mode="left_to_right")]

# A kind's fields by name while they are being read, before they become its typed model.
Reads = dict[str, Read[Any]]
