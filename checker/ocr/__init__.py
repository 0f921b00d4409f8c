"""OCR readers: turn a page image into a Reading (words, boxes, confidences).

A reader is any object with the `Reader` shape. `get_reader` picks one by the policy's
`ocr.engine` and wraps it in the disk cache. An engine is a module of this package with a
`make_reader(settings) -> Reader` function, listed in `ENGINES`; an optional engine (e.g.
`rapidocr`) imports its library inside `make_reader` and raises `OcrError` with an install hint
when it is missing.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PIL import Image

    from checker.document import Reading
    from checker.policy import OcrSettings


class OcrError(Exception):
    """A page could not be read; the message says why (never the page's text)."""


class OcrTimeoutError(OcrError):
    """Reading a page took longer than the policy's `ocr.timeout_seconds`."""


class Reader(Protocol):
    """Reads one page image. Everything that changes the result is in name..options."""

    @property
    def name(self) -> str:
        """The engine, e.g. "tesseract"."""
        ...

    @property
    def version(self) -> str:
        """The engine's version, e.g. "5.3.0"."""
        ...

    @property
    def languages(self) -> str:
        """The languages or models used, e.g. "chi_sim+eng"."""
        ...

    @property
    def options(self) -> str:
        """Any other setting that changes the result (page segmentation, ...)."""
        ...

    def read(self, image: Image.Image, *, dpi: int, page: int) -> Reading:
        """The words on `image`; raises OcrTimeoutError or OcrError when it cannot."""
        ...


# engine name -> module in this package that defines make_reader(settings)
ENGINES = {"tesseract": "checker.ocr.tesseract"}


def cache_enabled() -> bool:
    """The OCR cache is on unless $DOCREADY_OCR_CACHE is "off" (it holds documents' text)."""
    return os.environ.get("DOCREADY_OCR_CACHE", "on").lower() not in {"off", "0", "no", "false"}


def get_reader(
    settings: OcrSettings, *, cache_dir: Path | None = None, cache: bool | None = None
) -> Reader:
    """The reader for `settings.engine`, serving repeated pages from the disk cache.

    `cache_dir` defaults to $DOCREADY_CACHE_DIR or ~/.cache/docready/ocr; `cache=False` (or
    DOCREADY_OCR_CACHE=off) reads without it. Raises OcrError when the engine is unknown or
    not installed: the checker cannot run without it.
    """
    from checker.ocr.cache import CachedReader

    module_name = ENGINES.get(settings.engine)
    if module_name is None:
        known = ", ".join(sorted(ENGINES))
        raise OcrError(f"unknown OCR engine {settings.engine!r}; choose one of: {known}")
    engine = importlib.import_module(module_name)
    reader: Reader = engine.make_reader(settings)
    if cache is False or (cache is None and not cache_enabled()):
        return reader
    return CachedReader(reader, cache_dir)


__all__ = ["ENGINES", "OcrError", "OcrTimeoutError", "Reader", "get_reader"]
