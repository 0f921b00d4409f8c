"""A licence page's labelled cells: its words grouped into visual rows, each row cut where a
printed label starts, each label's value the text up to the next label on the row.

A licence prints its labels without colons, spread out (名      称) and, on the landscape 正本,
in two columns: `rows_of` keeps a row whole whatever its gaps (two columns, spaced labels),
and labels are looked for where a row starts and wherever text follows a wide gap, so that a
value never runs into the next column's label. Works on any engine's words: tesseract's (a
word per run of characters) and RapidOCR's (a word per detected line, label and value
sometimes in one).
"""

from __future__ import annotations

import difflib
import re
import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from checker.document import Box, Word
from checker.labelled import label_file, union
from checker.reading.glyphs import printed_forms

CELL_GAP = 0.8  # a gap this many text heights wide may start a label
NEXT_ROW = 2.5  # a value under its label stands within this many text heights of it
FUZZY_LENGTH = 4  # a label this long may be matched with one character lost or misread
HALF_LABEL = 0.5  # the score of a spread-out two-character label read by one character
HALF_GAP = 0.5  # ... standing this many text heights before its value, at least
# fields whose value may stand on the row under their label (统一社会信用代码 / the code)
VALUE_BELOW = ("uscc", "registration_authority")
# fields whose value may wrap onto a second line, under its start (a long address or name)
WRAPPING = ("name", "address")
WRAP_PITCH = 1.8  # a wrapped line stands closer than this many text heights under the first
COMPLETE_NAME = re.compile(r"(?:公司|企业|中心|商行|店|厂|馆|社|部|坊|铺|站|场|院|室|行)$")
ADDRESS_PART = re.compile(r"[0-9号室层楼座幢栋单元路街道巷弄村镇]")


def field_labels() -> dict[str, tuple[str, ...]]:
    """Each field's label variants (`labels/business_licence.yaml`)."""
    return {field: spec.labels for field, spec in label_file("business_licence").items()}


def fold(text: str) -> str:
    """NFKC-folded (full-width letters and digits to ASCII), no white space, traditional
    forms a reader gave for simplified print as printed (黃 as 黄: `printed_forms`)."""
    return printed_forms(re.sub(r"\s", "", unicodedata.normalize("NFKC", text)))


@dataclass(frozen=True)
class Row:
    """Words on one visual line, left to right; `chars` maps each character of `text` to
    the word it was read in."""

    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return "".join(fold(word.text) for word in self.words)

    @property
    def chars(self) -> list[int]:
        return [index for index, word in enumerate(self.words) for _ in fold(word.text)]

    @property
    def box(self) -> Box:
        return union(word.box for word in self.words)

    @property
    def height(self) -> int:
        return max(1, int(statistics.median(word.box[3] - word.box[1] for word in self.words)))

    @property
    def middle(self) -> float:
        return statistics.median((word.box[1] + word.box[3]) / 2 for word in self.words)

    def x_of(self, index: int) -> float:
        """Where character `index` of the row's text starts (its word's width shared evenly
        among the word's characters: a label and its value may be read as one word)."""
        position = 0
        for word in self.words:
            size = len(fold(word.text))
            if index < position + size:
                return word.box[0] + (word.box[2] - word.box[0]) * (index - position) / size
            position += size
        return float(self.box[2])

    def words_of(self, start: int, end: int) -> tuple[Word, ...]:
        chars = self.chars[start:end]
        return tuple(self.words[index] for index in sorted(set(chars)))


def rows_of(words: Sequence[Word]) -> list[Row]:
    """The words grouped into visual rows, top to bottom: a word joins a row when its centre
    is level with that of the row's word nearest to it across (within half a text height),
    so that the rows of a page photographed askew do not run into each other."""
    groups: list[list[Word]] = []
    for word in sorted((w for w in words if fold(w.text)), key=_middle):
        for group in reversed(groups[-4:]):
            nearest = min(group, key=lambda w: _distance_across(w, word))
            height = max(_height(nearest), _height(word))
            if abs(_middle(nearest) - _middle(word)) <= height / 2:
                group.append(word)
                break
        else:
            groups.append([word])
    rows = [Row(tuple(sorted(group, key=lambda w: w.box[0]))) for group in groups]
    return sorted(rows, key=lambda row: (row.box[1] + row.box[3]) / 2)


def _middle(word: Word) -> float:
    return (word.box[1] + word.box[3]) / 2


def _height(word: Word) -> int:
    return max(1, word.box[3] - word.box[1])


def _distance_across(one: Word, other: Word) -> int:
    """The horizontal gap between two words (0 when they overlap across)."""
    return max(0, one.box[0] - other.box[2], other.box[0] - one.box[2])


@dataclass(frozen=True)
class Cell:
    """A label found on a row and the value printed after it (or under it)."""

    field: str
    label: str  # the label variant matched
    row: int  # index of the value's row
    text: str  # the value's text, folded
    words: tuple[Word, ...]  # the words the value was read from
    label_box: Box

    @property
    def box(self) -> Box | None:
        return union(word.box for word in self.words) if self.words else None

    @property
    def confidence(self) -> float:
        return min((word.confidence for word in self.words), default=0.0)


@dataclass(frozen=True)
class _Label:
    field: str
    variant: str
    start: int
    end: int
    score: float


def _starts(row: Row) -> list[int]:
    """Where a label may start: the row's start, and each word after a wide gap."""
    starts, position = [0], 0
    for previous, word in zip(row.words, row.words[1:], strict=False):
        position += len(fold(previous.text))
        if word.box[0] - previous.box[2] >= CELL_GAP * row.height:
            starts.append(position)
    return starts


def _match(text: str, start: int, variant: str) -> tuple[float, int] | None:
    """(score, end) of `variant` read at `start`: exact, or for a long label with one of its
    characters lost or misread (注册资1… for 注册资本); its first character always read."""
    if text.startswith(variant, start):
        return 1.0, start + len(variant)
    if len(variant) < FUZZY_LENGTH or text[start : start + 1] != variant[0]:
        return None
    window = text[start : start + len(variant)]
    blocks = difflib.SequenceMatcher(None, variant, window, autojunk=False).get_matching_blocks()
    matched = sum(block.size for block in blocks)
    if matched < len(variant) - 1:
        return None
    last = max(block.b + block.size for block in blocks if block.size)
    return matched / len(variant), start + last


def _labels(row: Row, labels: dict[str, tuple[str, ...]]) -> list[_Label]:
    """The labels printed on a row, left to right (the best variant at each start)."""
    text, found = row.text, list[_Label]()
    for start in _starts(row):
        if found and start < found[-1].end:
            continue
        candidates = [
            _Label(field, variant, start, match[1], match[0])
            for field, variants in labels.items()
            for variant in variants
            if (match := _match(text, start, variant)) is not None
        ]
        if not candidates:
            candidates = _half_label(row, start, labels)
        if candidates:
            found.append(max(candidates, key=lambda label: (label.score, len(label.variant))))
    return found


def _half_label(row: Row, start: int, labels: dict[str, tuple[str, ...]]) -> list[_Label]:
    """A two-character label spread out (住      所) of which only one character was read: a
    word of that one character, a gap of at least HALF_GAP text heights after it (an engine's
    box around a lone character is wide: the gap looks narrower than the label's spacing),
    the one field with such a label, if any."""
    position = 0
    for word, following in zip(row.words, row.words[1:], strict=False):
        size = len(fold(word.text))
        if position == start:
            if size != 1 or following.box[0] - word.box[2] < HALF_GAP * row.height:
                return []
            break
        position += size
    else:
        return []
    char = row.text[start]
    halves = {
        (field, variant)
        for field, variants in labels.items()
        for variant in variants
        if len(variant) == 2 and char in variant
    }
    if len({field for field, _ in halves}) != 1:
        return []
    field, variant = min(halves)
    return [_Label(field, variant, start, start + 1, HALF_LABEL)]


VALUE_EDGE = re.compile(r"^[\s:：;；,，.。、'\"“”‘’|｜!_\-—]+|[\s:：;；,，、'\"“”‘’|｜!_—]+$")


def _value(row: Row, start: int, end: int) -> tuple[str, tuple[Word, ...]]:
    """The value's text (marks at its edges left out) and the words it was read from."""
    raw = row.text[start:end]
    stripped = VALUE_EDGE.sub("", raw)
    if not stripped:
        return "", ()
    offset = start + raw.index(stripped)
    return stripped, row.words_of(offset, offset + len(stripped))


def labelled_cells(rows: list[Row]) -> dict[str, Cell]:
    """Each field's first labelled cell on the page; a label with nothing after it on its
    row takes the row under it for the fields printed that way (`VALUE_BELOW`)."""
    labels = field_labels()
    found_on = [_labels(row, labels) for row in rows]
    cells: dict[str, Cell] = {}
    for index, (row, found) in enumerate(zip(rows, found_on, strict=True)):
        for number, label in enumerate(found):
            if label.field in cells:
                continue
            end = found[number + 1].start if number + 1 < len(found) else len(row.text)
            text, words = _value(row, label.end, end)
            value_row = index
            if not text and label.field in VALUE_BELOW and index + 1 < len(rows):
                below = rows[index + 1]
                close = below.box[1] - row.box[3] < NEXT_ROW * row.height
                if close and not found_on[index + 1] and below.box[2] > row.box[0]:
                    text, words = _value(below, 0, len(below.text))
                    value_row = index + 1
            label_box = union(
                word.box for word in row.words_of(label.start, label.end) or row.words
            )
            cell = Cell(label.field, label.variant, value_row, text, words, label_box)
            cells[label.field] = _continued(rows, found_on, cell, row.x_of(label.end))
    return cells


def _continued(rows: list[Row], found_on: list[list[_Label]], cell: Cell, left: float) -> Cell:
    """`cell` with the rest of a wrapped value (`WRAPPING`): the text of the next line that
    starts under the value's start (`left`), on a line closer than rows stand (`WRAP_PITCH`),
    holds no label there and reads as the rest of such a value (`_goes_on`)."""
    if cell.field not in WRAPPING or not cell.text or cell.row + 1 >= len(rows):
        return cell
    row, below = rows[cell.row], rows[cell.row + 1]
    if below.middle - row.middle >= WRAP_PITCH * row.height:
        return cell
    starts = _starts(below)
    labelled = {label.start for label in found_on[cell.row + 1]}
    for number, start in enumerate(starts):
        if abs(below.x_of(start) - left) > row.height or start in labelled:
            continue
        end = starts[number + 1] if number + 1 < len(starts) else len(below.text)
        text, words = _value(below, start, end)
        if not text or not _goes_on(cell.field, cell.text, text):
            return cell
        return Cell(
            cell.field, cell.label, cell.row, cell.text + text, cell.words + words, cell.label_box
        )
    return cell


def _goes_on(field: str, text: str, rest: str) -> bool:
    """Whether `rest` reads as the rest of a name or an address cut at `text`'s end: a name
    that already ends as one (…有限公司, …便利店) is whole; an address goes on with a number,
    a building, a floor or a room."""
    if field == "name":
        return not COMPLETE_NAME.search(text)
    return bool(ADDRESS_PART.search(rest))


def labelled_rows(rows: list[Row]) -> set[int]:
    """The indexes of the rows that hold a label."""
    labels = field_labels()
    return {index for index, row in enumerate(rows) if _labels(row, labels)}


def unlabelled_lead(row: Row) -> tuple[str, tuple[Word, ...]]:
    """The row's text before its first label (all of it when it has none), without a lone
    character standing apart at its start (what is left of a spaced label: 名 of 名  称)."""
    found = _labels(row, field_labels())
    end = found[0].start if found else len(row.text)
    start = 0
    first = row.words[0]
    if len(row.words) > 1 and len(fold(first.text)) == 1:
        start = int(row.words[1].box[0] - first.box[2] >= CELL_GAP * row.height)
    return _value(row, start, end) if end > start else ("", ())
