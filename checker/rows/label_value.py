"""Fields printed as `label：value` lines: the label before the line's first colon matched
tolerantly against each field's variants, the value the words after it."""

from __future__ import annotations

from dataclasses import dataclass

from checker.document import Box, Word
from checker.rows.lines import COLONS, Line, label_score, plain

# fields whose label may lose its colon (to the seal): also looked for as a line's first words
COLONLESS = ("issue_date",)
# stray marks a garbled label may gain (职“务, we名); a longer text before a colon is a
# sentence, not a label (兹证明…收入情况如下： holds 收入 but is no 月收入 row)
LABEL_EXTRA = 4


@dataclass(frozen=True)
class Row:
    """A labelled line: where its value starts and the words read there."""

    field: str
    line: Line
    value_left: int  # x where the value starts
    words: tuple[Word, ...]
    score: float
    region: Box | None = None  # where to read it again, when not beside a label
    # how it was found: "label", or "prose" (in a sentence: its characters' boxes are
    # shares of their words', too rough a region to crop and read again)
    found: str = "label"
    ink_right: int | None = None  # where the printed value ends, when past the words read

    @property
    def text(self) -> str:
        return "".join(word.text for word in self.words)


def split_label(line: Line) -> tuple[str, int, tuple[Word, ...]] | None:
    """(label text, x where the value starts, value words) at the line's first colon; None
    without one, or when figures stand before it (a misread inside a value)."""
    for index, word in enumerate(line.words):
        position = next((i for i, char in enumerate(word.text) if char in COLONS), None)
        if position is None:
            continue
        label = "".join(w.text for w in line.words[:index]) + word.text[:position]
        if sum(char.isdigit() for char in label) >= 2:  # figures (2023年10月:日): a misread
            return None
        rest = word.text[position + 1 :]
        words = line.words[index + 1 :]
        if rest:  # ";北京" — the value's first characters share the colon's word
            words = (Word(rest, word.box, word.confidence, word.line), *words)
            return label, word.box[0], words
        return label, word.box[2], words
    return None


def labelled_rows(lines: list[Line], labels: dict[str, tuple[str, ...]]) -> dict[str, Row]:
    """The best-matching line for each label; a line serves the field it matches best."""
    rows: dict[str, Row] = {}
    for line in lines:
        split = split_label(line)
        if split is None:
            continue
        label_text, value_left, words = split
        label_text = plain(label_text)
        if not label_text:
            continue
        scored = [
            (label_score(label_text, variant), len(variant), field)
            for field, variants in labels.items()
            for variant in variants
            if len(label_text) <= len(variant) + LABEL_EXTRA
            # one character before the colon is the label's last (日  期： read 期：); 岗： is
            # no 岗位 row
            and (len(label_text) > 1 or variant.endswith(label_text))
        ]
        if not scored:
            continue
        score, _, field = max(scored)
        if score >= 0.5 and (field not in rows or score > rows[field].score):
            rows[field] = Row(field, line, value_left, words, score)
    for line in lines:  # a label whose colon was lost to the seal: 日 期 2026年…
        for field in (field for field in COLONLESS if field in labels):
            row = _colonless_row(line, field, labels[field])
            if row and (field not in rows or row.score > rows[field].score):
                rows[field] = row
    return rows


def _colonless_row(line: Line, field: str, variants: tuple[str, ...]) -> Row | None:
    """A row whose label is the line's first one or two words, read without a colon."""
    if split_label(line) is not None:
        return None
    best: Row | None = None
    for count in (1, 2):
        if len(line.words) < count:
            break
        text = plain("".join(word.text for word in line.words[:count]))
        score = max((label_score(text, variant) for variant in variants), default=0.0)
        words = line.words[count:]
        short = len(text) <= max(map(len, variants)) + LABEL_EXTRA
        if text and words and short and score >= 0.5 and (best is None or score > best.score):
            best = Row(field, line, line.words[count - 1].box[2], words, score * 0.9)
    return best
