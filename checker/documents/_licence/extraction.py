"""Reading a licence: its labelled cells on the first page (`cells`), each value parsed for its
field (`values`), and, on an image where the page reader left a field unread or unsure, the
whole page read once by the second reader and the two reads put together field by field."""

from __future__ import annotations

from typing import Any

from checker.document import Reading
from checker.documents import Content
from checker.documents._licence.cells import (
    Cell,
    Row,
    field_labels,
    fold,
    labelled_cells,
    labelled_rows,
    rows_of,
    unlabelled_lead,
)
from checker.documents._licence.values import (
    AUTHORITY,
    AUTHORITY_STEM,
    BROKEN_DATE,
    BUSINESS_NAME,
    ENTITY_TYPE,
    USCC_SHAPE,
    brackets,
    capital_amount,
    date_value,
    term_value,
    text_value,
    uscc_text,
    valid_uscc,
)
from checker.ocr import OcrError
from schemas.reads import Read, Reads

TITLE = "营业执照"
CLEAR = 0.80  # a value read at least this sure is taken as read
TEXT_FIELDS = ("name", "type", "representative", "address", "registration_authority")
# labels whose presence says a page is a licence (besides its title)
EVIDENCE = ("uscc", "name", "type", "representative", "established", "term", "address", "scope")


def detect(content: Content) -> float:
    """0..1: 0.45 for the title 营业执照 on the first page, 0.55 for its labels (five of
    `EVIDENCE` found: all of it), so that the labels alone, the title lost, still pass 0.5."""
    if not content.readings or content.tables:
        return 0.0
    text = fold("".join(word.text for word in content.readings[0].words))
    labels = field_labels()
    found = sum(any(label in text for label in labels[field]) for field in EVIDENCE)
    body = min(1.0, found / 5)
    title = 1.0 if TITLE in text else 0.0
    return round(0.45 * title + 0.55 * body, 3)


def _read(
    value: object, cell: Cell | None, page: int, method: str, raw: str | None = None
) -> Read[Any]:
    """A field's read from its cell: `not_found` without one, `unread` when the value printed
    there failed its check (its text kept as `raw`)."""
    if cell is None:
        return Read(value=None, page=page, method="not_found")
    return Read(
        value=value,
        confidence=round(cell.confidence, 3),
        page=page,
        box=cell.box,
        raw=raw if raw is not None else cell.text,
        method=method if value is not None else "unread",
    )


def read_fields(reading: Reading) -> Reads:
    """Every licence field from one page reading (a field not found: value None)."""
    rows = rows_of(reading.words)
    cells = labelled_cells(rows)
    cells.update(shaped_cells(rows, cells))
    page, method = reading.page, reading.source
    fields: Reads = {}
    uscc = cells.get("uscc")
    code = uscc_text(uscc.text) if uscc is not None else None
    if uscc is None or code is None or not valid_uscc(code):
        uscc, code = _uscc_anywhere(rows, cells) or (uscc, code)
    fields["uscc"] = _read(code if code and valid_uscc(code) else None, uscc, page, method, code)
    for field in TEXT_FIELDS:
        cell = cells.get(field)
        fields[field] = _read(text_value(field, cell.text) if cell else None, cell, page, method)
    person = cells.get("representative")
    fields["representative_label"] = _label_read(person, fields["representative"], page, method)
    capital = cells.get("registered_capital")
    printed = text_value("registered_capital", capital.text) if capital else None
    fields["registered_capital"] = _read(printed, capital, page, method)
    amount = capital_amount(printed) if printed else None
    fields["registered_capital_amount"] = _read(amount, capital, page, "parsed")
    established = cells.get("established")
    date = date_value(established.text)[0] if established else None
    fields["established"] = _read(date, established, page, method)
    fields.update(_term(cells.get("term"), page, method))
    fields["issue_date"] = _issue_date(rows, cells, page, method)
    return fields


def _label_read(cell: Cell | None, person: Read[Any], page: int, method: str) -> Read[Any]:
    """The label printed over the person (法定代表人, 经营者 …), where the person was read."""
    if cell is None or person.value is None:
        return Read(value=None, page=page, method="not_found")
    return Read(
        value=cell.label,
        confidence=person.confidence,
        page=page,
        box=cell.label_box,
        raw=cell.label,
        method=method,
    )


def shaped_cells(rows: list[Row], cells: dict[str, Cell]) -> dict[str, Cell]:
    """The type, the business name and the authority where their labels were not read (lost
    to the seal, or to a spaced font): text with no label before it that has their shape,
    the type and name above the business scope, the authority below it. An authority that
    nothing below the scope has the whole shape of is where a row holds what the seal's ink
    left of one (`AUTHORITY_STEM`): a cell whose value fails its check, for the second reader
    to read under the seal (`sealed`), never a value as it is."""
    scope = cells["scope"].row if "scope" in cells else len(rows)
    leads = [unlabelled_lead(row) for row in rows]
    below_scope = list(reversed(range(scope + 1, len(rows))))
    found: dict[str, Cell] = {}
    for field, shape, indexes in (
        ("type", ENTITY_TYPE, range(scope)),
        ("name", BUSINESS_NAME, range(scope)),
        ("registration_authority", AUTHORITY, below_scope),
    ):
        if field in cells:
            continue
        for index in indexes:
            text, words = leads[index]
            taken = any(cell.row == index for cell in found.values())  # the type, found first
            if taken or not words or TITLE in text or not shape.fullmatch(brackets(text)):
                continue
            if field == "name" and ENTITY_TYPE.fullmatch(brackets(text)):
                continue
            label = field_labels()[field][0]
            found[field] = Cell(field, label, index, text, words, rows[index].box)
            break
    if "registration_authority" not in cells and "registration_authority" not in found:
        for index in below_scope:
            text, words = leads[index]
            if words and AUTHORITY_STEM.search(text) and date_value(text)[0] is None:
                label = field_labels()["registration_authority"][0]
                cell = Cell("registration_authority", label, index, text, words, rows[index].box)
                found["registration_authority"] = cell
                break
    return found


def _uscc_anywhere(rows: list[Row], cells: dict[str, Cell]) -> tuple[Cell, str] | None:
    """A valid code printed anywhere on the page (its label lost, or above its code)."""
    for index, row in enumerate(rows):
        for match in USCC_SHAPE.finditer(row.text.upper()):
            if valid_uscc(match.group(0)):
                words = row.words_of(match.start(), match.end())
                label = cells["uscc"].label if "uscc" in cells else "统一社会信用代码"
                return Cell("uscc", label, index, match.group(0), words, row.box), match.group(0)
    return None


def _term(cell: Cell | None, page: int, method: str) -> Reads:
    """营业期限 as three fields: from, until (not printed on a 长期 term) and long term."""
    parsed = term_value(cell.text) if cell is not None else None
    if parsed is None:
        unread = _read(None, cell, page, method)
        return {"valid_from": unread, "valid_until": unread, "long_term": unread}
    start, until, long_term = parsed
    return {
        "valid_from": _read(start, cell, page, method) if start else _empty(cell, page),
        "valid_until": _read(until, cell, page, method) if until else _empty(cell, page),
        "long_term": _read(long_term, cell, page, method),
    }


def _empty(cell: Cell | None, page: int) -> Read[Any]:
    """A part of the term the licence does not print (no end date on a 长期 term)."""
    return Read(value=None, page=page, box=cell.box if cell else None, method="not_printed")


def _issue_date(rows: list[Row], cells: dict[str, Cell], page: int, method: str) -> Read[Any]:
    """The date under the 登记机关 label (or, with no such label read, the last date on the
    page outside the labelled rows). A date the seal's ink broke (`2009年110月31日`) is where
    the issue date stands: unread, for the second reader to read under the seal (`sealed`),
    not passed over for an earlier date."""
    authority = cells.get("registration_authority")
    if authority is not None:
        candidates = list(range(authority.row, min(len(rows), authority.row + 4)))
    else:
        labelled = labelled_rows(rows)
        candidates = [index for index in reversed(range(len(rows))) if index not in labelled]
    for index in candidates:
        row = rows[index]
        date, text = date_value(row.text)
        broken = BROKEN_DATE.search(row.text) if date is None else None
        if date is None and broken is None:
            continue
        text = broken.group(0) if broken is not None else text
        start = row.text.find(text)
        words = row.words_of(start, start + len(text)) if start >= 0 else row.words
        return _read(
            date, Cell("issue_date", "登记机关", index, text, words, row.box), page, method
        )
    return Read(value=None, page=page, method="not_found")


# ----------------------------------------------------------------------------- two readings


def needs_second_read(fields: Reads) -> bool:
    """Whether a field the licence prints was left unread or unsure."""
    return any(
        read.method == "unread" or (read.value is not None and (read.confidence or 0.0) < CLEAR)
        for read in fields.values()
    ) or any(fields[field].value is None for field in ("uscc", "name", "representative"))


def with_second_read(content: Content, first: Reads) -> Reads:
    """`first` (the page reader's fields) put together with the second reader's read of the
    page, when the page is an image read by another engine and a field needs it."""
    reader, reading = content.second_reader, content.readings[0]
    page = next((p for p in content.pages if p.number == reading.page), None)
    if reader is None or page is None or page.image is None or reading.source == "text_layer":
        return first
    if reading.engine.startswith(reader.name) or not needs_second_read(first):
        return first
    try:
        second = read_fields(reader.read(page.image, dpi=page.dpi, page=page.number))
    except OcrError:
        return first
    return {field: merged(first[field], second[field]) for field in first}


def merged(first: Read[Any], second: Read[Any]) -> Read[Any]:
    """The surer of two reads of a field: the same value from both engines is sure; a value
    only one read has, or a surer one, is taken with its own confidence."""
    if second.value is None:
        if first.value is None and first.raw and first.raw == second.raw:  # the same misprint
            sure = max(first.confidence or 0.0, second.confidence or 0.0, CLEAR)
            return first.model_copy(update={"confidence": sure, "method": "confirmed"})
        if first.method == "not_found" and second.method == "unread":  # where it stands
            return second
        return first
    if first.value is None:
        return second.model_copy(update={"method": "second_reader"})
    sure = max(first.confidence or 0.0, second.confidence or 0.0)
    if first.value == second.value:
        return first.model_copy(update={"confidence": max(sure, CLEAR), "method": "confirmed"})
    if (second.confidence or 0.0) > (first.confidence or 0.0):
        return second.model_copy(update={"method": "second_reader"})
    return first
