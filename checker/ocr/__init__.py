"""OCR readers: turn a page image into a Reading (words, boxes, confidences).

A reader is any object with the `Reader` shape. `get_reader` picks one by the policy's
`ocr.engine` and wraps it in the disk cache. An engine is a module of this package with a
`make_reader(settings) -> Reader` function, listed in `ENGINES`; an optional engine (e.g.
`rapidocr`) imports its library inside `make_reader` and raises `OcrError` with an install hint
when it is missing.

`read_regions` reads several crops of a page (a name line, an ID number strip) with their own
page segmentation, languages and whitelist, in one engine call where the reader supports it.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from checker.document import Box, Reading, Word

if TYPE_CHECKING:
    from PIL import Image

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


@dataclass(frozen=True)
class RegionOptions:
    """How to read regions of a page: page segmentation, languages (the reader's own when
    empty) and a character whitelist (none when empty)."""

    psm: int = 7  # a single text line
    languages: str = ""
    whitelist: str = ""

    def describe(self) -> str:
        return f"psm={self.psm} lang={self.languages} whitelist={self.whitelist}"


class RegionReader(Reader, Protocol):
    """A Reader that can also read several regions of a page in one engine call."""

    def read_regions(
        self,
        image: Image.Image,
        boxes: Sequence[Box],
        *,
        dpi: int,
        page: int,
        options: RegionOptions,
    ) -> list[Reading]:
        """One Reading per box, word boxes in page pixels; raises OcrError like `read`."""
        ...


def read_regions(
    reader: Reader,
    image: Image.Image,
    boxes: Sequence[Box],
    *,
    dpi: int,
    page: int,
    options: RegionOptions,
) -> list[Reading]:
    """Read `boxes` of `image` with `options`: in one call where the reader can, else one
    `read` of each crop (a reader without region support ignores the options)."""
    if not boxes:
        return []
    if hasattr(reader, "read_regions"):
        return list(reader.read_regions(image, boxes, dpi=dpi, page=page, options=options))
    readings = []
    for box in boxes:
        reading = reader.read(image.crop(box), dpi=dpi, page=page)
        readings.append(dataclasses.replace(reading, words=shift_words(reading.words, box)))
    return readings


def stack_crops(crops: Sequence[Image.Image]) -> tuple[Image.Image, list[Box]]:
    """Greyscale crops one under another on one white sheet, and each one's box on it: one
    reader call then reads them all (tesseract loads its model once per call)."""
    from PIL import Image

    width = max(crop.width for crop in crops)
    sheet = Image.new("L", (width, sum(crop.height for crop in crops)), 255)
    boxes, top = [], 0
    for crop in crops:
        sheet.paste(crop, (0, top))
        boxes.append((0, top, crop.width, top + crop.height))
        top += crop.height
    return sheet, boxes


def shift_words(words: list[Word], box: Box) -> list[Word]:
    """Words read on a crop, with their boxes moved back into page pixels."""
    left, top = box[0], box[1]
    return [
        dataclasses.replace(
            word, box=(word.box[0] + left, word.box[1] + top, word.box[2] + left, word.box[3] + top)
        )
        for word in words
    ]


logger = logging.getLogger(__name__)

# engine name -> module in this package that defines make_reader(settings)
ENGINES = {"tesseract": "checker.ocr.tesseract", "rapidocr": "checker.ocr.rapidocr"}


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


@functools.cache
def process_reader(settings: OcrSettings) -> Reader:
    """One reader per process for these settings (`get_reader`'s, made at the first call):
    what a worker process checks every file with (building one runs `tesseract --version`)."""
    return get_reader(settings)


class ReaderWrapper:
    """A Reader that hands every read to `inner`; subclasses add to that (a disk cache, a
    log of page reads, an engine made at its first read)."""

    def __init__(self, inner: Reader) -> None:
        self._inner = inner

    @property
    def inner(self) -> Reader:
        return self._inner

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def version(self) -> str:
        return self.inner.version

    @property
    def languages(self) -> str:
        return self.inner.languages

    @property
    def options(self) -> str:
        return self.inner.options

    def read(self, image: Image.Image, *, dpi: int, page: int) -> Reading:
        return self.inner.read(image, dpi=dpi, page=page)

    def read_regions(
        self,
        image: Image.Image,
        boxes: Sequence[Box],
        *,
        dpi: int,
        page: int,
        options: RegionOptions,
    ) -> list[Reading]:
        return read_regions(self.inner, image, boxes, dpi=dpi, page=page, options=options)


class DeferredReader(ReaderWrapper):
    """A reader made at its first read, for an engine that is seldom needed: RapidOCR costs
    0.6 s to import, 0.6 s to load its model and about 170 MB, which a check whose fields all
    read cleanly should not pay. When the engine cannot be made (not installed), every read
    raises OcrError and the reason is logged once."""

    def __init__(self, engine: str, settings: OcrSettings, **variant: bool) -> None:
        self._engine = engine
        self._settings = settings
        self._variant = variant  # passed to the module's make_reader and describe (card=True)
        self._reader: Reader | None = None
        self._failure = ""
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._engine  # known without making the engine

    @property
    def version(self) -> str:
        return self._described(0)

    @property
    def languages(self) -> str:
        return self._described(1)

    @property
    def options(self) -> str:
        return self._described(2)

    def _described(self, index: int) -> str:
        """From the engine module's `describe()` where it has one (a cache hit then loads no
        model), else from the engine's reader."""
        describe = getattr(importlib.import_module(ENGINES[self._engine]), "describe", None)
        if describe is None:
            return str(getattr(self.inner, ("version", "languages", "options")[index]))
        return str(describe(**self._variant)[index])

    @property
    def inner(self) -> Reader:
        """The engine's reader, made now if not yet; raises OcrError when it cannot be."""
        with self._lock:
            if self._reader is None and not self._failure:
                try:
                    module = importlib.import_module(ENGINES[self._engine])
                    self._reader = module.make_reader(self._settings, **self._variant)
                except OcrError as error:
                    self._failure = str(error)
                    logger.warning("second reader off: %s", error)
        if self._reader is None:
            raise OcrError(self._failure)
        return self._reader


_second_readers: dict[tuple[str, bool, int, Path | None], Reader] = {}


def second_reader(settings: OcrSettings) -> Reader | None:
    """The policy's second reader (`ocr.second_engine`), or None when none is chosen: one per
    process, kept for the next checks so its model loads once, and made at its first read
    (`DeferredReader`), its readings kept in the OCR cache like the page reader's. A forked
    batch worker makes its own."""
    return _kept_second_reader(settings, card=False)


def card_reader(settings: OcrSettings) -> Reader | None:
    """The second engine set up to read a card-sized page first (`card=True`: RapidOCR
    detects lines on a smaller copy of the image), or None without a second engine. Kept
    and cached like `second_reader`."""
    return _kept_second_reader(settings, card=True)


def _kept_second_reader(settings: OcrSettings, *, card: bool) -> Reader | None:
    engine = settings.second_engine
    if engine is None:
        return None
    from checker.ocr.cache import CachedReader, default_cache_dir

    cache_dir = default_cache_dir() if cache_enabled() else None
    key = (engine, card, os.getpid(), cache_dir)
    if key not in _second_readers:
        variant = {"card": True} if card else {}
        deferred = DeferredReader(engine, settings, **variant)
        _second_readers[key] = deferred if cache_dir is None else CachedReader(deferred, cache_dir)
    return _second_readers[key]


def make_room_for_card(settings: OcrSettings) -> None:
    """In a worker process (one that gives large blocks back, `checker.memory`), end
    tesseract's engines but the page reader's before a card is read, and give the freed heap
    back to the system: the card's detector needs about 100 MB while it runs, and a card's
    read seldom needs those engines (`tesseract.let_go_of_engines`). The batch bench's 24
    applications, one worker: peak 605 MB before, 580 after; the engines were loaded 49 times
    instead of 3 (about 5 s of the run's 320)."""
    from checker import memory
    from checker.ocr import tesseract  # it imports this module

    if not memory.large_blocks_given_back():
        return
    tesseract.let_go_of_engines(keep=settings.languages)
    memory.give_back_free_heap()


__all__ = [
    "ENGINES",
    "DeferredReader",
    "OcrError",
    "OcrTimeoutError",
    "Reader",
    "ReaderWrapper",
    "RegionOptions",
    "RegionReader",
    "card_reader",
    "get_reader",
    "make_room_for_card",
    "read_regions",
    "second_reader",
    "stack_crops",
]
