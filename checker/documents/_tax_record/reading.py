"""Reading a tax record: the title, the header fields by their labels (a `label：value`
cell, or a cell that is only its label with the value in the next cell, as in a grid), and
the table (`table`), from every page."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from checker.document import Reading, Word
from checker.documents._tax_record.table import read_table
from checker.documents._tax_record.text import HEADER_FIELDS, MONTH, fold, labels, role_of
from checker.rows.lines import Line, box_of, char_words, lines_of, plain
from checker.rows.tables import cells_of
from schemas.reads import Read, Reads
from schemas.tax import TaxRow

_NAME = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·•]{1,9}")
_ID_NUMBER = re.compile(r"[0-9Xx*＊]{18}")


@cache
def _label_pattern() -> re.Pattern[str]:
    """Any header field's label followed by a colon (longest labels tried first)."""
    variants = sorted(
        {fold(label) for name in HEADER_FIELDS for label in labels()[name]}, key=len, reverse=True
    )
    return re.compile("(?P<label>" + "|".join(map(re.escape, variants)) + ")[:：;；]")


def _chars(page: int, words: Sequence[Word]) -> list[Word]:
    """The words' characters, each with its share of its word's box, spaces dropped."""
    return [char for char in char_words([Line(page, tuple(words))]) if char.text.strip()]


def header_fields(lines: list[Line], source: str) -> Reads:
    """The name, ID number and period from `label：value` cells or label-and-value cells."""
    found: Reads = {}
    names = HEADER_FIELDS
    for line in lines:
        cells = cells_of(line)
        for index, cell in enumerate(cells):
            chars = _chars(line.page, cell)
            text = fold("".join(char.text for char in chars))
            following = _chars(line.page, cells[index + 1]) if index + 1 < len(cells) else []
            matches = list(_label_pattern().finditer(text)) if len(text) == len(chars) else []
            pairs: list[tuple[str | None, list[Word]]] = []
            for number, match in enumerate(matches):
                end = matches[number + 1].start() if number + 1 < len(matches) else len(chars)
                value = chars[match.end() : end] or following
                pairs.append((role_of(match["label"], names), value))
            if not matches and (role := role_of(text, names)) is not None:
                pairs.append((role, following))
            for role, value in pairs:
                if role is not None and role not in found and value:
                    read = _header_read(role, value, line.page, source)
                    if read is not None:
                        found[role] = read
    return _period(found)


def _header_read(role: str, chars: list[Word], page: int, source: str) -> Read[str] | None:
    """The value of one header field out of the characters after its label."""
    text = "".join(char.text for char in chars)
    if role == "period":
        months = [f"{int(y):04d}-{int(m):02d}" for y, m in MONTH.findall(fold(text))]
        months = [month for month in months if 1 <= int(month[5:]) <= 12]
        if not months:
            return None
        value = f"{months[0]}/{months[-1]}"
        span = (0, len(chars))
    else:
        pattern = _NAME if role == "name" else _ID_NUMBER
        match = pattern.search(text) if len(text) == len(chars) else None
        if match is None:
            return None
        value = match.group().replace("＊", "*").upper()
        span = match.span()
    taken = chars[span[0] : span[1]]
    return Read[str](
        value=value,
        confidence=min(char.confidence for char in taken),
        page=page,
        box=box_of(taken),
        raw=text,
        method=source,
    )


def _period(found: Reads) -> Reads:
    """`period` (`start/end`) split into `period_start` and `period_end`."""
    period = found.pop("period", None)
    if period is not None and period.value:
        start, end = str(period.value).split("/")
        found["period_start"] = period.model_copy(update={"value": start})
        found["period_end"] = period.model_copy(update={"value": end})
    return found


def title(lines: list[Line], source: str) -> Read[str] | None:
    """The first line among the page's first few that holds a title word."""
    words = [plain(fold(label)) for label in labels()["title"]]
    for line in lines[:6]:
        text = plain(fold(line.text))
        if any(word in text for word in words):
            confidence = min(word.confidence for word in line.words)
            return Read[str](
                value=line.text, confidence=confidence, page=line.page, box=line.box, method=source
            )
    return None


def read(readings: Sequence[Reading]) -> Reads:
    """Every field of the record, from all its pages."""
    if not readings:
        return {}
    source = readings[0].source
    pages = [(reading, lines_of(reading)) for reading in sorted(readings, key=_page)]
    table = read_table(pages)
    fields: Reads = {}
    for _reading, lines in pages:
        if "title" not in fields and (found := title(lines, source)) is not None:
            fields["title"] = found
        outside = [line for line in lines if line not in table.lines]
        for name, value in header_fields(outside, source).items():
            if name not in fields:
                fields[name] = value
    confidence = min((row.confidence for row in table.rows), default=None)
    fields["rows"] = Read[list[TaxRow]](
        value=table.rows or None,
        confidence=confidence,
        page=table.rows[0].page if table.rows else None,
        method=source,
    )
    if table.unread:
        first = table.unread[0]
        fields["rows_unread"] = Read[int](
            value=len(table.unread), page=first.page, box=first.box, raw=first.text, method=source
        )
    return {**fields, **table.total}


def _page(reading: Reading) -> int:
    return reading.page
