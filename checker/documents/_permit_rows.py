"""Fields of a card found by their printed labels, on the label's row or on a row next to it.

A residence permit prints each field under one or two labels (Chinese, English, in either
order: "姓名/Name", "Name 姓名"); the value stands after the label on its row, or on the row
just under it (a small label above its value), or — on a photo — on a row that the line
grouping split off a little above or below. Labels come from a kind's YAML file
(`checker/documents/labels/`); each field has a parser that accepts only what such a value
looks like, so a neighbouring row is taken only when it holds nothing but a value of the
field's form. No position of any template is used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checker.document import Word
from checker.documents._cn_id import simplified
from checker.documents._cn_id_labels import field as labelled_value
from checker.labelled import Row, label_file
from schemas.reads import Read

Parser = Callable[[str], object]
NEIGHBOUR_ROWS = 2  # rows above and below the label's row searched for its value
_CJK = re.compile(r"[\u3400-\u9fff]")
_LEAD = re.compile(r"^[\s/:：|;,.·]+")


@dataclass(frozen=True)
class Line:
    """A row's words and their text: NFKC-folded, in simplified characters, one space
    between words (Latin names keep their spaces), with each word's span in the text."""

    row: Row
    text: str
    spans: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, row: Row) -> Line:
        text, spans = "", []
        for word in row.words:
            piece = " ".join(simplified(unicodedata.normalize("NFKC", word.text)).split())
            if text:
                text += " "
            spans.append((len(text), len(text) + len(piece)))
            text += piece
        return cls(row, text, tuple(spans))

    def words_of(self, start: int, end: int) -> list[Word]:
        return [
            word
            for word, (first, last) in zip(self.row.words, self.spans, strict=True)
            if first < end and last > start
        ]

    @property
    def middle(self) -> float:
        box = self.row.box
        return (box[1] + box[3]) / 2


def _label_regex(label: str) -> str:
    """A Chinese label with stray marks between its characters; an English one as words,
    spaces optional, not inside a longer word."""
    if _CJK.search(label):
        return r"[^\w]?".join(re.escape(char) for char in label)
    words = [re.escape(word) for word in label.replace(".", "").split()]
    return r"(?<![A-Za-z])" + r"\s*".join(words) + r"\.?(?![a-z])"


@dataclass(frozen=True)
class Labels:
    """Every field's labels of one kind, as one pattern that finds the longest label first."""

    pattern: re.Pattern[str]
    groups: dict[str, str]  # regex group name -> field

    @classmethod
    def load(cls, kind_file: str) -> Labels:
        fields = label_file(kind_file)
        alternatives = sorted(
            ((label, field) for field, labels in fields.items() for label in labels.labels),
            key=lambda item: -len(item[0]),
        )
        groups = {f"g{index}": field for index, (_, field) in enumerate(alternatives)}
        pattern = "|".join(
            f"(?P<g{index}>{_label_regex(label)})" for index, (label, _) in enumerate(alternatives)
        )
        return cls(re.compile(pattern, re.IGNORECASE), groups)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, field) of each label in `text`; a label in two languages, or one
        split by a mark ("姓名/Name"), is one span."""
        found: list[tuple[int, int, str]] = []
        for match in self.pattern.finditer(text):
            field = self.groups[str(match.lastgroup)]
            if (
                found
                and found[-1][2] == field
                and not text[found[-1][1] : match.start()].strip(" /:：|")
            ):
                found[-1] = (found[-1][0], match.end(), field)
            else:
                found.append((match.start(), match.end(), field))
        return found


def find_fields(
    rows: Sequence[Row], labels: Labels, parsers: Mapping[str, Parser], page: int
) -> dict[str, Read[Any]]:
    """Each field of `parsers` whose label is printed and whose value parses: on the label's
    row after it, else the nearest row around it that holds only a value of its form."""
    lines = [Line.of(row) for row in rows]
    spans = [labels.spans(line.text) for line in lines]
    found: dict[str, Read[Any]] = {}
    for index, line in enumerate(lines):
        for number, (_start, end, field) in enumerate(spans[index]):
            parser = parsers.get(field)
            if parser is None or field in found:
                continue
            stop = spans[index][number + 1][0] if number + 1 < len(spans[index]) else None
            value = _on_row(line, end, stop, parser, page)
            if value is None:
                value = _nearby(lines, spans, index, parser, page)
            if value is not None:
                found[field] = value
    return found


def _on_row(line: Line, end: int, stop: int | None, parser: Parser, page: int) -> Read[Any] | None:
    """The value after the label, up to the next label or the row's end."""
    text = line.text[end:stop]
    lead = _LEAD.match(text)
    start = end + (lead.end() if lead else 0)
    value_text = line.text[start:stop].strip()
    parsed = parser(value_text) if value_text else None
    if parsed is None:
        return None
    words = line.words_of(start, start + len(value_text))
    return labelled_value(parsed, words, page)


def _nearby(
    lines: list[Line],
    spans: list[list[tuple[int, int, str]]],
    index: int,
    parser: Parser,
    page: int,
) -> Read[Any] | None:
    """The nearest row (by its middle) within NEIGHBOUR_ROWS of the label's that holds no
    label and parses whole; a row below wins a tie."""
    label = lines[index]
    near = [
        other
        for other in range(max(0, index - NEIGHBOUR_ROWS), index + NEIGHBOUR_ROWS + 1)
        if other != index and other < len(lines) and not spans[other]
    ]
    near.sort(key=lambda other: (abs(lines[other].middle - label.middle), other < index))
    for other in near:
        line = lines[other]
        if abs(line.middle - label.middle) > 2.5 * label.row.height:
            continue
        parsed = parser(line.text)
        if parsed is not None:
            return labelled_value(parsed, list(line.row.words), page)
    return None
