"""Fields found by their printed labels in the text lines of a page, from any engine.

A line detector (RapidOCR) gives one word per detected run of text; tesseract gives words.
Either way the words are grouped into visual rows, and a row's text is searched with a
pattern that names the label and captures the value (`姓名(?P<value>…)`). The value keeps the
words it was read from, so its box and confidence are those of the print it came from: no
coordinates of any one template are used, only the page's own rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from checker.document import Box, Word
from checker.yaml_model import parse_yaml_model
from schemas.labels import FieldLabels, LabelSet

# a row is cut where two words stand further apart than this many row heights (two cards
# side by side on one scan are two rows, not one)
MAX_GAP_HEIGHTS = 4.0


def fold(text: str) -> str:
    """NFKC-folded text without white space (full-width digits and letters become ASCII)."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Row:
    """Words that stand on one visual line, left to right, and their folded text."""

    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return "".join(fold(word.text) for word in self.words)

    @property
    def box(self) -> Box:
        return union(word.box for word in self.words)

    @property
    def height(self) -> int:
        heights = sorted(word.box[3] - word.box[1] for word in self.words)
        return max(1, heights[len(heights) // 2])

    def x_of(self, index: int) -> float:
        """Where character `index` of the row's text starts, its word's width shared evenly
        among the word's characters (a label and its value may be read as one word)."""
        position = 0
        for word in self.words:
            size = len(fold(word.text))
            if index < position + size:
                return word.box[0] + (word.box[2] - word.box[0]) * (index - position) / size
            position += size
        return float(self.box[2])

    def words_of(self, start: int, end: int) -> list[Word]:
        """The words whose folded text overlaps characters start..end of the row's text."""
        found, position = [], 0
        for word in self.words:
            size = len(fold(word.text))
            if position < end and position + size > start:
                found.append(word)
            position += size
        return found


def union(boxes: Iterable[Box]) -> Box:
    boxes = list(boxes)
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def rows_of(words: Sequence[Word]) -> list[Row]:
    """The words grouped into visual rows, top to bottom: a word joins the row whose vertical
    span holds its centre and overlaps it by half the smaller height; a row is cut at a wide
    horizontal gap."""
    groups: list[list[Word]] = []
    for word in sorted((w for w in words if fold(w.text)), key=_middle):
        middle = _middle(word)
        for group in reversed(groups[-3:]):
            top, bottom = min(w.box[1] for w in group), max(w.box[3] for w in group)
            overlap = min(bottom, word.box[3]) - max(top, word.box[1])
            smaller = min(bottom - top, word.box[3] - word.box[1])
            if top <= middle <= bottom and overlap >= smaller / 2:
                group.append(word)
                break
        else:
            groups.append([word])
    rows = [row for group in groups for row in _cut_at_gaps(group)]
    return sorted(rows, key=lambda row: (row.box[1] + row.box[3]) / 2)


def _middle(word: Word) -> float:
    return (word.box[1] + word.box[3]) / 2


def _cut_at_gaps(group: list[Word]) -> list[Row]:
    ordered = sorted(group, key=lambda w: w.box[0])
    height = Row(tuple(ordered)).height
    pieces: list[list[Word]] = [[ordered[0]]]
    for word in ordered[1:]:
        if word.box[0] - max(w.box[2] for w in pieces[-1]) > MAX_GAP_HEIGHTS * height:
            pieces.append([word])
        else:
            pieces[-1].append(word)
    return [Row(tuple(piece)) for piece in pieces]


@dataclass(frozen=True)
class Match:
    """A pattern's `value` group found in a row: the text and the words it was read from."""

    text: str
    words: tuple[Word, ...]
    row: int  # index of the row in the rows searched
    left: float  # where the value's first character starts (px)

    @property
    def confidence(self) -> float:
        return min((word.confidence for word in self.words), default=0.0)

    @property
    def box(self) -> Box:
        return union(word.box for word in self.words)


def find(rows: Sequence[Row], pattern: re.Pattern[str], *, start: int = 0) -> Match | None:
    """The first row (from `start`) whose text matches `pattern`, with its `value` group."""
    for index in range(start, len(rows)):
        match = pattern.search(rows[index].text)
        if match and match.group("value"):
            row = rows[index]
            words = row.words_of(match.start("value"), match.end("value"))
            return Match(match.group("value"), tuple(words), index, row.x_of(match.start("value")))
    return None


def label_pattern(label: str) -> str:
    """A regex for `label` that allows stray marks between its characters ("姓 名", "姓.名")."""
    return r"[^\w]?".join(re.escape(char) for char in label)


class LabelsError(Exception):
    """A label file cannot be used; the message names the file, line and field."""


@cache
def label_file(name: str) -> dict[str, FieldLabels]:
    """Each field's labels and prose patterns from `checker/documents/labels/NAME.yaml`,
    validated (a bad file fails at load time with its line)."""
    source = f"labels/{name}.yaml"
    text = resources.files("checker.documents").joinpath(source).read_text("utf-8")
    return parse_yaml_model(text, source, LabelSet, LabelsError, "fields").root


__all__ = [
    "LabelsError",
    "Match",
    "Row",
    "find",
    "fold",
    "label_file",
    "label_pattern",
    "rows_of",
    "union",
]
