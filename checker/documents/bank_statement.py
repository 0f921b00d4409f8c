"""Bank statement (银行流水): header fields and the transaction table, reconciled.

Pages (a PDF text layer, or OCR of scans and photos) are rebuilt into a table from word
positions (`checker.statements.table`); CSV, XLSX, XLS and ODS exports map by column titles
(`checker.statements.exports`). Column roles come from their titles, one shared list
(`checker.statements.columns`, `columns.yaml`), after the issuer's layout's own titles (a
data file, for what a header cannot say). A break is an error only when every amount column
was found by its title; otherwise, or when most rows break, it is one warning that the
statement could not be reconciled (`statement_not_reconciled`). Card statements are checked
by their totals, newest-first exports are turned oldest-first. The
transactions are validated with the pandera schema in `schemas.transactions`; how a break
is told from a misread is in `checker.statements.reconcile`; the statement's other checks
(account number, card totals, breaks on unsure columns) in `checker.statements.checks`; a
statement uploaded page by page in `checker.statements.seams`. Checks across several
statements (gaps, coverage, recency, duplicates) are `checker.statements.sets`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from checker.documents import CheckContext, Content
from checker.findings import new_finding
from checker.ocr import OcrError, RegionOptions, read_regions
from checker.parse import parse_money
from checker.reading.flatten import Flattened
from checker.reading.ink import ink_lines
from checker.reading.second_read import grey_ink
from checker.statements.checks import (
    account_findings,
    card_totals,
    is_card,
    unless_too_many_breaks,
    unless_unsure,
)
from checker.statements.exports import read_export
from checker.statements.header import header_fields, page_of
from checker.statements.layout import layout_of, pick_layout
from checker.statements.lines import Line, page_lines, table_lines
from checker.statements.photo import (
    as_taken_content,
    boxes_on_photos,
    flat_content,
    flattened_content,
)
from checker.statements.reconcile import transaction_findings
from checker.statements.reread import doubtful_rows, reread_amounts, reread_twins
from checker.statements.rows import chronological, looks_like_date, orient_signed
from checker.statements.seams import continues, is_continuation
from checker.statements.table import PageTable, is_money, read_pages
from schemas.catalogue import field_label
from schemas.findings import Code, Finding
from schemas.kinds import DocumentKind
from schemas.layout import Layout
from schemas.reads import Read, Reads
from schemas.statement import BankStatementFields

KIND = DocumentKind.BANK_STATEMENT
FIELDS = BankStatementFields
KEYWORDS = ("交易明细", "流水", "对账单", "账单明细", "余额", "账号", "户名", "交易记录")
# words of a credit card statement: its signed amounts are spending when positive
CARD_WORDS = (
    *("信用卡", "卡号末四位", "卡末四位", "本期应还", "最低还款"),
    *("creditcard", "paymentdue"),
)
POSTING_DATES = ("记账日", "入账日期", "postdate")
REQUIRED = ("account_holder", "period_start")  # a statement cannot be used without these
_PREAMBLE_ROWS = 40  # rows of an export searched for the issuer's name
# a page with transactions but none of these is a later page of a statement sent as files
STATEMENT_HEAD = ("period_start", "opening_balance", "account_holder")
HEADER = RegionOptions(psm=6, languages="chi_sim")  # header, footer read again: Chinese block
FOOTER_LINE = RegionOptions(psm=7, languages="chi_sim")  # a footer's inked line, read alone
FOOTER_LINES = 3  # the footer's first inked lines read one by one when the block read fails
FOOTER_INK = 6  # px: a footer line's ink at least this tall (small print on a photo)
HEADER_METHOD = "ocr_header_chi_sim"
MIN_HEADER_LINES = 3  # lines above the table that make a statement's first page
HEADER_RETRY_CONFIDENCE = 0.80  # a required field read less surely is read again


def detect(content: Content) -> float:
    """0..1: a transaction table with titles is near certain; statement words add up."""
    text = _text(content)
    score = min(0.6, 0.12 * sum(word in text for word in KEYWORDS))
    layout = pick_layout(text)
    if any(read_export(table, layout).rows for table in content.tables):
        return 0.95
    pages = read_pages(list(content.readings), layout) if content.readings else []
    if any(page.rows and page.title_top is not None for page in pages):
        return 0.9  # rows under a row of column titles: a transaction table
    if any(page.rows for page in pages):
        score += 0.35
    return round(min(score, 0.95), 3)


@dataclasses.dataclass
class _Read:
    """A statement's table and header as read from one set of page readings."""

    content: Content
    layout: Layout
    pages: list[PageTable]
    rows: list[dict[str, Any]]
    fields: Reads
    method: str
    flattened: dict[int, Flattened] = dataclasses.field(default_factory=dict)
    certain: bool = False  # every amount column was found by its title

    def __post_init__(self) -> None:
        if self.pages:
            self.certain = all(page.titled for page in self.pages if page.rows)


def _read_fields(content: Content) -> Reads:
    """Header fields, `layout` and `transactions` (one JSON-ready dict per row).

    An OCR read that leaves doubt (a row the balance chain does not carry, a required
    header field lost or unsure) is worked harder: a photographed sheet is flattened and
    read again (or, when it was read flattened first, read as taken:
    `checker.statements.photo`), a first page's header is read again in Chinese
    only, and the amounts the chain doubts are read again as figures
    (`checker.statements.reread`); so are the text cells of rows that may be one transaction
    printed twice (`reread_twins`). Boxes are on the pages as ingested.
    """
    layout = pick_layout(_text(content))
    if content.tables:
        rows, others, certain = _from_tables(content, layout)
        read = _Read(content, layout, [], rows, header_fields(others, layout), "table")
        read.certain = certain
    elif content.flat_reads:
        flat, flattened = flat_content(content)
        read = _read(flat, pick_layout(_text(flat)), flattened)
        doubts = _doubts(read)
        if doubts[0] and (taken := as_taken_content(content)) is not None:
            # rows the chain does not carry: the photo as taken may read them (a header
            # field left unsure is read again below, as taken it reads no better)
            again = _read(taken, pick_layout(_text(taken)))
            read = read if doubts <= _doubts(again) else again
        if doubts != (0, 0):
            _read_again(read)
    else:
        read = _read(content, layout)
        if read.method == "ocr" and _doubts(read) != (0, 0):
            flat, flattened = flattened_content(content)
            if flattened:
                again = _read(flat, pick_layout(_text(flat)), flattened)
                read = again if _doubts(again) <= _doubts(read) else read
            _read_again(read)
    reread_twins(read.rows, read.content.pages, read.content.second_reader)
    return _finish(read)


def _read(content: Content, layout: Layout, flattened: dict[int, Flattened] | None = None) -> _Read:
    pages = read_pages(list(content.readings), layout)
    rows = [row for page in pages for row in page.rows]
    fields = header_fields([line for page in pages for line in page.header_lines], layout)
    return _Read(content, layout, pages, rows, fields, _method(content), flattened or {})


def _doubts(read: _Read) -> tuple[int, int]:
    """How much a read leaves in doubt: rows the balance chain does not carry (1 when no row
    was read at all), and required header fields lost or unsure where the page has a header.
    (0, 0): nothing to read again. A flattened read is kept unless it leaves more doubt than
    the photo as taken."""
    opening = read.fields.get("opening_balance")
    money = parse_money(str(opening.value)) if opening else None
    rows = len(doubtful_rows(read.rows, money)) if read.rows else 1
    return rows, len(_header_doubts(read))


def _header_doubts(read: _Read) -> list[str]:
    """Required fields lost or unsure on a page with a header block (none on a later page)."""
    if not any(len(page.header_lines) >= MIN_HEADER_LINES for page in read.pages):
        return []
    return [
        name
        for name in REQUIRED
        if name not in read.fields
        or (read.fields[name].confidence or 0.0) < HEADER_RETRY_CONFIDENCE
    ]


def _read_again(read: _Read) -> None:
    """The header and the doubtful amounts read again (fields and rows change in place)."""
    _reread_header(read)
    opening = read.fields.get("opening_balance")
    reread_amounts(
        read.rows,
        read.pages,
        read.content.pages,
        read.content.reader,
        opening=parse_money(str(opening.value)) if opening else None,
    )


def _finish(read: _Read) -> Reads:
    """The fields with the printed page number, the layout and the transactions."""
    fields, rows, content, method = read.fields, read.rows, read.content, read.method
    if method != "table":
        printed = page_of(line for reading in content.readings for line in page_lines(reading))
        if printed is None and method == "ocr" and "closing_balance" in fields:
            printed = _reread_footer(rows, content)
        if printed:
            fields["printed_page"] = Read(value=f"{printed[0]}/{printed[1]}", method=method)
    boxes_on_photos(fields, rows, read.flattened)
    opening = fields.get("opening_balance")
    card = _is_card(_text(content), rows)
    if card:
        fields["card"] = Read(value=True, method="layout")
    if chronological(rows):
        fields["newest_first"] = Read(value=True, method="layout")
    orient_signed(rows, parse_money(str(opening.value)) if opening else None, card=card)
    for number, row in enumerate(rows, start=1):
        row["row"] = number
    fields["layout"] = Read(value=read.layout.name, method="layout")
    fields["columns_certain"] = Read(value=read.certain, method="layout")
    if rows and not any(name in fields for name in STATEMENT_HEAD):
        fields["continuation"] = Read(value=True, method="layout")
    fields["transactions"] = Read(
        value=rows,
        page=rows[0].get("page") if rows else None,
        confidence=_lowest_confidence(rows),
        method=method,
    )
    return fields


def _check_reads(fields: Reads, context: CheckContext) -> list[Finding]:
    """Missing fields, the account number, and the transactions against their balances."""
    continuation = is_continuation(fields)
    findings = [
        new_finding(Code.FIELD_UNREADABLE, file=context.file, field=name, label=field_label(name))
        for name in REQUIRED
        if name not in fields and not continuation
    ]
    rows = fields.get("transactions")
    if rows is None or not rows.value:
        label = field_label("transactions")
        return [
            *findings,
            new_finding(
                Code.FIELD_UNREADABLE, file=context.file, field="transactions", label=label
            ),
        ]
    findings += account_findings(fields, context)
    layout = layout_of(fields)
    if continues(fields):
        # the closing balance sums pages that are in other files
        fields = {name: value for name, value in fields.items() if name != "closing_balance"}
    if is_card(fields):
        findings += card_totals(fields, context)
        # a card's balances are what is owed: checked above, not as an account's
        fields = {
            k: v for k, v in fields.items() if k not in ("opening_balance", "closing_balance")
        }
    found = transaction_findings(
        fields, file=context.file, policy=context.policy, unsigned=layout.amounts_non_negative
    )
    findings += unless_too_many_breaks(unless_unsure(found, fields, rows, context), rows, context)
    return findings


def _reread_header(read: _Read) -> None:
    """A required header field lost or unsure on an OCR read: read the header again, in
    Chinese only.

    Labels printed letter-spaced (`户    名`) are read as Latin letters (`P B:`), and names
    as Latin words (`Kem`), when eng is among the languages; read as one block in chi_sim
    the header keeps them. Only a page with a header block (not a later page of a
    statement) is read again; what it finds fills the gaps, and replaces an unsure field
    only when read better.
    """
    doubtful = _header_doubts(read)
    content, fields = read.content, read.fields
    if not doubtful or content.reader is None:
        return
    table = next(page for page in read.pages if len(page.header_lines) >= MIN_HEADER_LINES)
    image = next((page for page in content.pages if page.number == table.page), None)
    if image is None or image.image is None:
        return
    bottoms = [line.box[3] for line in table.header_lines if line.box]
    bottom = table.title_top if table.title_top is not None else max(bottoms, default=0)
    if bottom <= 0:
        return
    box = (0, 0, image.width, min(image.height, bottom))
    try:
        again = read_regions(
            content.reader, image.image, [box], dpi=image.dpi, page=image.number, options=HEADER
        )
    except OcrError:
        return
    for name, value in header_fields(page_lines(again[0]), read.layout).items():
        first = fields.get(name)
        if first is None or (name in doubtful and _better_read(first, value)):
            fields[name] = value.model_copy(update={"method": HEADER_METHOD})


def _reread_footer(rows: list[dict[str, Any]], content: Content) -> tuple[int, int] | None:
    """The printed page number under the table, read again in Chinese only: small grey
    footers (`第 1 页 / 共 4 页`) are often missed on a photo, and they say whether later
    pages (and the rows the closing balance sums) are in other files."""
    last = max((row for row in rows if row.get("box")), key=lambda row: row["page"], default=None)
    if last is None or content.reader is None:
        return None
    page = next((page for page in content.pages if page.number == last["page"]), None)
    bottom = max(
        row["box"][3] for row in rows if row.get("page") == last["page"] and row.get("box")
    )
    if page is None or page.image is None or bottom >= page.height - 1:
        return None
    footer = (0, bottom + 1, page.width, page.height)
    try:
        again = read_regions(
            content.reader, page.image, [footer], dpi=page.dpi, page=page.number, options=HEADER
        )
        printed = page_of(page_lines(again[0]))
        if printed is None:
            # a small footer alone in a tall blank strip: read as a block, it may come out as
            # nothing or another word (国王 for 第 1 页 / 共 4 页); its line cut tight round
            # the ink reads as printed
            lines = ink_lines(page, footer, min_height=FOOTER_INK, ink=grey_ink)[:FOOTER_LINES]
            again = read_regions(
                content.reader,
                page.image,
                lines,
                dpi=page.dpi,
                page=page.number,
                options=FOOTER_LINE,
            )
            printed = page_of(line for reading in again for line in page_lines(reading))
    except OcrError:
        return None
    return printed


def _better_read(first: Read[Any], second: Read[Any]) -> bool:
    """Whether the Chinese-only read beats the first: read more surely, or Chinese where the
    first read only Latin letters (tesseract sometimes gives a CJK word's last character no
    confidence at all, so confidence alone would keep `Kem` over `张佳慧`)."""
    if (second.confidence or 0.0) > (first.confidence or 0.0):
        return True
    return _has_cjk(str(second.value)) and not _has_cjk(str(first.value))


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _from_tables(content: Content, layout: Layout) -> tuple[list[dict[str, Any]], list[Line], bool]:
    """The rows and other lines of every sheet, and whether all rows came from titled columns."""
    rows: list[dict[str, Any]] = []
    others: list[Line] = []
    certain = True
    for table in content.tables:
        export = read_export(table, layout)
        rows += export.rows
        others += export.other_lines
        certain = certain and (not export.rows or bool(export.columns))
    return rows, others, certain


def _text(content: Content) -> str:
    """The text layouts are picked by: the first page above its first transaction, or the
    top of each export above its first transaction (a counterparty such as 支付宝 in a bank's
    rows says nothing about who issued the statement)."""
    parts = []
    for lines in [page_lines(reading) for reading in content.readings[:1]] + [
        table_lines(table)[:_PREAMBLE_ROWS] for table in content.tables
    ]:
        for line in lines:
            if _is_transaction(line):
                break
            parts.append(line.text)
    return "\n".join(parts)


def _is_card(text: str, rows: list[dict[str, Any]]) -> bool:
    """A credit card statement: its words, or no running balance beside a second date
    column (交易日 and 记账日 / 入账日期: a card posts a purchase days after it is made)."""
    compact = "".join(text.split()).lower()
    if any(word in compact for word in CARD_WORDS):
        return True
    return not any(row.get("balance") for row in rows) and any(
        word in compact for word in POSTING_DATES
    )


def _is_transaction(line: Line) -> bool:
    """A line that starts with a date (after a serial number) and holds an amount."""
    texts = [token.text for token in line.tokens if token.text]
    if texts and texts[0].isdigit() and len(texts[0]) <= 4:
        texts = texts[1:]
    return bool(texts) and looks_like_date(texts[0]) and any(is_money(text) for text in texts)


def _method(content: Content) -> str:
    sources = {reading.source for reading in content.readings}
    return sources.pop() if len(sources) == 1 else "mixed"


def _lowest_confidence(rows: list[dict[str, Any]]) -> float | None:
    values = [
        cell["confidence"]
        for row in rows
        for cell in row.get("cells", {}).values()
        if "confidence" in cell
    ]
    return min(values) if values else None


def extract(content: Content) -> BankStatementFields:
    """The fields of the kind, each with where and how it was read."""
    return FIELDS.of(_read_fields(content))


def check(fields: BankStatementFields, context: CheckContext) -> list[Finding]:
    """The checks of the kind on its fields."""
    return _check_reads(fields.reads(), context)
