"""Transaction tables rebuilt from word positions, page by page (text layer or OCR words).

A data line starts with a date and holds at least one amount. Per page, the columns come
from the title row where it was read, and from the data itself where it was not (OCR often
loses titles): amounts are grouped by their right edges, text by gap-separated segments.
Repeated title rows, page subtotals, footers and anything else without a date and an amount
are not transactions; a text-only line between two rows continues the row above (a wrapped
cell). Pages are read in order, so a table that crosses a page break stays one table.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from checker.document import Reading
from checker.statements.columns import key, with_titles
from checker.statements.exports import skipped
from checker.statements.layout import GENERIC, layouts
from checker.statements.lines import Line, Token, page_lines
from checker.statements.rows import looks_like_date, make_row, repair_amount
from schemas.layout import AMOUNT_COLUMNS, Layout

_MONEY = re.compile(r"^[-+]?[¥￥]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}$")
TEXT_COLUMNS = ("description", "counterparty")
MAX_LEAD = 2  # short words before a row's date: a serial number column, read or misread
MAX_LEAD_CHARS = 8
MIN_TITLES = 3  # title words a line needs to be taken as the table's title row


@dataclass
class PageTable:
    """One page's part of the table: rows and the lines above it (for header fields)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    header_lines: list[Line] = field(default_factory=list)
    page: int = 1
    # where each amount column's figures end (their right edge), from the figures and titles
    amount_edges: dict[str, float] = field(default_factory=dict)
    title_top: int | None = None  # the title row's top edge, where it was read
    # every amount column the rows were read through was found by its title
    titled: bool = False


@dataclass
class _DataLine:
    line: Line
    date: list[Token]
    text: list[list[Token]]  # gap-separated segments between the date and the amounts
    money: list[Token]


def read_pages(readings: list[Reading], layout: Layout) -> list[PageTable]:
    """The table parts of every page, in page order."""
    generic = next(item for item in layouts() if item.name == GENERIC)
    layout = with_titles(layout, generic.skip_rows)
    return [read_page(reading, layout) for reading in sorted(readings, key=lambda r: r.page)]


def read_page(reading: Reading, layout: Layout) -> PageTable:
    """One page: find the title row and the data lines, then assign cells to columns.
    `layout` should carry every known title (`columns.with_titles`)."""
    lines = page_lines(reading)
    title_at, titles = _title_row(lines, layout)
    start = title_at + 1 if title_at is not None else 0
    data: list[_DataLine] = []
    for line in lines[start:]:
        parsed = _data_line(line)
        if parsed is not None and _is_row(parsed, data) and not skipped(line, layout):
            data.append(parsed)
        elif data and _continues(line, data[-1], layout):
            data[-1].text.extend(_segments(list(line.tokens)))
    above = lines[:title_at] if title_at is not None else _above(lines, data)
    title_box = lines[title_at].box if title_at is not None else None
    title_top = title_box[1] if title_box else None
    if not data:
        return PageTable(header_lines=above, page=reading.page, title_top=title_top)
    money_columns = _money_columns(data, titles, layout)
    text_starts = _text_starts(data, titles)
    rows = []
    for item in data:
        cells = _cells(item, money_columns, text_starts, layout)
        row = make_row(cells, layout, source=reading.source)
        if row is not None:
            rows.append(row)
    edges: dict[str, float] = {
        str(column): float(span[1]) for column, span in titles.items() if column in AMOUNT_COLUMNS
    }
    edges.update(money_columns)
    return PageTable(
        rows=rows,
        header_lines=above,
        page=reading.page,
        amount_edges=edges,
        title_top=title_top,
        titled=bool(money_columns) and set(money_columns) <= set(titles),
    )


def _title_row(lines: list[Line], layout: Layout) -> tuple[int | None, dict[str, tuple[int, int]]]:
    """The index of the title row and each found column's x-span on it."""
    pairs = sorted(
        ((column, key(title)) for column, titles in layout.columns.items() for title in titles),
        key=lambda pair: -len(pair[1]),
    )
    for index, line in enumerate(lines):
        if any(looks_like_date(token.text) for token in line.tokens):
            continue
        text, owners, starts, ends = "", [], set(), set()
        for token in line.tokens:
            piece = key(token.text)
            starts.add(len(text))
            text += piece
            ends.add(len(text))
            owners += [token] * len(piece)
        claimed = [False] * len(text)
        spans: dict[str, tuple[int, int]] = {}
        for column, title in pairs:
            if column in spans or not title:
                continue
            at = _free_find(text, title, claimed)
            if title.isascii():  # a Latin title is a whole word: `cr` is not in `description`
                while at >= 0 and (at not in starts or at + len(title) not in ends):
                    at = _free_find(text, title, claimed, at + 1)
            if at < 0:
                continue
            claimed[at : at + len(title)] = [True] * len(title)
            boxes = [owner.box for owner in owners[at : at + len(title)] if owner.box]
            spans[column] = (min(box[0] for box in boxes), max(box[2] for box in boxes))
        if len(spans) >= MIN_TITLES or (len(spans) >= 2 and "date" in spans):
            return index, spans
    return None, {}


def _free_find(text: str, title: str, claimed: list[bool], start: int = 0) -> int:
    at = text.find(title, start)
    while at >= 0 and any(claimed[at : at + len(title)]):
        at = text.find(title, at + 1)
    return at


def _data_line(line: Line) -> _DataLine | None:
    """A line that starts with a date, split into its parts (`money` is empty where no
    amount was read on it). Marks without a letter or digit before the date (a ruling read
    as `|`, a speck as `”`) are dropped."""
    tokens = list(line.tokens)
    while tokens and not any(char.isalnum() for char in tokens[0].text):
        tokens.pop(0)
    lead = next(
        (
            at
            for at, token in enumerate(tokens[: MAX_LEAD + 1])
            if looks_like_date(token.text) and not is_money(token.text)
        ),
        0,
    )
    if all(
        len(token.text) <= MAX_LEAD_CHARS or not _has_cjk(token.text) for token in tokens[:lead]
    ):
        tokens = tokens[lead:]  # a 序号 column before the date (OCR may misread its digits)
    if not tokens or not looks_like_date(tokens[0].text):
        return None
    date = [tokens[0]]
    rest = tokens[1:]
    while rest and _date_tail(rest[0], date[-1]):  # a time, or a date read in two pieces
        date.append(rest.pop(0))
    money = [token for token in rest if is_money(token.text)]
    if not money and is_money(date[0].text):
        return None  # a figure on a line of its own (a balance its row's line lost), no date
    text: list[list[Token]] = []  # text runs between the figures, each split at wide gaps
    run: list[Token] = []
    for token in rest:
        if token in money:
            text += _segments(run)
            run = []
        else:
            run.append(token)
    text += _segments(run)
    return _DataLine(line, date, text, money)


def _is_row(item: _DataLine, above: list[_DataLine]) -> bool:
    """A dated line with an amount is a row; so is one whose figures were not read, below a
    row that has them (in the table, not its header): dropped, it would take its movement
    out of the balance chain unseen, and the rows after it would seem to break."""
    return bool(item.money) or any(row.money for row in above)


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def is_money(text: str) -> bool:
    """Whether a word is a printed amount (two decimals), once OCR's usual slips are undone."""
    return bool(_MONEY.match(repair_amount(text)))


def _date_tail(token: Token, previous: Token) -> bool:
    close = token.box and previous.box and token.box[0] - previous.box[2] < _height(previous)
    return bool(close and re.fullmatch(r"[\d:\-./]+", token.text) and not is_money(token.text))


def _segments(tokens: list[Token]) -> list[list[Token]]:
    """Tokens split where the gap is wider than the text is tall."""
    segments: list[list[Token]] = []
    for token in tokens:
        if segments and token.box and segments[-1][-1].box:
            gap = token.box[0] - segments[-1][-1].box[2]
            if gap <= _height(token):
                segments[-1].append(token)
                continue
        segments.append([token])
    return segments


def _continues(line: Line, previous: _DataLine, layout: Layout) -> bool:
    """A wrapped cell: text only, right below the previous row, not a subtotal or footer."""
    if skipped(line, layout) or any(is_money(token.text) for token in line.tokens):
        return False
    top, bottom = line.box[1] if line.box else 0, previous.line.box[3] if previous.line.box else 0
    first_text = previous.text[0][0].box if previous.text else None
    if not line.box or not first_text:
        return False
    near = top - bottom < 0.8 * _height(line.tokens[0])
    return near and line.box[0] >= first_text[0] - _height(line.tokens[0])


def _money_columns(
    data: list[_DataLine], titles: dict[str, tuple[int, int]], layout: Layout
) -> dict[str, float]:
    """Amount column -> the right edge its figures align to on this page."""
    wanted = [column for column in layout.columns if column in AMOUNT_COLUMNS]
    wanted.sort(key=lambda column: titles[column][0] if column in titles else 0)
    signed = "amount" in titles and not {"debit", "credit"} & set(titles)
    drop = {"debit", "credit"} if signed or "debit" not in wanted else {"amount"}
    wanted = [column for column in wanted if column not in drop]
    edges = sorted(token.box[2] for item in data for token in item.money if token.box)
    tolerance = 2 * max(statistics.median(_height(t) for item in data for t in item.money), 1)
    clusters = _clusters(edges, tolerance)
    right_edges = [statistics.median(cluster) for cluster in clusters]
    found: dict[str, float] = {}
    for column in wanted:
        if column in titles:
            near = [edge for edge in right_edges if _distance(edge, titles[column]) <= tolerance]
            if near:
                found[column] = min(near, key=lambda edge: _distance(edge, titles[column]))
    free_edges = [edge for edge in right_edges if edge not in found.values()]
    free_columns = [column for column in wanted if column not in found]
    if len(free_edges) == len(free_columns):
        found.update(zip(free_columns, free_edges, strict=True))
    elif (
        len(free_edges) == 1
        and {"debit", "credit"} <= set(free_columns)
        and "amount" in layout.columns
    ):
        found["amount"] = free_edges[0]  # one untitled amount column: a signed one
    elif free_edges and "balance" in free_columns and wanted[-1] == "balance":
        found["balance"] = free_edges[-1]  # the last amount column: the running balance
    return found


def _clusters(values: list[int], tolerance: float) -> list[list[int]]:
    clusters: list[list[int]] = []
    for value in values:
        if clusters and value - clusters[-1][-1] <= tolerance:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return clusters


def _distance(edge: float, span: tuple[int, int]) -> float:
    """How far a right edge is from a title's span (0 inside it)."""
    return max(span[0] - edge, edge - span[1], 0)


def _text_starts(data: list[_DataLine], titles: dict[str, tuple[int, int]]) -> dict[str, float]:
    """Text column -> its left edge: from the titles, else from rows with two segments."""
    starts = {
        column: float(span[0])
        for column, span in titles.items()
        if column not in AMOUNT_COLUMNS and column != "date"
    }
    pairs = [item.text for item in data if len(item.text) == 2]
    for index, column in enumerate(TEXT_COLUMNS):
        lefts = [box[0] for segments in pairs if (box := segments[index][0].box)]
        if column not in starts and lefts:
            starts[column] = statistics.median(lefts)
    return starts


def _cells(
    item: _DataLine, money_columns: dict[str, float], text_starts: dict[str, float], layout: Layout
) -> dict[str, list[Token]]:
    cells: dict[str, list[Token]] = {"date": item.date}
    for segment in item.text:
        column = _text_column(segment, text_starts)
        cells.setdefault(column, []).extend(segment)
    for token in item.money:
        amount_column = _money_column(token, money_columns, item, layout)
        if amount_column:
            cells.setdefault(amount_column, []).append(token)
    if "debit" in money_columns or "credit" in money_columns:
        cells.setdefault("debit", [])
        cells.setdefault("credit", [])
    return cells


def _text_column(segment: list[Token], starts: dict[str, float]) -> str:
    left = segment[0].box[0] if segment[0].box else 0
    if len(starts) < 2:
        return (
            "description"
            if "counterparty" not in starts or left < starts["counterparty"]
            else "counterparty"
        )
    slack = _height(segment[0])
    before = [column for column, start in starts.items() if start <= left + slack]
    return max(before, key=lambda column: starts[column]) if before else "description"


def _money_column(
    token: Token, columns: dict[str, float], item: _DataLine, layout: Layout
) -> str | None:
    if not columns or not token.box:
        return None
    column = min(columns, key=lambda name: abs(columns[name] - token.box[2]))  # type: ignore[index]
    if abs(columns[column] - token.box[2]) > 3 * _height(token):
        return None
    return column


def _above(lines: list[Line], data: list[_DataLine]) -> list[Line]:
    """Without a title row: the lines above the first data line."""
    if not data:
        return lines
    first = data[0].line.number
    return [line for line in lines if line.number < first]


def _height(token: Token) -> int:
    return max(token.box[3] - token.box[1], 1) if token.box else 1
