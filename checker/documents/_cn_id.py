"""What both sides of the resident ID card share: lines, anchors, regions and field values.

Fields are found from an anchor that tesseract reads reliably (the 18-digit number on the
front, the validity dates on the back) and the card's layout expressed in units of that
anchor's width (`Layout`), refined by the word boxes of the page reading. A field that fails
its own check on the page reading is read again as a crop (psm 7, one tesseract call for all
such crops of a page).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from checker.document import Box, Page, Reading, Word
from checker.documents import Content
from checker.ocr import OcrError, RegionOptions, read_regions
from schemas.findings import Evidence
from schemas.report import FieldValue

CHINESE = RegionOptions(psm=7, languages="chi_sim")  # a Chinese line (names, addresses)
ID_DIGITS = RegionOptions(psm=7, languages="eng", whitelist="0123456789X")
CLEAN_CONFIDENCE = 0.80  # a value read at least this sure needs no second look
CONFIRMED_CONFIDENCE = 0.55  # ... or this sure when two readings agree
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


def union(boxes: Iterable[Box]) -> Box:
    boxes = list(boxes)
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def lines_of(words: Sequence[Word]) -> list[Line]:
    """The reading's lines in reading order (tesseract's block, paragraph, line)."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        grouped.setdefault(word.line, []).append(word)
    lines = [Line(tuple(sorted(group, key=lambda w: w.box[0]))) for group in grouped.values()]
    return sorted(lines, key=lambda line: (line.box[1] + line.box[3]) / 2)


def normal(text: str) -> str:
    """NFKC-folded text without spaces."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


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
) -> FieldValue:
    """A FieldValue from the words it was read from (box: their union; confidence: lowest)."""
    return FieldValue(
        value=parsed,
        confidence=round(min((w.confidence for w in words), default=0.0), 3),
        page=page,
        box=union(w.box for w in words) if words else None,
        raw=raw if raw is not None else " ".join(w.text for w in words),
        method=method,
    )


def evidence(file: str, field: FieldValue | None) -> Evidence:
    if field is None:
        return Evidence(file=file)
    return Evidence(
        file=file, page=field.page, box=field.box, text=field.raw, confidence=field.confidence
    )


def is_clean(field: FieldValue | None, threshold: float = CLEAN_CONFIDENCE) -> bool:
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


def label_score(text: str, labels: Sequence[str]) -> float:
    """Share of `labels` found in `text` (tolerant: any two characters of a label count)."""
    text = normal(text)
    found = 0
    for label in labels:
        pairs = {label[i : i + 2] for i in range(len(label) - 1)} or {label}
        if label in text or any(pair in text for pair in pairs):
            found += 1
    return found / len(labels)


def ink_lines(page: Page, box: Box, *, min_height: int = 8) -> list[Box]:
    """Text lines inside `box`, found from the rows holding dark ink (a horizontal profile).

    Light background patterns (the card's guilloche) stay above the threshold; each line's
    box is narrowed to its inked columns and given a small margin.
    """
    if page.image is None or box[2] - box[0] < 4 or box[3] - box[1] < 4:
        return []
    grey = np.asarray(page.image.crop(box).convert("L"), dtype=np.float32)
    threshold = min(128.0, float(np.percentile(grey, 50)) - 60)
    ink = grey < threshold
    rows = ink.sum(axis=1) >= 2
    lines = []
    start = None
    for y, inked in enumerate([*rows, False]):
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            if y - start >= min_height:
                lines.append((start, y))
            start = None
    boxes = []
    for top, bottom in _merge_close(lines, gap=max(2, min_height // 2)):
        columns = np.flatnonzero(ink[top:bottom].any(axis=0))
        margin = max(4, (bottom - top) // 4)
        boxes.append(
            (
                max(0, box[0] + int(columns[0]) - margin),
                max(0, box[1] + top - margin),
                min(page.width, box[0] + int(columns[-1]) + margin),
                min(page.height, box[1] + bottom + margin),
            )
        )
    return boxes


def _merge_close(spans: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """Ink rows split by a thin gap (a character's strokes) joined into one line."""
    merged: list[tuple[int, int]] = []
    for top, bottom in spans:
        if merged and top - merged[-1][1] <= gap:
            merged[-1] = (merged[-1][0], bottom)
        else:
            merged.append((top, bottom))
    return merged
