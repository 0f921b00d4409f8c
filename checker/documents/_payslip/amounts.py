"""A payslip's amounts, found two ways in any layout: as label–amount pairs along a line (a
vertical list, two columns of items, an English slip), and under a header row of labels (a
landscape one-row table, one row per month when a sheet holds several)."""

from __future__ import annotations

import dataclasses
import itertools
import re
from decimal import Decimal
from typing import Any

from checker.document import Box, Word
from checker.documents._certificate.fields import AMOUNT_SHAPE, CJK, CLEAR
from checker.documents._payslip.fields import HEADER_FIELDS, TOTALS, label_field
from checker.parse import parse_money
from checker.rows.lines import Line, box_of, plain
from checker.rows.tables import cells_of
from schemas.reads import Read, Reads

MAX_UNLABELLED = 12  # amounts under unknown labels tried as deduction items (2^12 sets)
CELL_PERIOD = re.compile(r"(\d{4})[-./年](\d{1,2})月?")


def amount_pairs(line: Line) -> list[tuple[str, Word]]:
    """(label, amount word) pairs along a line: each amount with the text before it. An
    amount printed as a deduction, in brackets or after a minus sign ((2,392.00), -2,392.00),
    is its figure (a bracket read apart from it, `( 2,990.00)`, is left in the label)."""
    pairs, label = [], ""
    for word in line.words:
        figure = _figure(word.text)
        if figure is not None:
            pairs.append((plain(label), dataclasses.replace(word, text=figure)))
            label = ""
        elif word.text not in "|｜":
            label += word.text
    return pairs


def _figure(text: str) -> str | None:
    """The amount a word prints, without a deduction's brackets or minus sign; None when the
    word is no amount."""
    figure = text.replace("，", ",").strip("()（）").removeprefix("-").removeprefix("−")
    return figure if AMOUNT_SHAPE.fullmatch(figure) else None


def _amount_field(word: Word, page: int, label: str) -> Read[Any]:
    amount = parse_money(word.text)
    return Read(
        value=str(amount) if amount is not None else None,
        confidence=round(word.confidence, 3),
        page=page,
        box=word.box,
        raw=f"{label} {word.text}",
        method="ocr",
    )


def pair_fields(lines: list[Line], page: int) -> Reads:
    """Totals and deductions from label–amount pairs along the lines."""
    fields: Reads = {}
    deductions: list[dict[str, Any]] = []
    confidences: list[float] = []
    unlabelled: list[tuple[str, Word]] = []
    for line in lines:
        for label, word in amount_pairs(line):
            match = label_field(label)
            if match is None:
                unlabelled.append((label, word))
                continue
            field, variant = match
            if field in TOTALS:
                fields.setdefault(field, _amount_field(word, page, label))
            elif field == "deduction_items":
                amount = parse_money(word.text)
                if amount is not None:
                    deductions.append({"name": variant, "amount": str(amount), "box": word.box})
                    confidences.append(word.confidence)
    for label, word in _making_up_the_total(fields, deductions, unlabelled):
        deductions.append({"name": label, "amount": str(parse_money(word.text)), "box": word.box})
        confidences.append(word.confidence)
    fields["deductions"] = _deductions(deductions, confidences, page)
    total = money(fields, "deductions_total")
    listed = sum((Decimal(item["amount"]) for item in deductions), Decimal(0))
    if deductions and unlabelled and total is not None and listed < total:
        # short of the total with amounts under unknown labels left: an item may be among
        # them, read too broken to make up the rest, so the items' sum settles nothing
        unsure = min(fields["deductions"].confidence or 0.0, CLEAR - 0.01)
        fields["deductions"] = fields["deductions"].model_copy(update={"confidence": unsure})
    return fields


def _making_up_the_total(
    fields: Reads, deductions: list[dict[str, Any]], unlabelled: list[tuple[str, Word]]
) -> list[tuple[str, Word]]:
    """The amounts under labels not known as deductions (Staff Housing Scheme, a levy of
    another country) that make up, exactly and in one way only, what the known deductions
    fall short of the printed total: items of the slip, not a sign that one was altered.
    Nothing when no such set, or more than one of the fewest, is there."""
    total = money(fields, "deductions_total")
    listed = sum((Decimal(item["amount"]) for item in deductions), Decimal(0))
    totals = {money(fields, name) for name in TOTALS}
    candidates = [
        (label, word)
        for label, word in unlabelled
        if label and parse_money(word.text) not in totals
    ][:MAX_UNLABELLED]
    if total is None or listed >= total or not candidates:
        return []
    for size in range(1, len(candidates) + 1):
        found = [
            chosen
            for chosen in itertools.combinations(candidates, size)
            if sum(parse_money(word.text) or Decimal(0) for _, word in chosen) == total - listed
        ]
        if found:
            return list(found[0]) if len(found) == 1 else []
    return []


def _deductions(items: list[dict[str, Any]], confidences: list[float], page: int) -> Read[Any]:
    return Read(
        value=[{"name": item["name"], "amount": item["amount"]} for item in items],
        confidence=round(min(confidences), 3) if confidences else None,
        page=page,
        box=box_of_boxes([item["box"] for item in items]),
        method="ocr",
    )


def header_table(lines: list[Line], page: int) -> list[Reads]:
    """The rows under a header row of labels (at least three, one a total), each amount
    taken by the header cell it stands under; one dict of fields per row (month)."""
    for index, line in enumerate(lines):
        if any(AMOUNT_SHAPE.fullmatch(word.text.replace("，", ",")) for word in line.words):
            continue
        heads = []
        for cell in _header_cells(line):
            text = "".join(word.text for word in cell)
            match = label_field(text, HEADER_FIELDS)
            if match is not None:
                heads.append((box_of(cell), *match, text))
        if len(heads) < 3 or not any(head[1] in TOTALS for head in heads):
            continue
        return [
            row for row in (_table_row(heads, data, page) for data in lines[index + 1 :]) if row
        ]
    return []


def _header_cells(line: Line) -> list[tuple[Word, ...]]:
    """The header row's cells, where two neighbours that are no label alone make one together
    (扣款 | 合计: a label read with a wide gap)."""
    cells = _split_labels(cells_of(line))
    merged: list[tuple[Word, ...]] = []
    for cell in cells:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and not _is_label(previous)
            and not _is_label(cell)
            and _is_label((*previous, *cell))
        ):
            merged[-1] = (*previous, *cell)
            continue
        merged.append(cell)
    return merged


def _is_label(cell: tuple[Word, ...]) -> bool:
    return _is_label_text("".join(word.text for word in cell))


def _is_label_text(text: str) -> bool:
    return label_field(text, HEADER_FIELDS) is not None


def _is_amount(text: str) -> bool:
    return AMOUNT_SHAPE.fullmatch(text.replace("，", ",")) is not None


def _split_labels(cells: list[tuple[Word, ...]]) -> list[tuple[Word, ...]]:
    """The header's cells, except that one of two or more words each a label on its own is a
    cell per word: on a small photo of a wide table the gap between two columns can be less
    than a text height, which `cells_of` takes for one cell."""
    split: list[tuple[Word, ...]] = []
    for cell in cells:
        if len(cell) > 1 and all(_is_label_text(word.text) for word in cell):
            split.extend((word,) for word in cell)
        else:
            split.append(cell)
    return split


def _split_amounts(cells: list[tuple[Word, ...]]) -> list[tuple[Word, ...]]:
    """A data row's cells, each amount a cell of its own (an amount is a whole cell's value:
    two joined were two columns read closer than a text height)."""
    split: list[tuple[Word, ...]] = []
    for cell in cells:
        run: list[Word] = []
        for word in cell:
            if _is_amount(word.text):
                split.extend([tuple(run), (word,)] if run else [(word,)])
                run = []
            else:
                run.append(word)
        if run:
            split.append(tuple(run))
    return split


def _table_row(heads: list[tuple[Box, str, str, str]], line: Line, page: int) -> Reads | None:
    """One data row's fields: each cell under the header cell it overlaps most."""
    cells = _split_amounts(cells_of(line))
    amounts = sum(
        AMOUNT_SHAPE.fullmatch("".join(w.text for w in cell).replace("，", ",")) is not None
        for cell in cells
    )
    if amounts < 3:
        return None
    row: Reads = {}
    deductions, confidences = [], []
    for cell in cells:
        box, text = box_of(cell), "".join(word.text for word in cell)
        head = max(heads, key=lambda head: _overlap(box, head[0]))
        if _overlap(box, head[0]) <= 0:
            continue
        _, field, variant, label = head
        word = Word(text, box, min(w.confidence for w in cell), cell[0].line)
        if field in TOTALS and AMOUNT_SHAPE.fullmatch(text.replace("，", ",")):
            row[field] = _amount_field(word, page, label)
        elif field == "deduction_items" and AMOUNT_SHAPE.fullmatch(text.replace("，", ",")):
            amount = parse_money(text)
            if amount is not None:
                deductions.append({"name": variant, "amount": str(amount), "box": box})
                confidences.append(word.confidence)
        elif field == "pay_period" and (match := CELL_PERIOD.fullmatch(plain(text))):
            if 1 <= int(match[2]) <= 12:
                row[field] = Read(
                    value=f"{match[1]}-{int(match[2]):02d}", confidence=word.confidence,
                    page=page, box=box, raw=text, method="table",
                )  # fmt: skip
        elif field == "employee_name" and CJK.match(plain(text)) and 2 <= len(plain(text)) <= 4:
            row[field] = Read(
                value=plain(text), confidence=word.confidence, page=page, box=box, raw=text,
                method="table",
            )  # fmt: skip
    row["deductions"] = _deductions(deductions, confidences, page)
    return row


def _overlap(box: tuple[int, int, int, int], other: tuple[int, int, int, int]) -> int:
    return min(box[2], other[2]) - max(box[0], other[0])


def box_of_boxes(boxes: list[Box]) -> tuple[int, int, int, int] | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def money(fields: Reads, name: str) -> Decimal | None:
    field = fields.get(name)
    return parse_money(str(field.value)) if field is not None and field.value else None
