"""Reading a tax record: the header fields by their labels, the table by its column titles.

Every page's words are grouped into lines and cells (`checker.rows`). A header field stands as
`label：value` inside a cell, or as a cell that is only its label with the value in the next
cell (a grid). The table's header is a line whose cells are mostly column titles (a month,
an amount and one more at least); each later cell belongs to the column whose title it
stands under (most overlap, else the nearest), a line whose month cell holds a month is a
row, and a line that starts with 合计/总计 is the totals row. A page without its own header
row carries on with the previous page's columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from checker.document import Reading, Word
from checker.labelled import label_file
from checker.parse import parse_money
from checker.rows.lines import Line, box_of, char_words, label_score, lines_of, plain
from checker.rows.tables import cells_of
from schemas.reads import Read, Reads
from schemas.tax import TaxRow

COLUMNS = ("month", "item", "withholder", "withholder_uscc", "income", "tax")
HEADER_FIELDS = ("name", "id_number", "period")
MONTH = re.compile(r"((?:19|20)\d{2})\s*[-年./／]\s*(\d{1,2})\s*月?")
_MONTH_CELL = re.compile(r"((?:19|20)\d{2})(?:[-年./／](\d{1,2})月?|(\d{2}))(?:[-./／]\d{1,2}日?)?")
MONEY_SHAPE = re.compile(r"[-¥￥]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}元?")
_NAME = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·•]{1,9}")
_ID_NUMBER = re.compile(r"[0-9Xx*＊]{18}")
FUZZY = 0.8  # a title read with this share of a label's characters, in order, is that label


@cache
def labels() -> dict[str, tuple[str, ...]]:
    """Each field's label variants (`labels/tax_record.yaml`)."""
    return {name: spec.labels for name, spec in label_file("tax_record").items()}


def fold(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def parse_month(text: str) -> str | None:
    """`2026-10`, `2026.10`, `2026年10月`, `202610`, `2026-10-01` -> `2026-10`, else None."""
    match = _MONTH_CELL.fullmatch(fold(text))
    if not match:
        return None
    month = int(match[2] or match[3])
    return f"{match[1]}-{month:02d}" if 1 <= month <= 12 else None


def role_of(text: str, names: Sequence[str]) -> str | None:
    """The field whose label `text` is (one of `names`): an exact label first, else one read
    with most of its characters in order (OCR); None for anything else."""
    folded = plain(fold(text))
    if not folded:
        return None
    for name in names:
        if folded in {plain(fold(label)) for label in labels()[name]}:
            return name
    scored = [
        (label_score(folded, plain(label)), len(label), name)
        for name in names
        for label in labels()[name]
        if len(folded) <= len(plain(label)) + 2 and len(plain(label)) >= 3
    ]
    best = max(scored, default=(0.0, 0, ""))
    return best[2] if best[0] >= FUZZY else None


# ----------------------------------------------------------------------------- header fields


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
                    read = _header_read(role, value, source)
                    if read is not None:
                        found[role] = read
    return _period(found)


def _header_read(role: str, chars: list[Word], source: str) -> Read[str] | None:
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
        page=None,  # the caller knows the page
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


# ----------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Header:
    """A table's header row: each title cell's span and the column it names (None: a
    column of no interest, such as 序号, kept so its cells go nowhere else)."""

    line: Line
    spans: tuple[tuple[int, int, str | None], ...]


@dataclass
class Table:
    """The rows and the totals row read from every page, and the lines they stand on."""

    rows: list[TaxRow] = field(default_factory=list)
    total: dict[str, Read[str]] = field(default_factory=dict)
    lines: set[Line] = field(default_factory=set)  # the header, row and totals lines
    header_found: bool = False
    # lines under the header with an amount but no month read: rows not read (OCR)
    unread: list[Line] = field(default_factory=list)


def header_of(line: Line) -> Header | None:
    """The line as a table header: at least three known titles, a month and an amount."""
    spans = []
    for cell in cells_of(line):
        box = box_of(cell)
        spans.append((box[0], box[2], role_of("".join(word.text for word in cell), COLUMNS)))
    roles = {role for _, _, role in spans if role is not None}
    enough = len(roles) >= 3 and "month" in roles and bool({"income", "tax"} & roles)
    return Header(line, tuple(spans)) if enough and len(roles) >= 0.6 * len(spans) else None


def _assign(line: Line, header: Header) -> dict[str, list[Word]]:
    """Each cell of the line under the column whose title it overlaps most (else nearest)."""
    by_column: dict[str, list[Word]] = {}
    for cell in cells_of(line):
        box = box_of(cell)
        role = max(header.spans, key=lambda span: _closeness(box, span))[2]
        if role is not None:
            by_column.setdefault(role, []).extend(cell)
    return by_column


def _closeness(box: tuple[int, int, int, int], span: tuple[int, int, str | None]) -> float:
    """How well a cell stands under a title: their overlap, else minus their distance."""
    overlap = min(box[2], span[1]) - max(box[0], span[0])
    if overlap > 0:
        return overlap
    return -abs((box[0] + box[2]) / 2 - (span[0] + span[1]) / 2)


def read_table(pages: Sequence[tuple[Reading, list[Line]]]) -> Table:
    """The table over every page (a reading and its lines), in page order; stops at the
    totals row."""
    table = Table()
    header: Header | None = None
    for reading, lines in pages:
        for line in lines:
            own = header_of(line)
            if own is not None:
                header = own
                table.header_found = True
                table.lines.add(line)
                continue
            if header is None:
                continue
            cells = _assign(line, header)
            month = parse_month("".join(word.text for word in cells.get("month", [])))
            if month is not None:
                table.rows.append(_row(month, cells, line, reading))
                table.lines.add(line)
            elif _is_total(line, cells, reading.source):
                table.total = _totals(cells, line, reading.source)
                table.lines.add(line)
                return table
            elif any(_money(cells.get(name, []), reading.source) for name in ("income", "tax")):
                table.unread.append(line)
    return table


def _text(words: Sequence[Word]) -> str:
    return "".join(word.text for word in words).strip()


def _money(words: Sequence[Word], source: str) -> Decimal | None:
    """An amount cell's value; read by OCR, only when it has an amount's shape (2550100 for
    25,350.00 is a misread, not a figure to report)."""
    text = _text(words)
    if source != "text_layer" and not MONEY_SHAPE.fullmatch(fold(text)):
        return None
    return parse_money(text)


def _row(month: str, cells: dict[str, list[Word]], line: Line, reading: Reading) -> TaxRow:
    money = {name: _money(cells.get(name, []), reading.source) for name in ("income", "tax")}
    return TaxRow(
        month=month,
        item=_text(cells["item"]) or None if "item" in cells else None,
        withholder=_text(cells["withholder"]) or None if "withholder" in cells else None,
        withholder_uscc=fold(_text(cells["withholder_uscc"])) or None
        if "withholder_uscc" in cells
        else None,
        income=None if money["income"] is None else str(money["income"]),
        tax=None if money["tax"] is None else str(money["tax"]),
        page=reading.page,
        box=line.box,
        cells={name: box_of(words) for name, words in cells.items() if words},
        confidence=min(word.confidence for word in line.words),
    )


def _is_total(line: Line, cells: dict[str, list[Word]], source: str) -> bool:
    """A line whose first cell is 合计/总计; read by OCR, also one of those two characters
    misread (&计) before an amount."""
    first = _text(cells_of(line)[0]) if line.words else ""
    if role_of(first, ("total",)) == "total":
        return True
    folded = plain(fold(first))
    amounts = any(_money(cells.get(name, []), source) for name in ("income", "tax"))
    return (
        source != "text_layer"
        and amounts
        and 0 < len(folded) <= 3
        and any(label_score(folded, plain(label)) >= 0.5 for label in labels()["total"])
    )


def _totals(cells: dict[str, list[Word]], line: Line, source: str) -> dict[str, Read[str]]:
    totals = {}
    for name in ("income", "tax"):
        words = cells.get(name, [])
        value = _money(words, source)
        if words:
            totals[f"total_{name}"] = Read[str](
                value=None if value is None else str(value),
                confidence=min(word.confidence for word in words),
                page=line.page,
                box=box_of(words),
                raw=_text(words),
                method=source,
            )
    return totals


def read(readings: Sequence[Reading]) -> Reads:
    """Every field of the record, from all its pages."""
    if not readings:
        return {}
    source = readings[0].source
    pages = [(reading, lines_of(reading)) for reading in sorted(readings, key=_page)]
    table = read_table(pages)
    fields: Reads = {}
    for reading, lines in pages:
        if "title" not in fields and (found := title(lines, source)) is not None:
            fields["title"] = found
        outside = [line for line in lines if line not in table.lines]
        for name, value in header_fields(outside, source).items():
            if name not in fields:
                fields[name] = value.model_copy(update={"page": reading.page})
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
