"""Text lines with positions: from page words (text layer or OCR) and from export rows.

Words are grouped into visual lines by their vertical centre, not by the reader's own line
numbers: OCR often reads a table column by column, as separate blocks.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from checker.document import Box, Reading, Table, Word
from checker.rows.tilt import centre_x, centre_y, skew

BAND = 6  # text heights either side of a height where the local tilt is measured
_ASCII_WORD = re.compile(r"[0-9A-Za-z.,:/*+\-]$")


@dataclass(frozen=True)
class Token:
    """One word or cell with where it was read; `box` is None for an export cell."""

    text: str
    box: Box | None
    confidence: float
    page: int | None = None
    column: int | None = None  # the cell's index in an export row


@dataclass(frozen=True)
class Line:
    """Tokens on one visual line (or one export row), left to right."""

    tokens: tuple[Token, ...]
    page: int | None = None
    number: int = 0  # 1-based row of an export, or the line's index on a page
    source: str = "text_layer"  # text_layer, ocr or table

    @property
    def text(self) -> str:
        return join_tokens(self.tokens)

    @property
    def box(self) -> Box | None:
        return union_box(token.box for token in self.tokens)


def fold(text: str) -> str:
    """Full-width forms folded (NFKC) and all whitespace removed: for comparing titles."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def join_tokens(tokens: Sequence[Token]) -> str:
    """Token texts joined: a space between export cells, across a visible gap, or between
    two Latin or digit runs; CJK characters read one by one are joined without one."""
    return "".join(text for text, _ in spans(tokens))


def spans(tokens: Sequence[Token]) -> list[tuple[str, Token | None]]:
    """The pieces `join_tokens` concatenates, each with the token it came from (None: a gap)."""
    pieces: list[tuple[str, Token | None]] = []
    previous: Token | None = None
    for token in tokens:
        if previous is not None and _spaced(previous, token):
            pieces.append((" ", None))
        pieces.append((token.text, token))
        previous = token
    return pieces


def _spaced(left: Token, right: Token) -> bool:
    if left.box is None or right.box is None:
        return True
    height = max(left.box[3] - left.box[1], right.box[3] - right.box[1], 1)
    if right.box[0] - left.box[2] > height:
        return True
    return bool(_ASCII_WORD.search(left.text) and re.match(r"[0-9A-Za-z¥￥+\-]", right.text))


def union_box(boxes: object) -> Box | None:
    """The smallest box around the given boxes (None ones ignored), or None."""
    real = [box for box in boxes if box is not None]  # type: ignore[attr-defined]
    if not real:
        return None
    return (
        min(box[0] for box in real),
        min(box[1] for box in real),
        max(box[2] for box in real),
        max(box[3] for box in real),
    )


def page_lines(reading: Reading) -> list[Line]:
    """The reading's words as visual lines, top to bottom."""
    words = [word for word in reading.words if word.text.strip()]
    if not words:
        return []
    tolerance = 0.5 * max(statistics.median(word.box[3] - word.box[1] for word in words), 1)
    levels = _levels(words)
    groups: list[list[int]] = []
    for at in sorted(range(len(words)), key=levels.__getitem__):
        if (
            groups
            and abs(levels[at] - statistics.fmean(levels[i] for i in groups[-1])) <= tolerance
        ):
            groups[-1].append(at)
        else:
            groups.append([at])
    return [
        Line(
            tokens=tuple(
                Token(word.text, word.box, word.confidence, reading.page)
                for word in sorted((words[at] for at in group), key=lambda word: word.box[0])
            ),
            page=reading.page,
            number=index,
            source=reading.source,
        )
        for index, group in enumerate(groups)
    ]


def table_lines(table: Table) -> list[Line]:
    """An export's rows as lines of cell tokens (empty cells kept for their column index)."""
    return [
        Line(
            tokens=tuple(
                Token(cell.strip(), None, 1.0, column=index) for index, cell in enumerate(row)
            ),
            number=number,
            source="table",
        )
        for number, row in enumerate(table.rows, start=1)
    ]


def _levels(words: list[Word]) -> list[float]:
    """Each word's centre height with the tilt taken out where the word stands.

    A sheet photographed at an angle tilts its rows more at one end of the page than at the
    other (they run towards a vanishing point), so one slope for the whole page leaves the
    two ends of a wide row apart, a row apart at worst. The page's tilt (`skew`) orders the
    words roughly; the tilt is then measured again among the words within BAND text heights
    of each of a ladder of heights, and each word is levelled by the tilt interpolated at its
    height. Levels are taken about the words' middle, so a tilt that changes down the page
    moves no band past its neighbours.
    """
    height = max(statistics.median(word.box[3] - word.box[1] for word in words), 1)
    page = skew(words)
    middle = statistics.median(centre_x(word) for word in words)
    rough = [centre_y(word) - page * (centre_x(word) - middle) for word in words]
    reach = BAND * height
    marks = [min(rough) + step * reach for step in range(int(np.ptp(rough) // reach) + 1)]
    slopes = []
    for mark in marks:
        near = [
            word for word, level in zip(words, rough, strict=True) if abs(level - mark) <= reach
        ]
        slopes.append(skew(near, prior=page) if len(near) > 1 else page)
    local = np.interp(rough, marks, slopes)
    return [
        centre_y(word) - float(slope) * (centre_x(word) - middle)
        for word, slope in zip(words, local, strict=True)
    ]
