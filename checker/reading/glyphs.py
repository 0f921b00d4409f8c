"""Which of two readings of a Chinese name a crop shows, by the shapes of the characters.

Tesseract's confidence in a rare character (瑛) is low even on a clean scan, so a name that
differs from the ID card by one character cannot be called a misread from the confidence
alone. Where two readings differ, each character cell of the crop is compared with both
characters drawn in a reference font (not the document's: only the layout of the strokes has
to agree, e.g. 瑛 has a component at its left that 英 has not). A clear winner in every
differing cell decides; otherwise the crop is undecided.

`printed_forms` undoes a confusion of another kind: a multilingual model (RapidOCR's) sometimes
gives a character's traditional form (黃 for 黄) on a page printed in simplified characters.
"""

from __future__ import annotations

from enum import Enum
from functools import cache

import numpy as np
import opencc
from PIL import Image, ImageDraw, ImageFont

from checker.document import Box

REFERENCE_FONT = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
GRID = 24  # a character is compared as a GRID × GRID map of its ink
MARGIN = 0.15  # how much closer to one character than to the other a cell must be
MIN_LIKENESS = 0.45  # the winning character's likeness, at least
# outside GB 2312 and given another form by OpenCC, yet printed in simplified text's names
# (the 2013 standard list of characters restored 昇 for them: 毕昇)
KEPT_FORMS = frozenset("昇")


class Shown(Enum):
    FIRST = "first"
    SECOND = "second"
    UNDECIDED = "undecided"


def shown(
    image: Image.Image, box: Box, first: str, second: str, *, origin: tuple[int, int] = (0, 0)
) -> Shown:
    """Whether the name in `box` of `image` is `first` or `second` (same length, Chinese).
    `origin` is where the image's top-left corner stands on the page when it is a part of the
    page (`box` is in the page's coordinates)."""
    if len(first) != len(second) or not first or first == second:
        return Shown.UNDECIDED
    left, top, right, bottom = box
    across, down = origin
    width = (right - left) / len(first)
    if width < 4 or bottom - top < 4:
        return Shown.UNDECIDED
    votes = set()
    for index, (one, other) in enumerate(zip(first, second, strict=True)):
        if one == other:
            continue
        cell = image.crop(
            (
                round(left + index * width) - across,
                top - down,
                round(left + (index + 1) * width) - across,
                bottom - down,
            )
        )
        ink, glyph_one, glyph_other = ink_map(cell), _glyph(one), _glyph(other)
        if ink is None or glyph_one is None or glyph_other is None:
            return Shown.UNDECIDED
        likeness_one, likeness_other = likeness(ink, glyph_one), likeness(ink, glyph_other)
        if likeness_one >= MIN_LIKENESS and likeness_one - likeness_other >= MARGIN:
            votes.add(Shown.FIRST)
        elif likeness_other >= MIN_LIKENESS and likeness_other - likeness_one >= MARGIN:
            votes.add(Shown.SECOND)
        else:
            return Shown.UNDECIDED
    return votes.pop() if len(votes) == 1 else Shown.UNDECIDED


def ink_map(image: Image.Image) -> np.ndarray | None:
    """The dark strokes of `image`, cropped to their extent, centred on a square, GRID wide."""
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    if grey.size == 0 or grey.max() - grey.min() < 40:
        return None  # a blank or flat cell: nothing to compare
    ink = grey < (grey.min() + grey.max()) / 2
    rows, columns = np.nonzero(ink)
    ink = ink[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1]
    height, width = ink.shape
    side = max(height, width)
    square = np.zeros((side, side), dtype=np.uint8)
    top, left = (side - height) // 2, (side - width) // 2
    square[top : top + height, left : left + width] = ink * 255
    small = Image.fromarray(square).resize((GRID, GRID), Image.Resampling.BILINEAR)
    return np.asarray(small, dtype=np.float32) / 255


def likeness(one: np.ndarray, other: np.ndarray) -> float:
    """Correlation of two ink maps, -1..1."""
    one, other = one - one.mean(), other - other.mean()
    norm = float(np.sqrt((one * one).sum() * (other * other).sum()))
    return float((one * other).sum()) / norm if norm else 0.0


@cache
def _glyph(char: str) -> np.ndarray | None:
    """The character's ink map in the reference font; None without the font or the glyph."""
    try:
        font = ImageFont.truetype(REFERENCE_FONT, 96)
    except OSError:
        return None
    canvas = Image.new("L", (128, 128), 255)
    ImageDraw.Draw(canvas).text((16, 8), char, font=font, fill=0)
    return ink_map(canvas)


def printed_forms(text: str) -> str:
    """`text` with each traditional form that simplified print has no use for (黃, 號, 區)
    given as its simplified character (OpenCC's, one for one). Only characters outside GB 2312,
    the simplified set, are touched: those in it stay as read, though OpenCC would change
    some (於, 乾, 著 are names and words of their own in simplified text), and so do the few
    outside it that simplified print uses in names (`KEPT_FORMS`)."""
    return "".join(_printed_form(char) for char in text)


@cache
def _printed_form(char: str) -> str:
    if ord(char) < 0x3400 or char in KEPT_FORMS:  # Latin, digits, marks: no such forms
        return char
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        converted: str = _to_simplified().convert(char)
        return converted if len(converted) == 1 else char
    return char


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")
