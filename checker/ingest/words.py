"""From a PDF text layer's characters to words and lines in page pixels.

PDFium gives characters, not words. A word here is a run of characters on one line with no
space and no wide gap between them, so a run of CJK characters is one word. Lines are found
by vertical position, and words are put in reading order: top to bottom, left to right.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from checker.document import Box, Word

WORD_GAP = 0.2  # a gap wider than this share of the line height starts a new word
UNMAPPED = "\ufffd"  # the layer has a glyph here but no known character
UNMAPPED_CONFIDENCE = 0.0  # a word with an unknown character is not a clean read
DROPPED_CATEGORIES = {"Cc", "Cf", "Cs"}  # control and format characters carry no text

FloatBox = tuple[float, float, float, float]  # left, top, right, bottom in pixels


@dataclass(frozen=True)
class Char:
    """One character of a text layer, its box already in page pixels."""

    text: str
    box: FloatBox
    generated: bool = False  # a space or line break PDFium inferred from positions

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


@dataclass(frozen=True)
class PageGeometry:
    """A page's visible box in PDF points, its rotation, and the DPI it is measured at."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int  # 0, 90, 180 or 270, clockwise, as the page is displayed
    dpi: int

    @property
    def scale(self) -> float:
        return self.dpi / 72

    @property
    def width(self) -> int:
        """Pixels across the displayed page, as PDFium renders it (rounded up)."""
        side = self.top - self.bottom if self.rotation in (90, 270) else self.right - self.left
        return math.ceil(side * self.scale)

    @property
    def height(self) -> int:
        side = self.right - self.left if self.rotation in (90, 270) else self.top - self.bottom
        return math.ceil(side * self.scale)

    def upright(self, box: FloatBox) -> FloatBox:
        """A (left, bottom, right, top) box in PDF points as (left, top, right, bottom) pixels
        on the page before its /Rotate: PDF's y axis points up, pixels' y axis down."""
        left, bottom, right, top = box
        s = self.scale
        return (
            (left - self.left) * s,
            (self.top - top) * s,
            (right - self.left) * s,
            (self.top - bottom) * s,
        )

    def displayed(self, box: Box) -> Box:
        """An upright pixel box on the page as displayed, turned by the page's /Rotate."""
        left, top, right, bottom = box
        w = math.ceil((self.right - self.left) * self.scale)
        h = math.ceil((self.top - self.bottom) * self.scale)
        if self.rotation == 90:
            return (h - bottom, left, h - top, right)
        if self.rotation == 180:
            return (w - right, h - bottom, w - left, h - top)
        if self.rotation == 270:
            return (top, w - right, bottom, w - left)
        return box


def group_words(chars: list[Char]) -> list[Word]:
    """Words in reading order, each with its box and its line number.

    Give the characters' boxes upright (before the page's /Rotate), where lines run across.
    """
    runs: list[list[Char]] = []
    for char in chars:
        if char.generated or char.text.isspace() or _dropped(char.text):
            if runs and runs[-1]:
                runs.append([])
            continue
        if not runs or (runs[-1] and not _same_word(runs[-1][-1], char)):
            runs.append([])
        runs[-1].append(char)
    return _in_lines([_word(run) for run in runs if run])


def _dropped(text: str) -> bool:
    return unicodedata.category(text) in DROPPED_CATEGORIES


def _same_word(previous: Char, char: Char) -> bool:
    """Whether `char` continues the word that `previous` ends: same line, no wide gap."""
    height = max(previous.height, char.height, 1.0)
    overlap = min(previous.box[3], char.box[3]) - max(previous.box[1], char.box[1])
    if overlap < 0.5 * min(previous.height, char.height):
        return False
    gap = char.box[0] - previous.box[2]
    return -0.5 * height <= gap <= WORD_GAP * height


def _word(run: list[Char]) -> Word:
    text = "".join(char.text for char in run)
    box: Box = (
        max(0, math.floor(min(char.box[0] for char in run))),
        max(0, math.floor(min(char.box[1] for char in run))),
        math.ceil(max(char.box[2] for char in run)),
        math.ceil(max(char.box[3] for char in run)),
    )
    confidence = UNMAPPED_CONFIDENCE if UNMAPPED in text else 1.0
    return Word(text=text, box=box, confidence=confidence)


def _in_lines(words: list[Word]) -> list[Word]:
    """Words grouped into lines by vertical position, numbered top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=_centre_y):
        if lines and lines[-1][0].box[1] <= _centre_y(word) <= lines[-1][0].box[3]:
            lines[-1].append(word)
        else:
            lines.append([word])
    ordered = []
    for number, line in enumerate(lines):
        for word in sorted(line, key=lambda word: word.box[0]):
            ordered.append(Word(word.text, word.box, word.confidence, line=(0, 0, number)))
    return ordered


def _centre_y(word: Word) -> float:
    return (word.box[1] + word.box[3]) / 2
