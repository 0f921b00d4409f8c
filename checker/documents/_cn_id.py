"""What both sides of the resident ID card share: lines, anchors, regions and field values.

Fields are found from an anchor that tesseract reads reliably (the 18-digit number on the
front, the validity dates on the back) and the card's layout expressed in units of that
anchor's width (`Layout`), refined by the word boxes of the page reading. A field that fails
its own check on the page reading is read again as a crop (psm 7, one tesseract call for all
such crops of a page). A field still unread goes to the second reader: its line found from
the ink in the field's band (`band_line`), cropped two ways (`crops_of_line`) and taken only
where the crops agree (`agreed_line`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import opencc

from checker.document import Box, Page, Reading, Word
from checker.documents import Content
from checker.labelled import union
from checker.ocr import OcrError, RegionOptions, read_regions
from checker.reading.ink import grown, ink_mask, inked_lines
from checker.reading.second_read import CropPreparer, agreed_read, closed_up_crop
from schemas.reads import Read

CHINESE = RegionOptions(psm=7, languages="chi_sim")  # a Chinese line (names, addresses)
ID_DIGITS = RegionOptions(psm=7, languages="eng", whitelist="0123456789X")
CLEAN_CONFIDENCE = 0.80  # a value read at least this sure needs no second look
CONFIRMED_CONFIDENCE = 0.55  # ... or this sure when two readings agree
BLUE = 40  # a pixel this much bluer than red is a label's ink (values are printed black)
SECOND_READER = "second_reader"  # the method of a value the second reader's crops agreed on
# the card's print is widely spaced: with its gaps closed up the second reader is sure of it
# (on the 24 committed fronts 129 of 144 field rows agreed; 111 in `print_crop`, 102 in grey)
ID_CROP: CropPreparer = closed_up_crop
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Line:
    """One text line of a reading: its words left to right and their union box."""

    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return "".join(word.text for word in self.words)

    @property
    def box(self) -> Box:
        return union(word.box for word in self.words)

    @property
    def confidence(self) -> float:
        return min((word.confidence for word in self.words), default=0.0)


def lines_of(words: Sequence[Word]) -> list[Line]:
    """The reading's lines in reading order (tesseract's block, paragraph, line)."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        grouped.setdefault(word.line, []).append(word)
    lines = [Line(tuple(sorted(group, key=lambda w: w.box[0]))) for group in grouped.values()]
    return sorted(lines, key=lambda line: (line.box[1] + line.box[3]) / 2)


def normal(text: str) -> str:
    """NFKC-folded text without spaces, in simplified characters (`simplified`)."""
    return simplified(re.sub(r"\s", "", unicodedata.normalize("NFKC", text)))


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """`text` in simplified characters (OpenCC): the card is printed in them, and a reader's
    model sometimes gives a glyph's traditional form (漢 for 汉, 號 for 号)."""
    converted: str = _to_simplified().convert(text)
    return converted


def chinese_only(text: str) -> str:
    """Only the CJK characters of `text` (drops stray quotes and marks tesseract adds)."""
    return "".join(_CJK.findall(normal(text)))


def centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


@dataclass(frozen=True)
class Frame:
    """Card coordinates: the anchor's left edge and vertical centre, its width as the unit."""

    left: float
    middle: float
    unit: float

    def box(self, x0: float, y0: float, x1: float, y1: float, page: Page) -> Box:
        """A layout box (in anchor widths) in page pixels, clipped to the page."""
        return (
            max(0, round(self.left + x0 * self.unit)),
            max(0, round(self.middle + y0 * self.unit)),
            min(page.width, round(self.left + x1 * self.unit)),
            min(page.height, round(self.middle + y1 * self.unit)),
        )

    def relative(self, box: Box) -> tuple[float, float]:
        """A box's centre in anchor widths."""
        x, y = centre(box)
        return (x - self.left) / self.unit, (y - self.middle) / self.unit


@dataclass(frozen=True)
class Row:
    """Where a field's line stands on the card, in anchor widths from the anchor."""

    field: str
    y: float  # centre of the line
    x0: float
    x1: float
    half_height: float = 0.045
    lines: int = 1  # the address may run over several lines


def words_in(reading: Reading, frame: Frame, row: Row, *, tolerance: float) -> list[Word]:
    """The page words whose centre falls in `row` (within `tolerance` anchor widths)."""
    span = row.half_height + (row.lines - 1) * 2 * row.half_height
    found = []
    for word in reading.words:
        x, y = frame.relative(word.box)
        top = row.y - row.half_height - tolerance
        if row.x0 <= x <= row.x1 and top <= y <= row.y - row.half_height + span + tolerance:
            found.append(word)
    return found


def padded(box: Box, page: Page, pad_x: float = 0.4, pad_y: float = 0.3) -> Box:
    """A word box grown by a share of its height (sideways and up/down), clipped to the page."""
    height = box[3] - box[1]
    return (
        max(0, round(box[0] - pad_x * height)),
        max(0, round(box[1] - pad_y * height)),
        min(page.width, round(box[2] + pad_x * height)),
        min(page.height, round(box[3] + pad_y * height)),
    )


@dataclass(frozen=True)
class LineCrops:
    """Crops of one printed line for the second reader, and the height of its ink (px)."""

    boxes: tuple[Box, ...]
    text_height: int


def band_line(page: Page, band: Box, *, min_height: int) -> Box | None:
    """The inked line nearest the middle of `band`, whole: looked for again in the band moved
    onto it when the band cut its top or bottom, and without what the band's sides cut
    (`clear_of_sides`). None when there is none, or it cannot be had whole."""
    line = _nearest_middle(inked_lines(page, band, min_height=min_height), band)
    if line is not None and cut_across(line, band):
        shift = round(centre(line)[1] - centre(band)[1])
        band = (band[0], max(0, band[1] + shift), band[2], min(page.height, band[3] + shift))
        line = _nearest_middle(inked_lines(page, band, min_height=min_height), band)
    if line is None or cut_across(line, band):
        return None
    return clear_of_sides(page, band, line)


def clear_of_sides(page: Page, band: Box, line: Box) -> Box | None:
    """`line` (found in `band`) cut into pieces at gaps a line height wide, without its first
    piece when that is a blue label or the band's left side runs through it (a label reaching
    into the band on a tilted photo), and without its last when the right side runs through
    it. None when nothing is left: a side ran through the value itself."""
    ink = ink_mask(page, band)
    if ink is None:
        return None
    rows = slice(line[1] - band[1], line[3] - band[1])
    columns = np.flatnonzero(ink[rows].any(axis=0))
    pieces: list[tuple[int, int]] = []  # first and last ink column of each piece
    for column in columns.tolist():
        if pieces and column - pieces[-1][1] <= line[3] - line[1]:
            pieces[-1] = (pieces[-1][0], column)
        else:
            pieces.append((column, column))
    blue = _blue_mask(page, band)
    if pieces and (line[0] <= band[0] or _mostly(blue, ink, rows, pieces[0])):
        pieces = pieces[1:]
    if pieces and line[2] >= band[2] - 1:
        pieces = pieces[:-1]
    if not pieces:
        return None
    return (band[0] + pieces[0][0], line[1], band[0] + pieces[-1][1], line[3])


def _mostly(blue: np.ndarray | None, ink: np.ndarray, rows: slice, piece: tuple[int, int]) -> bool:
    """Whether most of a piece's ink is blue."""
    if blue is None:
        return False
    columns = slice(piece[0], piece[1] + 1)
    inked = ink[rows, columns]
    return bool(inked.any()) and float(blue[rows, columns][inked].mean()) > 0.5


def cut_across(line: Box, band: Box) -> bool:
    """Whether the band's top or bottom runs through the line."""
    return line[1] <= band[1] or line[3] >= band[3] - 1


def _nearest_middle(lines: list[Box], band: Box) -> Box | None:
    middle = centre(band)[1]
    return min(lines, key=lambda line: abs(centre(line)[1] - middle), default=None)


def crops_of_line(line: Box, page: Page) -> LineCrops:
    """A line's ink with a margin of a quarter of its height, and of half its height."""
    height = line[3] - line[1]
    boxes = (grown(line, page, max(4, height // 4)), grown(line, page, max(8, height // 2)))
    return LineCrops(boxes, max(1, height))


def agreed_line(
    content: Content, page: Page, crops: LineCrops, parse: Callable[[str], object]
) -> Read[Any] | None:
    """The value the second reader's crops of a line agree on (`agreed_read`), or None when
    they do not, or there is no second reader or page image."""
    if content.second_reader is None or page.image is None:
        return None
    agreed = agreed_read(
        content.second_reader,
        page.image,
        crops.boxes,
        text_height=crops.text_height,
        dpi=page.dpi,
        page=page.number,
        parse=parse,
        prepare=ID_CROP,
    )
    if agreed is None:
        return None
    return Read(
        value=agreed.value,
        confidence=round(agreed.confidence, 3),
        page=page.number,
        box=crops.boxes[0],
        raw=agreed.text,
        method=SECOND_READER,
    )


def reread(
    content: Content, page: Page, boxes: Sequence[Box], options: RegionOptions
) -> list[Reading] | None:
    """The regions read again, or None when there is no image or reader, or reading failed."""
    if not boxes or page.image is None or content.reader is None:
        return None
    try:
        return read_regions(
            content.reader, page.image, boxes, dpi=page.dpi, page=page.number, options=options
        )
    except OcrError:
        return None


def value(
    parsed: object,
    words: Sequence[Word],
    *,
    page: int,
    method: str,
    raw: str | None = None,
) -> Read[Any]:
    """A Read[Any] from the words it was read from (box: their union; confidence: lowest)."""
    return Read(
        value=parsed,
        confidence=round(min((w.confidence for w in words), default=0.0), 3),
        page=page,
        box=union(w.box for w in words) if words else None,
        raw=raw if raw is not None else " ".join(w.text for w in words),
        method=method,
    )


def is_clean(field: Read[Any] | None, threshold: float = CLEAN_CONFIDENCE) -> bool:
    """A value read surely enough to call it what the document shows: from a text layer,
    confidently, or the same in two readings (page and crop) at a fair confidence."""
    if field is None or field.value is None:
        return False
    if field.method == "text_layer":
        return True
    if field.method == "ocr_confirmed":
        threshold = min(threshold, CONFIRMED_CONFIDENCE)
    return (field.confidence or 0) >= threshold


def first_page(content: Content) -> tuple[Reading, Page | None] | None:
    """The first page's reading and page (the image, for re-reading), if any."""
    if not content.readings:
        return None
    reading = content.readings[0]
    page = next((p for p in content.pages if p.number == reading.page), None)
    return reading, page


def page_reading(content: Content, reading: Reading, page: Page | None) -> Reading:
    """The page reader's (tesseract's) reading of the page, which the pipeline that reads a
    card by its layout is built on: `reading` when it is that reader's, else the page read
    now (the second reader read the card first: `checker.check._read`), or `reading` when
    the page cannot be read again."""
    reader = content.reader
    if reader is None or page is None or page.image is None:
        return reading
    if reading.engine.startswith(reader.name):
        return reading
    try:
        return reader.read(page.image, dpi=page.dpi, page=page.number)
    except OcrError:
        return reading


def read_by_second_reader(content: Content, reading: Reading) -> bool:
    """Whether `reading` is the second reader's (then it cannot confirm the second reader's
    labelled values: one engine agreeing with itself is no confirmation)."""
    second = content.second_reader
    return second is not None and reading.engine.startswith(second.name)


def label_score(text: str, labels: Sequence[str]) -> float:
    """Share of `labels` found in `text` (tolerant: any two characters of a label count)."""
    text = normal(text)
    found = 0
    for label in labels:
        pairs = {label[i : i + 2] for i in range(len(label) - 1)} or {label}
        if label in text or any(pair in text for pair in pairs):
            found += 1
    return found / len(labels)


def _blue_mask(page: Page, box: Box) -> np.ndarray | None:
    """Where `box` is blue (the card's printed labels); None on a grey image."""
    if page.image is None or page.image.mode != "RGB":
        return None
    pixels = np.asarray(page.image.crop(box), dtype=np.int16)
    return (pixels[..., 2] - pixels[..., 0]) > BLUE
