"""A page's words as text lines (`lines_of`), each character as a word of its own
(`char_words`), and the text helpers label matching works with: `plain` text (no spaces,
colons or bracketed notes) and a tolerant `label_score`."""

from __future__ import annotations

import difflib
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from checker.document import Box, Reading, Word
from checker.rows.tilt import skew

COLONS = ":：;；"
STRAIGHT = 0.01  # dy/dx: a page tilted less has its rows compared as they stand


@dataclass(frozen=True)
class Line:
    """One text line of a page: its words left to right."""

    page: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return "".join(word.text for word in self.words)

    @property
    def box(self) -> Box:
        return box_of(self.words)

    @property
    def height(self) -> int:
        """Typical character height: the median word height (robust to odd word boxes)."""
        return int(statistics.median(word.box[3] - word.box[1] for word in self.words))

    @property
    def middle(self) -> float:
        return statistics.median((word.box[1] + word.box[3]) / 2 for word in self.words)


def box_of(words: Iterable[Word]) -> Box:
    boxes = [word.box for word in words]
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def lines_of(reading: Reading) -> list[Line]:
    """The reading's lines, top to bottom, each sorted left to right."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in reading.words:
        grouped.setdefault(word.line, []).append(word)
    lines = [
        Line(reading.page, tuple(sorted(words, key=lambda word: word.box[0])))
        for words in grouped.values()
    ]
    return sorted(lines, key=lambda line: line.middle)


def line_span(line: Line) -> tuple[int, int]:
    """Top and bottom of the line's ordinary words (tall bracket boxes left out)."""
    middle, height = line.middle, line.height
    return round(middle - height / 2), round(middle + height / 2)


def plain(text: str) -> str:
    """Text without spaces, colons and bracketed notes such as （税前）/(盖章) -> for labels."""
    text = re.sub(r"[(（〈][^)）〉]*[)）〉]?", "", text)
    return re.sub(rf"[\s{COLONS}]", "", text)


def label_score(text: str, label: str) -> float:
    """Share of the label's characters found, in order, in `text` (0..1)."""
    matcher = difflib.SequenceMatcher(None, label, text, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(label)


def char_words(lines: list[Line]) -> list[Word]:
    """Every character of the lines as a word of its own, its box a share of its word's."""
    chars = []
    for line in lines:
        for word in line.words:
            width = (word.box[2] - word.box[0]) / max(1, len(word.text))
            for offset, char in enumerate(word.text):
                left = round(word.box[0] + offset * width)
                box = (left, word.box[1], round(left + width), word.box[3])
                chars.append(Word(char, box, word.confidence, word.line))
    return chars


def page_rows(reading: Reading) -> list[Line]:
    """The page's rows by where the words stand, not by the reader's line numbers: a label
    and its value far apart on one row are often read as two blocks. On a page photographed
    at a tilt (`skew`, from STRAIGHT on) the words' heights are compared along the tilt: a
    payslip photo tilted 0.04 had its net pay's label put on the row of the gross's figures,
    a row above at the far end."""
    slope = skew(list(reading.words)) if reading.words else 0.0
    slope = slope if abs(slope) >= STRAIGHT else 0.0
    rows: list[list[Word]] = []
    spans: list[tuple[float, float]] = []  # each row's median middle and height, kept
    for line in lines_of(reading):
        line_middle, line_height = _span(list(line.words), slope)[0], line.height
        for index, row in enumerate(rows):
            middle, height = spans[index]
            if abs(line_middle - middle) < 0.5 * max(height, line_height):
                row.extend(line.words)
                spans[index] = _span(row, slope)
                break
        else:
            rows.append(list(line.words))
            spans.append(_span(rows[-1], slope))
    order = sorted(range(len(rows)), key=lambda index: spans[index][0])
    return [
        Line(reading.page, tuple(sorted(rows[index], key=lambda w: w.box[0]))) for index in order
    ]


def _span(words: list[Word], slope: float = 0.0) -> tuple[float, float]:
    """The median middle (as it would stand at x = 0 on a page tilted by `slope`) and the
    median height of the words' boxes."""
    middle = statistics.median(
        (w.box[1] + w.box[3]) / 2 - slope * (w.box[0] + w.box[2]) / 2 for w in words
    )
    return middle, statistics.median(w.box[3] - w.box[1] for w in words)
