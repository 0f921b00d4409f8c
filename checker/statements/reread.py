"""Doubtful amounts read a second time: the running balance says which, a digits-only crop
says what; and the text cells that may hide a duplicate.

On an OCR read (a scan, a photo) the balance chain — each balance is the one before it plus
the credit minus the debit — shows which rows were not read right: a row whose chain fails,
one that moved no money, or one with an amount that does not parse. Those rows' amount cells,
and the balance above them that the chain starts from, are read again, each as one line of
figures cut from its column on the row's line (tesseract, eng, digits only), in one reader
call per page. Only rows that need it are read again, so a clean page costs nothing more.

Each cell then holds both reads (`reread`, and `confirmed` when the two agree). Where they
differ, or only one of them is a figure, the chain chooses between the figures actually read:
the combination that leaves fewest failing rows around the row is kept, else the first read.
Nothing is made up to fit: a value is only ever one the reader saw. `reconcile` then tells a
misread from a real break by these marks (see there).

Rows that may be one transaction printed twice (one date, the same amounts) but whose
description or counterparty was read differently, and unsurely in one of them, have those
cells read by the second reader (`reread_twins`): a duplicate is found only on equal text, and
a misread merchant name would hide it.
"""

from __future__ import annotations

import itertools
import logging
import statistics
from collections.abc import Mapping, MutableMapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from checker.document import Box, Page
from checker.ocr import OcrError, Reader, RegionOptions, read_regions, stack_crops
from checker.reading.second_read import agreed_read, line_crop
from checker.statements.rows import repair_amount
from checker.statements.table import PageTable, is_money

logger = logging.getLogger(__name__)

AMOUNT_CELLS = ("debit", "credit", "balance")
DIGITS = RegionOptions(psm=7, languages="eng", whitelist="0123456789.,-")
PAD = 0.5  # of the row's text height, around a cell's crop
WIDEN = 1.15  # a crop is this much wider than the widest figure of its column
MAX_CELLS = 60  # more doubtful cells than this on one page: the read is poor, not a few slips
REREAD_TEXT_HEIGHT = 30  # pixels: figures are enlarged to about this height to be read again
MAX_SCALE = 4
INK = 200  # grey level below which a pixel is ink or ruling (after contrast stretching)
RULING_SHARE = 0.6  # a pixel row this much ink across the crop is a table ruling

Row = MutableMapping[str, Any]
Cell = tuple[int, str]  # row index, column


def reread_amounts(
    rows: Sequence[Row],
    tables: Sequence[PageTable],
    pages: Sequence[Page],
    reader: Reader | None,
    *,
    opening: Decimal | None,
) -> int:
    """Read the doubtful amount cells of OCR rows again and settle each (rows change in place);
    the number of cells read again."""
    if reader is None or not rows:
        return 0
    wanted = _cells_to_read(rows, doubtful_rows(rows, opening))
    images = {page.number: page for page in pages if page.image is not None}
    geometry = {table.page: table for table in tables}
    second: dict[Cell, tuple[str, float, Box]] = {}
    for number, cells in sorted(_by_page(rows, wanted).items()):
        page, table = images.get(number), geometry.get(number)
        if page is None or table is None or len(cells) > MAX_CELLS:
            continue
        located = [(cell, box) for cell in cells if (box := _crop(rows, cell, table, page))]
        if not located or page.image is None:
            continue
        scale = _scale(rows, number)
        sheet, boxes = stack_crops([_clean(page.image, box, scale) for _, box in located])
        try:
            readings = read_regions(
                reader, sheet, boxes, dpi=page.dpi * scale, page=number, options=DIGITS
            )
        except OcrError as error:
            logger.debug("amounts not read again on page %d: %s", number, error)
            continue
        for (cell, box), reading in zip(located, readings, strict=True):
            words = sorted(reading.words, key=lambda word: word.box[0])
            text = "".join(word.text for word in words)
            confidence = min((word.confidence for word in words), default=0.0)
            second[cell] = (text, confidence, box)
    first = {cell: amount(rows[cell[0]], cell[1]) for cell in second}
    for index in sorted({index for index, _ in second}):
        _settle(rows, index, second, opening)
    for cell, read in second.items():
        _mark(rows, cell, first[cell], read)
    return len(second)


def doubtful_rows(rows: Sequence[Mapping[str, Any]], opening: Decimal | None) -> list[int]:
    """OCR rows the balance chain doubts: it fails there, no money moved, an amount does not
    parse or the balance is missing. Only layouts with debit, credit and balance columns."""
    doubtful = []
    for index, row in enumerate(rows):
        if row.get("source") != "ocr" or not {"debit", "credit"} <= set(row):
            continue
        values = [amount(row, column) for column in AMOUNT_CELLS]
        moved = bool(row.get("debit") or row.get("credit"))
        if not moved or None in values or not _holds(rows, index, opening):
            doubtful.append(index)
    return doubtful


def amount(row: Mapping[str, Any], column: str) -> Decimal | None:
    """A cell's value: an empty debit or credit is 0, an empty balance or any unreadable
    text is None."""
    text = str(row.get(column) or "")
    if not text:
        return None if column == "balance" else Decimal(0)
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _holds(rows: Sequence[Mapping[str, Any]], index: int, opening: Decimal | None) -> bool:
    """Whether row `index` continues the balance before it (True when either is unknown)."""
    if not 0 <= index < len(rows):
        return True
    before = opening if index == 0 else amount(rows[index - 1], "balance")
    debit, credit, balance = (amount(rows[index], column) for column in AMOUNT_CELLS)
    if before is None or debit is None or credit is None or balance is None:
        return True
    return before + credit - debit == balance


def _cells_to_read(rows: Sequence[Mapping[str, Any]], doubtful: list[int]) -> list[Cell]:
    """Each doubtful row's amounts and the balance the chain starts from."""
    cells: dict[Cell, None] = {}
    for index in doubtful:
        if index > 0 and rows[index - 1].get("source") == "ocr":
            cells[(index - 1, "balance")] = None
        for column in AMOUNT_CELLS:
            cells[(index, column)] = None
    return list(cells)


def _by_page(rows: Sequence[Mapping[str, Any]], cells: list[Cell]) -> dict[int, list[Cell]]:
    pages: dict[int, list[Cell]] = {}
    for cell in cells:
        page = rows[cell[0]].get("page")
        if isinstance(page, int):
            pages.setdefault(page, []).append(cell)
    return pages


def _crop(
    rows: Sequence[Mapping[str, Any]], cell: Cell, table: PageTable, page: Page
) -> Box | None:
    """Where a cell's figure stands: its column's band (from the right edge the column's
    figures align to) on the row's line (the date cell's height)."""
    index, column = cell
    edge = table.amount_edges.get(column)
    line = _cell_box(rows[index], "date") or rows[index].get("box")
    if edge is None or not line:
        return None
    height = max(line[3] - line[1], 1)
    width = _figure_width(rows, table.page, column) * WIDEN
    left = edge - width - PAD * height
    before = [e for name, e in table.amount_edges.items() if e < edge and name != column]
    if before:
        left = max(left, max(before) + PAD * height)
    box = (
        max(0, round(left)),
        max(0, round(line[1] - PAD * height)),
        min(page.width, round(edge + PAD * height)),
        min(page.height, round(line[3] + PAD * height)),
    )
    return box if box[2] > box[0] and box[3] > box[1] else None


def _scale(rows: Sequence[Mapping[str, Any]], page: int) -> int:
    """How much to enlarge crops so their figures stand about REREAD_TEXT_HEIGHT tall."""
    heights = [
        box[3] - box[1]
        for row in rows
        if row.get("page") == page and (box := _cell_box(row, "date"))
    ]
    height = statistics.median(heights) if heights else REREAD_TEXT_HEIGHT
    return max(1, min(MAX_SCALE, round(REREAD_TEXT_HEIGHT / max(height, 1))))


def _clean(image: Image.Image, box: Box, scale: int) -> Image.Image:
    """A crop in grey, contrast stretched, table rulings whited out, enlarged `scale` times.

    A ruling at the crop's edge (the line between two rows) made tesseract read nothing at
    all, and a small decimal point was lost at 150 DPI: both measured on phone photos.
    """
    grey = ImageOps.autocontrast(image.crop(box).convert("L"), cutoff=1)
    pixels = np.asarray(grey).copy()
    ruling = (pixels < INK).mean(axis=1) > RULING_SHARE
    pixels[ruling] = 255
    cleaned = Image.fromarray(pixels)
    size = (cleaned.width * scale, cleaned.height * scale)
    return cleaned.resize(size, Image.Resampling.LANCZOS)


def _figure_width(rows: Sequence[Mapping[str, Any]], page: int, column: str) -> float:
    """The widest figure of the column on the page (of any amount column when it has none)."""
    widths: dict[str, list[int]] = {}
    for row in rows:
        if row.get("page") != page:
            continue
        for name in AMOUNT_CELLS:
            box = _cell_box(row, name)
            if box and is_money(str(row.get("cells", {}).get(name, {}).get("raw", ""))):
                widths.setdefault(name, []).append(box[2] - box[0])
    own = widths.get(column) or [width for values in widths.values() for width in values]
    return float(max(own)) if own else 0.0


def _cell_box(row: Mapping[str, Any], column: str) -> list[int] | None:
    box = row.get("cells", {}).get(column, {}).get("box")
    return list(box) if box else None


def second_value(text: str) -> Decimal | None:
    """The figure a digits-only crop holds, or None when it is not exactly one amount."""
    text = repair_amount(text.replace(" ", ""))
    if not is_money(text):
        return None
    try:
        return abs(Decimal(text.replace(",", "")))
    except InvalidOperation:
        return None


def _settle(
    rows: Sequence[Row],
    index: int,
    second: Mapping[Cell, tuple[str, float, Box]],
    opening: Decimal | None,
) -> None:
    """Choose, for the cells of row `index` read twice, the reads that leave fewest failing
    rows around it (fewest changes from the first read on a tie); an empty first read takes
    the second one."""
    cells = [cell for cell in _cells_to_read(rows, [index]) if cell in second]
    if not cells:
        return
    options: list[list[str]] = []
    for cell in cells:
        first = str(rows[cell[0]].get(cell[1]) or "")
        value = second_value(second[cell][0])
        choices = [first]
        if value is not None and amount(rows[cell[0]], cell[1]) != value:
            choices.append(f"{value:.2f}")
        if not first or amount(rows[cell[0]], cell[1]) is None:
            choices.reverse()  # nothing usable read first: the second read is preferred
        options.append(choices)
    preferred = [choices[0] for choices in options]
    best, best_score = preferred, None
    for combination in itertools.product(*options):
        _assign(rows, cells, combination)
        failing = sum(not _holds(rows, row, opening) for row in (index - 1, index, index + 1))
        changes = sum(value != wanted for value, wanted in zip(combination, preferred, strict=True))
        if best_score is None or (failing, changes) < best_score:
            best, best_score = list(combination), (failing, changes)
    _assign(rows, cells, best)


def _assign(rows: Sequence[Row], cells: Sequence[Cell], values: Sequence[str]) -> None:
    for (index, column), value in zip(cells, values, strict=True):
        rows[index][column] = value


def _mark(
    rows: Sequence[Row], cell: Cell, first: Decimal | None, read: tuple[str, float, Box]
) -> None:
    """Keep both reads in the cell's provenance; `confirmed` when they give one figure (or
    both saw an empty cell). A value only the second read saw takes its box and confidence."""
    index, column = cell
    text, confidence, box = read
    row = rows[index]
    entry = dict(row.setdefault("cells", {}).get(column, {}))
    value = second_value(text)
    empty_first = not entry.get("raw")
    if empty_first:
        agree = not any(char.isdigit() for char in text)  # dashes are how empty cells print
    else:
        agree = value is not None and first is not None and value == abs(first)
    entry.update(reread=text, reread_confidence=round(confidence, 3), confirmed=agree)
    if empty_first and row.get(column):
        entry.update(method="reread", box=list(box), confidence=round(confidence, 3))
    row["cells"][column] = entry


TEXT_CELLS = ("description", "counterparty")
TWIN_UNSURE = 0.6  # a text cell read less sure than this may hide that two rows are one


def reread_twins(rows: Sequence[Row], pages: Sequence[Page], reader: Reader | None) -> int:
    """Text cells of rows that may be one transaction printed twice, read again by the second
    reader: rows of one date and the same amounts whose description or counterparty was read
    differently, and unsurely in at least one of them (a merchant's name read as `MEHTA`, 0.49
    sure, on a scan whose other copy of the row read it right). A cell takes what two crops of
    it agree on, surely (`agreed_read`); the rows change in place. The number of cells read."""
    if reader is None:
        return 0
    images = {page.number: page for page in pages if page.image is not None}
    same_money: dict[tuple[Any, ...], list[int]] = {}
    for index, row in enumerate(rows):
        if row.get("source") == "ocr" and (row.get("debit") or row.get("credit")):
            key = (row.get("date"), row.get("debit"), row.get("credit"))
            same_money.setdefault(key, []).append(index)
    unsure = {
        (index, column)
        for twins in same_money.values()
        if len(twins) > 1
        for column in TEXT_CELLS
        if len({rows[index].get(column) for index in twins}) > 1
        for index in twins
        if _confidence(rows[index], column) < TWIN_UNSURE
    }
    for index, column in sorted(unsure):
        row = rows[index]
        page, box = images.get(int(row.get("page") or 0)), _cell_box(row, column)
        if page is None or page.image is None or not box:
            continue
        height = max(box[3] - box[1], 1)
        regions = [_padded(box, height, pad, page) for pad in (0.2, 0.6)]
        agreed = agreed_read(
            reader,
            page.image,
            regions,
            text_height=height,
            dpi=page.dpi,
            page=page.number,
            parse=lambda text: "".join(text.split()) or None,
            prepare=line_crop,
        )
        if agreed is None:
            continue
        entry = dict(row.setdefault("cells", {}).get(column, {}))
        first = "".join(str(entry.get("raw", "")).split())
        entry.update(
            reread=agreed.text,
            reread_confidence=round(agreed.confidence, 3),
            confirmed=agreed.value == first,
        )
        row[column] = agreed.value
        row["cells"][column] = entry
    return len(unsure)


def _confidence(row: Mapping[str, Any], column: str) -> float:
    confidence = row.get("cells", {}).get(column, {}).get("confidence")
    return float(confidence) if confidence is not None else 1.0


def _padded(box: list[int], height: int, pad: float, page: Page) -> Box:
    margin = round(pad * height)
    return (
        max(0, box[0] - margin),
        max(0, box[1] - margin // 2),
        min(page.width, box[2] + margin),
        min(page.height, box[3] + margin // 2),
    )
