"""Tesseract reader: tesseract's library kept loaded in this process, through tesserocr.

Speed choices, measured on this kind of machine (bench/ocr.py, bench/identity.py):
- The engine stays loaded: one tesserocr API object per process, thread and language set,
  made at its first use and reused for every page, region and reader after it. Starting the
  `tesseract` command for a page cost about 0.25 s of model loading each time (0.84 s against
  0.50 s for an A4 certificate); a forked batch worker makes its own objects.
- Page segmentation and the character whitelist are set per call on the loaded engine.
- OMP_THREAD_LIMIT=1 (unless the caller chose), set before the library loads (OpenMP reads it
  once, then): on two cores tesseract's own threads cost more
  than they gain; pages and documents are parallelised instead.
- The page goes in as 8-bit grey bytes (`SetImageBytes`, no encoded copy) with its
  resolution (`SetSourceResolution`): without it
  tesseract guesses the resolution and drops table cells.
- Regions are read one crop after another on the same engine, each with a white margin.
- A page of Chinese prose (a certificate, a licence) is read with chi_sim alone; tables,
  cards and English pages with every language (`TesseractReader.read`).

The engine is the one inside the tesserocr wheel; the language data is Debian's
(`tesseract-ocr-chi-sim`, `-eng`), found by asking the installed `tesseract` command where it is.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import subprocess
import threading
import time
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import pytesseract
from PIL import Image, ImageOps

from checker.document import Box, Reading, Word
from checker.ocr import OcrError, OcrTimeoutError, RegionOptions, shift_words
from checker.policy import OcrSettings

logger = logging.getLogger(__name__)

NAME = "tesseract"
PAGE_PSM = 3  # fully automatic layout, the right default for a page
PAGE_SEGMENTATION = f"--psm {PAGE_PSM}"
CHINESE = "chi_sim"
# a word of Latin letters only (brackets and strokes aside) on a Chinese page: with chi_sim+eng
# loaded, tesseract sometimes reads a Chinese word with the English model (吴俊杰 as "RBA",
# 月薪 as "AR", measured on generated certificates in several fonts)
LATIN_WORD = re.compile(r"[A-Za-z()（）|%=:;'\"\-]*[A-Za-z][A-Za-z()（）|%=:;'\"\-]*")
CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
# A page read with chi_sim alone is kept when it is Chinese prose (`is_chinese_prose`).
# Measured on generated pages read with chi_sim: figures 0.25-0.31 of the characters on
# certificates and 0.21 on a licence, 0.34-0.45 on ID cards scanned on A4, 0.39-0.74 on
# payslips, 0.54-0.75 on statements; Chinese characters 64-192 on certificates, 26-45 on a
# card's photo. Figures are the first thing chi_sim loses on a card (an ID number read as
# RE6o092 … 298466), so the card is told by its count and its span as well.
CHINESE_PAGE_SHARE = 0.3  # of the letters (CJK and Latin)
PROSE_CHINESE = 50  # characters, at least
PROSE_FIGURES = 1 / 3  # of the characters, less than
PROSE_SPAN = 0.5  # of the page's width, at least
# A page with this many printed lines or more is a table (statement pages: 44-82 lines
# scanned, 30-61 photographed; certificates 5-21, counted by `printed_lines`): it is read
# with every language at once, as chi_sim alone would not be kept for it and reads a table
# no faster (a statement photo 1.79 s against 1.61 s with chi_sim+eng).
TABLE_LINES = 24
LINE_COUNT_WIDTH = 900  # pixels: the page's copy its lines are counted on
REGION_MARGIN = 12  # white pixels around a region crop
_INSTALL_HINT = "install it with `apt-get install tesseract-ocr` (Debian/Ubuntu)"
_LIBRARY_HINT = "install it with `pip install tesserocr`"


def make_reader(settings: OcrSettings) -> TesseractReader:
    """The tesseract reader for the policy's OCR settings."""
    return TesseractReader(languages=settings.languages, timeout_seconds=settings.timeout_seconds)


class TesseractReader:
    """Reads a page with tesseract; checks at construction that tesseract's library and the
    languages' data are installed, so a missing install stops the checker instead of failing
    every page."""

    name = NAME
    options = (
        f"{PAGE_SEGMENTATION} {CHINESE}-first-kept-for-prose@{CHINESE_PAGE_SHARE}-cjk-"
        f"{PROSE_CHINESE}-chars-{PROSE_FIGURES:.3f}-figures-{PROSE_SPAN}-span-{TABLE_LINES}-lines"
        f" latin-words-reread={CHINESE}"
    )

    def __init__(self, *, languages: str, timeout_seconds: float) -> None:
        self.languages = languages
        self.timeout_seconds = timeout_seconds
        self.version = tesseract_version()
        self._datapath = tessdata_path(pytesseract.pytesseract.tesseract_cmd)
        _check_languages(self._datapath, languages)

    def read(self, image: Image.Image, *, dpi: int, page: int) -> Reading:
        """The words on `image`, read at `dpi`; raises OcrTimeoutError or OcrError.

        Where Chinese is one of several languages, a page that is no table (`TABLE_LINES`)
        is read with chi_sim alone first, and that reading is kept when the page is Chinese
        prose (`is_chinese_prose`): chi_sim alone reads an A4 certificate in about 0.7 of
        the time and reads its names and employers better (with eng loaded it read 吴俊杰
        as "RBA"). Other pages (tables of figures, cards, English) are read again with every
        language: eng reads figures better (statement photos of 15 bank layouts: rows right
        566 with both languages, 550 with chi_sim alone)."""
        started = time.perf_counter()
        grey = _greyscale(image)
        if self._chinese_among_several and printed_lines(grey) < TABLE_LINES:
            words = self._words(grey, CHINESE, dpi=dpi, page=page)
            if not is_chinese_prose(words, grey.width):
                words = self._every_language(grey, dpi=dpi, page=page)
        else:
            words = self._every_language(grey, dpi=dpi, page=page)
        seconds = time.perf_counter() - started
        logger.debug("tesseract read page %d: %d words in %.2f s", page, len(words), seconds)
        return self._reading(page, words, seconds)

    @property
    def _chinese_among_several(self) -> bool:
        return CHINESE in self.languages.split("+") and self.languages != CHINESE

    def _words(self, grey: Image.Image, languages: str, *, dpi: int, page: int) -> list[Word]:
        return parse_tsv(self._recognise(grey, languages, PAGE_PSM, "", dpi=dpi, page=page))

    def _every_language(self, grey: Image.Image, *, dpi: int, page: int) -> list[Word]:
        """The page read with every language; on a Chinese page with Chinese among several,
        its Latin-only words read again with chi_sim (`_latin_words_read_as_chinese`)."""
        words = self._words(grey, self.languages, dpi=dpi, page=page)
        if self._chinese_among_several:
            words = self._latin_words_read_as_chinese(grey, words, dpi=dpi, page=page)
        return words

    def read_regions(
        self,
        image: Image.Image,
        boxes: Sequence[Box],
        *,
        dpi: int,
        page: int,
        options: RegionOptions,
    ) -> list[Reading]:
        """Each box of `image` read on its own with the region's segmentation, languages and
        whitelist. Crops get a white margin (tesseract reads a line touching the edge badly);
        the word boxes come back in page pixels."""
        grey = _greyscale(image)
        languages = options.languages or self.languages
        readings = []
        for box in boxes:
            started = time.perf_counter()
            crop = ImageOps.expand(grey.crop(box), REGION_MARGIN, fill=255)
            tsv = self._recognise(
                crop, languages, options.psm, options.whitelist, dpi=dpi, page=page
            )
            margin = (box[0] - REGION_MARGIN, box[1] - REGION_MARGIN, 0, 0)
            words = shift_words(parse_tsv(tsv), margin)
            readings.append(self._reading(page, words, time.perf_counter() - started))
        return readings

    def _latin_words_read_as_chinese(
        self, grey: Image.Image, words: list[Word], *, dpi: int, page: int
    ) -> list[Word]:
        """On a mostly Chinese page, each Latin-only word read again as one line with the
        Chinese model alone; its reading replaces the word where it is Chinese text read more
        surely than the Latin was (real Latin words stay: chi_sim reads them unsurely or as
        Latin)."""
        if not is_chinese(words):
            return words
        latin = [index for index, word in enumerate(words) if LATIN_WORD.fullmatch(word.text)]
        boxes = [_padded(words[index].box, grey.size) for index in latin]
        options = RegionOptions(psm=7, languages=CHINESE)
        readings = self.read_regions(grey, boxes, dpi=dpi, page=page, options=options)
        replaced: dict[int, list[Word]] = {}
        for index, reading in zip(latin, readings, strict=True):
            again, word = reading.words, words[index]
            sure = sum(w.confidence for w in again) / len(again) if again else 0.0
            chinese = all(CJK_CHAR.search(w.text) for w in again)
            if again and chinese and sure > word.confidence:
                replaced[index] = [dataclasses.replace(w, line=word.line) for w in again]
        return [new for index, word in enumerate(words) for new in replaced.get(index, [word])]

    def _recognise(
        self, image: Image.Image, languages: str, psm: int, whitelist: str, *, dpi: int, page: int
    ) -> str:
        """Tesseract's TSV for one grey image, with its failures turned into OcrErrors."""
        try:
            engine = _engines.get(self._datapath, languages)
        except RuntimeError as error:  # tesserocr's "Failed to init API"
            raise OcrError(f"page {page}: tesseract failed: {error}") from None
        return recognise(
            engine,
            image,
            psm=psm,
            whitelist=whitelist,
            dpi=dpi,
            timeout_seconds=self.timeout_seconds,
            page=page,
        )

    def _reading(self, page: int, words: list[Word], seconds: float) -> Reading:
        return Reading(
            page=page,
            words=words,
            source="ocr",
            engine=f"{self.name} {self.version}",
            seconds=seconds,
        )


def recognise(
    engine: Any,
    image: Image.Image,
    *,
    psm: int,
    whitelist: str,
    dpi: int,
    timeout_seconds: float,
    page: int,
) -> str:
    """The TSV of one grey image read by a loaded engine; OcrTimeoutError when it took longer
    than `timeout_seconds`."""
    engine.SetPageSegMode(psm)
    engine.SetVariable("tessedit_char_whitelist", whitelist)
    if image.mode == "L":
        # its bytes as they are: tesserocr's SetImage encodes the image as a BMP in memory and
        # decodes that (an A4 statement page's read peaked 18 MB higher, the same TSV)
        pixels = image.tobytes()
        engine.SetImageBytes(pixels, image.width, image.height, 1, image.width)
    else:
        engine.SetImage(image)
    engine.SetSourceResolution(dpi)
    try:
        if not engine.Recognize(timeout=max(1, round(timeout_seconds * 1000))):
            raise OcrTimeoutError(f"page {page}: tesseract took longer than {timeout_seconds} s")
        return str(engine.GetTSVText(0) or "")
    finally:
        engine.Clear()  # the image and its results; the models stay loaded


class _Engines(threading.local):
    """Loaded tesseract engines of this thread, one per process, data folder and language set:
    kept for every reader made after (the API and `get_reader` make one a check), as a
    tesserocr object serves one thread at a time and a forked worker must not use its
    parent's."""

    def __init__(self) -> None:
        self.loaded: dict[tuple[int, str, str], Any] = {}

    def get(self, datapath: str, languages: str) -> Any:
        library = _tesserocr()
        key = (os.getpid(), datapath, languages)
        if key not in self.loaded:
            self.loaded[key] = library.PyTessBaseAPI(path=datapath, lang=languages)
        return self.loaded[key]


_engines = _Engines()


def let_go_of_engines(*, keep: str) -> None:
    """End this thread's engines but the one for the `keep` languages (the page reader's):
    chi_sim's and eng's, which read regions again, hold 44 and 15 MB loaded (up to 64 and 31
    once they have read a page) and load again in 0.11 and 0.08 s."""
    for key in [key for key in _engines.loaded if key[2] != keep]:
        _engines.loaded.pop(key).End()


def is_chinese(words: list[Word]) -> bool:
    """Whether Chinese characters make at least CHINESE_PAGE_SHARE of the letters read."""
    chinese, latin, _ = _characters(words)
    return _chinese_share(chinese, latin)


def is_chinese_prose(words: list[Word], width: int) -> bool:
    """Whether the words read are a page of Chinese prose: Chinese (`is_chinese`) with at
    least PROSE_CHINESE Chinese characters, figures under PROSE_FIGURES of the characters,
    and print across at least PROSE_SPAN of the page's `width` (an ID card scanned on an A4
    sheet spans about 0.4 of it)."""
    chinese, latin, figures = _characters(words)
    if not _chinese_share(chinese, latin) or chinese < PROSE_CHINESE:
        return False
    span = max(word.box[2] for word in words) - min(word.box[0] for word in words)
    return figures < PROSE_FIGURES * (chinese + latin + figures) and span >= PROSE_SPAN * width


def _chinese_share(chinese: int, latin: int) -> bool:
    return bool(chinese) and chinese >= CHINESE_PAGE_SHARE * (chinese + latin)


def _characters(words: list[Word]) -> tuple[int, int, int]:
    """How many Chinese characters, Latin letters and figures the words hold."""
    text = "".join(word.text for word in words)
    return (
        len(CJK_CHAR.findall(text)),
        len(re.findall(r"[A-Za-z]", text)),
        len(re.findall(r"[0-9]", text)),
    )


def printed_lines(grey: Image.Image) -> int:
    """How many lines of print a page has, counted cheaply: on a copy LINE_COUNT_WIDTH wide,
    the runs of pixel rows with ink, in each third of the width (a photographed page's lines
    slope less across a third), the most of the three."""
    height = max(1, round(grey.height * LINE_COUNT_WIDTH / max(1, grey.width)))
    small = np.asarray(grey.resize((LINE_COUNT_WIDTH, height), Image.Resampling.BOX), float)
    ink = small < 0.6 * np.percentile(small, 90)  # well darker than the paper
    counts = []
    for strip in np.array_split(ink, 3, axis=1):
        inked = strip.mean(axis=1) > 0.01
        counts.append(int(inked[0]) + int(np.count_nonzero(inked[1:] & ~inked[:-1])))
    return max(counts)


def _padded(box: Box, size: tuple[int, int]) -> Box:
    """`box` with a quarter of its height as margin round it (at least 2 px), inside `size`."""
    pad = max(2, (box[3] - box[1]) // 4)
    return (
        max(0, box[0] - pad),
        max(0, box[1] - pad),
        min(size[0], box[2] + pad),
        min(size[1], box[3] + pad),
    )


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
    for row in tsv.splitlines():  # a header row, where there is one, is no level-5 row
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
def tesseract_version() -> str:
    """The version of the tesseract library that reads, e.g. "5.5.4"; OcrError if missing."""
    match = re.search(r"tesseract\s+(\S+)", _tesserocr().tesseract_version())
    return match.group(1) if match else "unknown"


def _tesserocr() -> Any:
    """The tesserocr module, loaded with OpenMP limited to one thread (unless the caller set
    OMP_THREAD_LIMIT): its threads spin on two cores, and a statement photo took 5× longer."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        import tesserocr
    except ImportError:
        raise OcrError(f"tesseract's library tesserocr is not installed: {_LIBRARY_HINT}") from None
    return tesserocr


@cache
def tessdata_path(command: str) -> str:
    """Where the installed languages' data is: $TESSDATA_PREFIX, else where the `tesseract`
    command at `command` says; OcrError naming the package when there is none."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    try:
        listing = subprocess.run(
            [command, "--list-langs"], capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        raise OcrError(f"tesseract is not installed ({command!r}): {_INSTALL_HINT}") from None
    match = re.search(r'"([^"]+)"', listing.stdout + listing.stderr)
    if match is None:
        raise OcrError(f"tesseract at {command!r} names no language data: {_INSTALL_HINT}")
    return match.group(1)


@cache
def _check_languages(datapath: str, languages: str) -> None:
    """OcrError naming the package to install when a language's data is missing."""
    installed = {path.removesuffix(".traineddata") for path in os.listdir(datapath)}
    missing = [lang for lang in languages.split("+") if lang not in installed]
    if missing:
        packages = " ".join("tesseract-ocr-" + lang.lower().replace("_", "-") for lang in missing)
        raise OcrError(
            f"tesseract has no language data for {'+'.join(missing)}: "
            f"install it with `apt-get install {packages}`"
        )
