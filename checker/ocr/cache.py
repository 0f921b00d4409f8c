"""Disk cache of readings, keyed by the page's pixels and everything that changes the result.

One JSON file per key in the cache dir (mode 0o700; files 0o600, as mkstemp makes them).
Writes go to a temp file in the same dir and are moved into place with os.replace, so a crash
or two workers writing the same key never leave a half-written file. A file that cannot be
parsed is treated as a miss and rewritten. The files hold the text read from the documents:
the cache dir is private to the user and should be treated like the documents themselves.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from PIL import Image
from pydantic import TypeAdapter, ValidationError

from checker.document import Box, Reading
from checker.ocr import Reader, ReaderWrapper, RegionOptions, read_regions

logger = logging.getLogger(__name__)

CACHE_FORMAT = 1  # bump when the stored shape of a Reading changes
_READING_JSON = TypeAdapter(Reading)
_READINGS_JSON = TypeAdapter(list[Reading])
_T = TypeVar("_T")


def default_cache_dir() -> Path:
    """$DOCREADY_CACHE_DIR, or ~/.cache/docready/ocr."""
    configured = os.environ.get("DOCREADY_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "docready" / "ocr"


def cache_key(
    image: Image.Image,
    reader: Reader,
    *,
    dpi: int,
    regions: Sequence[Box] = (),
    options: RegionOptions | None = None,
) -> str:
    """sha256 over the reader's settings, the dpi and the image's mode, size and pixels;
    for a region read also the boxes and the region options."""
    settings: dict[str, object] = {
        "format": CACHE_FORMAT,
        "engine": reader.name,
        "version": reader.version,
        "languages": reader.languages,
        "options": reader.options,
        "dpi": dpi,
        "mode": image.mode,
        "size": list(image.size),
    }
    if options is not None:
        settings["regions"] = [list(box) for box in regions]
        settings["region_options"] = dataclasses.asdict(options)
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    if image.palette is not None:  # a "P" image's pixels are indices into its palette
        digest.update(image.palette.tobytes())
    digest.update(image.tobytes())
    return digest.hexdigest()


class CachedReader(ReaderWrapper):
    """A Reader that answers from the disk cache and asks `inner` only on a miss."""

    def __init__(self, inner: Reader, cache_dir: Path | None = None) -> None:
        super().__init__(inner)
        self.cache_dir = cache_dir if cache_dir is not None else default_cache_dir()

    def read(self, image: Image.Image, *, dpi: int, page: int) -> Reading:
        """The cached reading of this image (cached=True), or a fresh one, then stored."""
        started = time.perf_counter()
        path = self.cache_dir / f"{cache_key(image, self.inner, dpi=dpi)}.json"
        stored = self._load(path, _READING_JSON)
        if stored is not None:
            seconds = time.perf_counter() - started
            return dataclasses.replace(stored, page=page, cached=True, seconds=seconds)
        reading = self.inner.read(image, dpi=dpi, page=page)
        self._store(path, _READING_JSON.dump_json(dataclasses.replace(reading, cached=False)))
        return reading

    def read_regions(
        self,
        image: Image.Image,
        boxes: Sequence[Box],
        *,
        dpi: int,
        page: int,
        options: RegionOptions,
    ) -> list[Reading]:
        """The cached readings of these regions, or fresh ones from `inner`, then stored."""
        key = cache_key(image, self.inner, dpi=dpi, regions=boxes, options=options)
        path = self.cache_dir / f"{key}.json"
        stored = self._load(path, _READINGS_JSON)
        if stored is not None and len(stored) == len(boxes):
            return [dataclasses.replace(item, page=page, cached=True) for item in stored]
        readings = read_regions(self.inner, image, boxes, dpi=dpi, page=page, options=options)
        self._store(path, _READINGS_JSON.dump_json(readings))
        return readings

    def _load(self, path: Path, adapter: TypeAdapter[_T]) -> _T | None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            logger.warning("OCR cache entry %s unreadable (%s); reading again", path.name, error)
            return None
        try:
            return adapter.validate_json(data)
        except ValidationError:
            logger.warning("OCR cache entry %s is corrupt; reading again", path.name)
            return None

    def _store(self, path: Path, data: bytes) -> None:
        """Write atomically; a cache that cannot be written only costs speed."""
        temp_name = None
        try:
            self.cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(dir=self.cache_dir, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temp_name, path)
            temp_name = None
        except OSError as error:
            logger.warning("OCR cache not written to %s: %s", self.cache_dir, error)
        finally:
            if temp_name is not None:
                Path(temp_name).unlink(missing_ok=True)
