"""Tesseract reader: Debian's tesseract-ocr through pytesseract, one process per page.

Speed choices, measured on this kind of machine (bench/ocr.py):
- OMP_THREAD_LIMIT=1: on two cores tesseract's own threads cost more than they gain;
  pages are parallelised by `read_document(workers=...)` instead.
- The page goes to tesseract as an uncompressed greyscale TIFF written once into a private
  temp dir: Pillow writes it in about 1 ms for an A4 page at 300 DPI, where pytesseract's
  default PNG re-encode costs 60-220 ms, and leptonica reads it faster than PNG or PGM
  (PGM was about 0.1 s slower per A4 page; piping the image through stdin slower still).
- `--dpi N` always: without it tesseract guesses the resolution and drops table cells.
- Regions (`read_regions`) go as one file list to one tesseract process: the model loads
  once (about 0.25 s) for all crops, each read as its own page with the region's psm.
- A standby for region reads: tesseract loads its model before it reads an image from stdin, so
  while a page is read, a second process for the region options used lately is started on the
  other core; it waits on stdin, and the re-read of the page's doubtful fields then costs
  recognition only (an ID card's name and address lines: 0.17 s cold, about 0.04 s warm).
"""

from __future__ import annotations

import io
import logging
import os
import shlex
import subprocess
import tempfile
import threading
import time
import weakref
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytesseract
from PIL import Image, ImageOps

from checker.document import Box, Reading, Word
from checker.ocr import OcrError, OcrTimeoutError, RegionOptions, shift_words
from checker.policy import OcrSettings

logger = logging.getLogger(__name__)

NAME = "tesseract"
PAGE_SEGMENTATION = "--psm 3"  # fully automatic layout, the right default for a page
REGION_MARGIN = 12  # white pixels around a region crop
STANDBY_OPTIONS = 2  # region options kept warm: the ones most recently used
_TIMEOUT_MESSAGE = "Tesseract process timeout"  # what pytesseract raises, as RuntimeError
_INSTALL_HINT = "install it with `apt-get install tesseract-ocr` (Debian/Ubuntu)"


def make_reader(settings: OcrSettings) -> TesseractReader:
    """The tesseract reader for the policy's OCR settings."""
    return TesseractReader(languages=settings.languages, timeout_seconds=settings.timeout_seconds)


class TesseractReader:
    """Reads a page with tesseract; checks at construction that tesseract and its languages
    are installed, so a missing install stops the checker instead of failing every page."""

    name = NAME
    options = PAGE_SEGMENTATION

    def __init__(self, *, languages: str, timeout_seconds: float) -> None:
        self.languages = languages
        self.timeout_seconds = timeout_seconds
        self.version = tesseract_version(pytesseract.pytesseract.tesseract_cmd)
        _check_languages(pytesseract.pytesseract.tesseract_cmd, languages)
        self._standby = _Standby(timeout_seconds=timeout_seconds)

    def read(self, image: Image.Image, *, dpi: int, page: int) -> Reading:
        """The words on `image`, read at `dpi`; raises OcrTimeoutError or OcrError."""
        started = time.perf_counter()
        # pytesseract hands os.environ to the tesseract process; a caller's value wins.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        self._standby.prepare(dpi)
        with tempfile.TemporaryDirectory(prefix="docready-ocr-") as workdir:
            image_path = Path(workdir) / "page.tif"
            _write(_greyscale(image), image_path, dpi=dpi, page=page)
            config = f"{PAGE_SEGMENTATION} --dpi {dpi}"
            tsv = self._run(str(image_path), config=config, languages=self.languages, page=page)
        words = parse_tsv(tsv)
        seconds = time.perf_counter() - started
        logger.debug("tesseract read page %d: %d words in %.2f s", page, len(words), seconds)
        return self._reading(page, words, seconds)

    def read_regions(
        self,
        image: Image.Image,
        boxes: Sequence[Box],
        *,
        dpi: int,
        page: int,
        options: RegionOptions,
    ) -> list[Reading]:
        """Each box of `image` read as its own page of one tesseract call (one model load).

        Crops get a white margin (tesseract reads a line touching the edge badly); the word
        boxes come back in page pixels.
        """
        started = time.perf_counter()
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        grey = _greyscale(image)
        crops = [ImageOps.expand(grey.crop(box), REGION_MARGIN, fill=255) for box in boxes]
        languages = options.languages or self.languages
        settings = _region_settings(options)
        tsv = self._standby.read(languages, settings, crops, dpi=dpi, page=page)
        if tsv is None:
            config = f"{settings} --dpi {dpi}"
            tsv = self._read_crops(crops, languages=languages, config=config, dpi=dpi, page=page)
        by_region = parse_tsv_pages(tsv)
        seconds = (time.perf_counter() - started) / max(1, len(boxes))
        readings = []
        for index, box in enumerate(boxes):
            margin = (box[0] - REGION_MARGIN, box[1] - REGION_MARGIN, 0, 0)
            words = shift_words(by_region.get(index + 1, []), margin)
            readings.append(self._reading(page, words, seconds))
        return readings

    def _read_crops(
        self, crops: list[Image.Image], *, languages: str, config: str, dpi: int, page: int
    ) -> str:
        """Tesseract's TSV for the crops, given as a file list to a new process."""
        with tempfile.TemporaryDirectory(prefix="docready-ocr-") as workdir:
            paths = []
            for index, crop in enumerate(crops):
                path = Path(workdir) / f"region{index}.tif"
                _write(crop, path, dpi, page)
                paths.append(str(path))
            listing = Path(workdir) / "regions.txt"
            listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
            return self._run(str(listing), config=config, languages=languages, page=page)

    def _reading(self, page: int, words: list[Word], seconds: float) -> Reading:
        return Reading(
            page=page,
            words=words,
            source="ocr",
            engine=f"{self.name} {self.version}",
            seconds=seconds,
        )

    def _run(self, image_path: str, *, config: str, languages: str, page: int) -> str:
        """Tesseract's TSV for the image file, with its errors turned into OcrErrors."""
        try:
            return pytesseract.image_to_data(
                image_path,
                lang=languages,
                config=config,
                timeout=self.timeout_seconds,
                output_type=pytesseract.Output.STRING,
            )
        except pytesseract.TesseractNotFoundError:
            raise OcrError(f"tesseract is not installed: {_INSTALL_HINT}") from None
        except pytesseract.TesseractError as error:
            raise OcrError(f"page {page}: tesseract failed: {error.message}") from None
        except RuntimeError as error:  # TesseractError is a RuntimeError too: keep it above
            if str(error) == _TIMEOUT_MESSAGE:
                raise OcrTimeoutError(
                    f"page {page}: tesseract took longer than {self.timeout_seconds} s"
                ) from None
            raise OcrError(f"page {page}: tesseract failed: {error}") from None


def _region_settings(options: RegionOptions) -> str:
    """The command-line settings of a region read, but the DPI."""
    settings = f"--psm {options.psm}"
    if options.whitelist:
        settings += f" -c tessedit_char_whitelist={options.whitelist}"
    return settings


class _Standby:
    """Tesseract processes started ahead of need for region reads, for the region settings
    used most recently. Each has loaded its model and waits for a multi-page TIFF on stdin; it
    is used once. Thread-safe; the processes stop with the reader."""

    def __init__(self, *, timeout_seconds: float) -> None:
        self.timeout_seconds = timeout_seconds
        self._lock = threading.Lock()
        self._recent: list[tuple[str, str]] = []  # (languages, settings), newest last
        self._waiting: dict[tuple[str, str, int], subprocess.Popen[bytes]] = {}
        self._owner = os.getpid()
        weakref.finalize(self, _stop_processes, self._waiting, self._owner)

    def prepare(self, dpi: int) -> None:
        """Start a process for each recent region setting at this DPI that has none waiting."""
        with self._lock:
            for languages, settings in self._recent:
                key = (languages, settings, dpi)
                if key not in self._waiting:
                    self._waiting[key] = _start(languages, f"{settings} --dpi {dpi}")
            while len(self._waiting) > STANDBY_OPTIONS:  # a DPI not seen again: drop the oldest
                _stop(self._waiting.pop(next(iter(self._waiting))))

    def read(
        self, languages: str, settings: str, crops: list[Image.Image], *, dpi: int, page: int
    ) -> str | None:
        """The TSV of the crops from a waiting process, or None when none waits for them."""
        with self._lock:
            recent = [item for item in self._recent if item != (languages, settings)]
            self._recent = [*recent, (languages, settings)][-STANDBY_OPTIONS:]
            process = self._waiting.pop((languages, settings, dpi), None)
        if process is None or os.getpid() != self._owner:
            return None
        if process.poll() is not None:
            _stop(process)
            return None
        pages = io.BytesIO()
        crops[0].save(pages, format="TIFF", dpi=(dpi, dpi), save_all=True, append_images=crops[1:])
        try:
            output, errors = process.communicate(pages.getvalue(), timeout=self.timeout_seconds)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise OcrTimeoutError(
                f"page {page}: tesseract took longer than {self.timeout_seconds} s"
            ) from None
        if process.returncode != 0:
            message = errors.decode("utf-8", "replace").strip().splitlines()[-1:]
            raise OcrError(f"page {page}: tesseract failed: {' '.join(message)}")
        return output.decode("utf-8")


def _start(languages: str, config: str) -> subprocess.Popen[bytes]:
    command = [pytesseract.pytesseract.tesseract_cmd, "stdin", "stdout", "-l", languages]
    return subprocess.Popen(
        [*command, *shlex.split(config), "tsv"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.communicate()


def _stop_processes(processes: dict[Any, subprocess.Popen[bytes]], owner: int) -> None:
    if os.getpid() == owner:
        for process in processes.values():
            _stop(process)
        processes.clear()


def _write(image: Image.Image, path: Path, dpi: int, page: int) -> None:
    """Save `image` as the TIFF tesseract reads, with its resolution."""
    try:
        image.save(path, format="TIFF", dpi=(dpi, dpi))
    except OSError as error:
        raise OcrError(f"page {page}: cannot write the image for tesseract: {error}") from error


def _greyscale(image: Image.Image) -> Image.Image:
    """The image in 8-bit grey, transparent areas on white (as paper)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    return image if image.mode == "L" else image.convert("L")


def parse_tsv(tsv: str) -> list[Word]:
    """Words from tesseract's TSV: word rows only, empty text and conf -1 dropped.

    Parsed here rather than with Output.DICT, which truncates confidences to integers.
    """
    return [word for words in parse_tsv_pages(tsv).values() for word in words]


def parse_tsv_pages(tsv: str) -> dict[int, list[Word]]:
    """Words from tesseract's TSV by page number (1-based): a file list gives several pages."""
    pages: dict[int, list[Word]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":  # level 5 = word
            continue
        text = cells[11].strip()
        confidence = float(cells[10])
        if not text or confidence < 0:
            continue
        block, paragraph, line = int(cells[2]), int(cells[3]), int(cells[4])
        left, top, width, height = (int(cell) for cell in cells[6:10])
        pages.setdefault(int(cells[1]), []).append(
            Word(
                text=text,
                box=(left, top, left + width, top + height),
                confidence=min(confidence / 100, 1.0),
                line=(block, paragraph, line),
            )
        )
    return pages


@cache
def tesseract_version(command: str) -> str:
    """The version of the tesseract at `command`, e.g. "5.3.0"; OcrError if missing."""
    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError:
        raise OcrError(f"tesseract is not installed ({command!r}): {_INSTALL_HINT}") from None
    except SystemExit as error:  # pytesseract exits on a version string it cannot parse
        raise OcrError(f"unusable tesseract at {command!r}: {error}") from None


@cache
def _check_languages(command: str, languages: str) -> None:
    """OcrError naming the package to install when a language's data is missing."""
    try:
        installed = set(pytesseract.get_languages(config=""))
    except pytesseract.TesseractNotFoundError:
        raise OcrError(f"tesseract is not installed ({command!r}): {_INSTALL_HINT}") from None
    missing = [lang for lang in languages.split("+") if lang not in installed]
    if missing:
        packages = " ".join("tesseract-ocr-" + lang.lower().replace("_", "-") for lang in missing)
        raise OcrError(
            f"tesseract has no language data for {'+'.join(missing)}: "
            f"install it with `apt-get install {packages}`"
        )
