"""Fields printed in sentences (兹证明张三同志，…自2019年3月起…): patterns run over the page's
characters, each value keeping the boxes of the characters it was read from."""

from __future__ import annotations

import itertools
import re

from checker.document import Word
from checker.rows.label_value import Row
from checker.rows.lines import Line, box_of, char_words


def prose_rows(lines: list[Line], patterns: dict[str, tuple[str, ...]]) -> dict[str, Row]:
    """Rows found in sentences (兹证明张三同志，身份证号码…，自2019年3月起在我公司工作…): each
    field's patterns run over the page's text, lines joined; the value keeps the boxes of the
    characters it was read from."""
    chars = char_words(lines)
    text = "".join(char.text for char in chars)
    line_of = {word.line: line for line in lines for word in line.words}
    rows: dict[str, Row] = {}
    for field, regexes in patterns.items():
        for regex in regexes:
            match = _prose_match(regex, text, chars)
            if match is None:
                continue
            start, end = match
            taken = chars[start:end]
            words = tuple(
                Word("".join(c.text for c in group), box_of(group), group[0].confidence, key)
                for key, group in (
                    (k, list(g)) for k, g in itertools.groupby(taken, lambda c: c.line)
                )
            )
            line = line_of.get(words[0].line) if words else None
            if line is not None:
                rows[field] = Row(field, line, words[0].box[0], words, 0.8, found="prose")
                break
    return rows


def _prose_match(regex: str, text: str, chars: list[Word]) -> tuple[int, int] | None:
    """Where the value of `regex` stands in `text` (the page's characters, lines joined); a
    pattern starting with ^ is matched at the start of each printed line instead."""
    if not regex.startswith("^"):
        match = re.search(regex, text)
        return match.span("value") if match else None
    starts = [i for i, char in enumerate(chars) if i == 0 or char.line != chars[i - 1].line]
    for start, end in itertools.pairwise([*starts, len(chars)]):
        match = re.match(regex, text[start:end])
        if match:
            return start + match.start("value"), start + match.end("value")
    return None
