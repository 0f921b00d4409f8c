"""The ID card front read by its layout, where reading by the labels failed a field.

The 18-digit number is the anchor: tesseract reads it reliably and the other fields stand at
fixed places relative to it on every card (`ROWS`, in units of the number's width). Each field
is first taken from the page reading; one that fails its own check (a name of 2-4 Chinese
characters, 男/女, a known ethnicity, a real date agreeing with the number, a confident address)
is read again as a single-line crop in Chinese only, all such crops in one tesseract call.
A field still unread goes to the second reader (`Front.second_read`), taken only where two
crops of its line agree.
"""

from __future__ import annotations

import re
from typing import Any

from checker.document import Box, Page, Reading, Word
from checker.documents import Content
from checker.documents._cn_id import (
    CHINESE,
    ID_DIGITS,
    SECOND_READER,
    Frame,
    Row,
    agreed_line,
    band_line,
    clear_of_sides,
    crops_of_line,
    cut_across,
    is_clean,
    lines_of,
    padded,
    reread,
    value,
    words_in,
)
from checker.documents._cn_id_front_parse import (
    NUMBER,
    SECOND_PARSERS,
    address_line,
    parse_address,
    parse_birth,
    parse_ethnicity,
    parse_name,
)
from checker.labelled import union
from checker.reading.ink import ink_lines, inked_lines
from schemas.identity import (
    IdNumberProblem,
    id_birth_date,
    id_number_problem,
    id_sex,
    normalise_id_number,
)
from schemas.reads import Read, Reads

# The card's layout in widths of the number, from its left edge and vertical centre.
ROWS = (
    Row("name", y=-0.755, x0=-0.24, x1=0.45),
    Row("sex", y=-0.625, x0=-0.24, x1=0.45),
    Row("birth_date", y=-0.495, x0=-0.24, x1=0.45),
    Row("address", y=-0.36, x0=-0.24, x1=0.50, half_height=0.035, lines=3),
)
ROW_OF = {row.field: row for row in ROWS} | {"ethnicity": ROWS[1]}  # ethnicity: sex's line
# fields read by the second reader when tesseract left them unread, the number first (the
# birth date and sex read are held to it)
SECOND_READ_FIELDS = ("id_number", "name", "sex", "ethnicity", "birth_date", "address")
SECOND_READ_MARGIN = 0.025  # a row's band grown by this (anchor widths) to find its ink line
ROW_PITCH = 0.13  # from one row's line to the next (anchor widths)
# A card with no number read: where the number stands on a card that fills the page.
PAGE_FRAME = (0.30, 0.87, 0.60)  # left, middle (shares of width / height), unit (of width)
Found = tuple[object, list[Word]]  # a parsed value and the words it was read from


def _find_number(reading: Reading) -> tuple[str, list[Word]] | None:
    """The 18-character number on the page and the words it was read from."""
    best = None
    for line in lines_of(reading.words):
        digit_words = [w for w in line.words if re.search(r"\d", w.text)]
        text = normalise_id_number("".join(w.text for w in digit_words))
        match = NUMBER.search(text)
        if match:
            return match.group(), digit_words
        if len(text) >= 15 and (best is None or len(text) > len(best[0])):
            best = (text, digit_words)
    return best


def _frame(number_words: list[Word] | None, page: Page) -> Frame:
    if number_words:
        left, top, right, bottom = union(w.box for w in number_words)
        return Frame(left=left, middle=(top + bottom) / 2, unit=max(1, right - left))
    x, y, unit = PAGE_FRAME
    return Frame(left=x * page.width, middle=y * page.height, unit=unit * page.width)


def _sex_row(words: list[Word]) -> tuple[Found | None, Found | None]:
    """Sex and ethnicity from the words of their shared line (the label 民族 between them)."""
    label = next((i for i, w in enumerate(words) if "族" in w.text), None)
    before = words if label is None else words[:label]
    sex = next(((m.group(), [w]) for w in before if (m := re.search("[男女]", w.text))), None)
    if label is None:
        after = words[1:]
        tail = "".join(w.text for w in after)
    else:
        after = words[label:]
        tail = "".join(w.text for w in after).split("族", 1)[1]
        if not words[label].text.split("族", 1)[1]:
            after = after[1:]
    ethnicity = parse_ethnicity(tail)
    return sex, ((ethnicity, after) if ethnicity and after else None)


class Front:
    """One front page being read: the page words per row, then crops for what failed."""

    def __init__(self, content: Content, reading: Reading, page: Page | None) -> None:
        self.content, self.reading, self.page = content, reading, page
        self.number_read = _find_number(reading)
        self.frame = _frame(self.number_read[1] if self.number_read else None, self._page())
        self.fields: Reads = {}

    def _page(self) -> Page:
        if self.page is not None:
            return self.page
        width = max((w.box[2] for w in self.reading.words), default=1)
        height = max((w.box[3] for w in self.reading.words), default=1)
        return Page(number=self.reading.page, width=width, height=height, dpi=300)

    def row_words(self, row: Row) -> list[Word]:
        return words_in(self.reading, self.frame, row, tolerance=0.03)

    def row_box(self, row: Row, words: list[Word]) -> Box:
        """The crop for a row: the words' lines if read, else the layout's band."""
        page = self._page()
        band = self.frame.box(
            row.x0, row.y - row.half_height, row.x1, row.y + row.half_height, page
        )
        if not words:
            return padded(band, page, pad_x=0, pad_y=0.4)
        found = padded(union(w.box for w in words), page, pad_x=0, pad_y=0.3)
        return (band[0], found[1], max(band[2], found[2]), found[3])

    def number_value(self) -> Read[Any]:
        page_number = self.reading.page
        if self.number_read is None:
            return Read(value=None, confidence=0.0, page=page_number, method="missing")
        text, words = self.number_read
        return value(text, words, page=page_number, method="ocr")

    def extract(self) -> Reads:
        number = self.number_value()
        self.fields["id_number"] = self.confirm_number(number)
        self._read_text_fields()
        if self.content.second_reader is not None:
            for field in SECOND_READ_FIELDS:
                if _unread(field, self.fields[field]):
                    self.fields[field] = self.second_read(field) or self.fields[field]
        return self.fields

    # the second reader, for what tesseract left unread
    def second_read(self, field: str) -> Read[Any] | None:
        """`field` as the second reader's crops of its line agree on it, or None. A birth date
        or sex that differs from the one a valid number encodes is not taken: a misread would
        be a false mismatch, and unread the field still asks for a look."""
        if self.page is None or self.page.image is None:
            return None
        if field == "address":
            return self._second_address(self.page)
        if field == "id_number":
            band = self.frame.box(-0.08, -0.08, 1.08, 0.08, self.page)
        else:
            row = ROW_OF[field]
            margin = row.half_height + SECOND_READ_MARGIN
            band = self.frame.box(row.x0, row.y - margin, row.x1, row.y + margin, self.page)
        line = band_line(self.page, band, min_height=self._min_ink())
        if line is None or (field != "id_number" and not self._in_row(line, field)):
            return None
        crops = crops_of_line(line, self.page)
        found = agreed_line(self.content, self.page, crops, SECOND_PARSERS[field])
        if found is None or not self._fits_number(field, found.value):
            return None
        return found

    def _second_address(self, page: Page) -> Read[Any] | None:
        """Each inked line of the address band agreed on by its crops, joined; None unless
        every line is."""
        band = self._address_band(page)
        found = inked_lines(page, band, min_height=self._min_ink())
        if not 0 < len(found) <= ROW_OF["address"].lines:
            return None  # more lines than an address has: something else is in the band
        if any(cut_across(line, band) for line in found) or not self._in_row(found[0], "address"):
            return None
        lines = [line for line in (clear_of_sides(page, band, line) for line in found) if line]
        reads = [
            agreed_line(self.content, page, crops_of_line(line, page), address_line)
            for line in lines
        ]
        agreed = [read for read in reads if read is not None]
        if len(agreed) < len(found):
            return None
        address = parse_address("".join(str(read.value) for read in agreed))
        if address is None:
            return None
        return Read(
            value=address,
            confidence=min(read.confidence or 0.0 for read in agreed),
            page=page.number,
            box=union(lines),
            raw=" ".join(read.raw or "" for read in agreed),
            method=SECOND_READER,
        )

    def _fits_number(self, field: str, found: object) -> bool:
        number = self.fields.get("id_number")
        if number is None or not number.value or id_number_problem(number.value) is not None:
            return True
        if field == "birth_date":
            return found == id_birth_date(number.value)
        if field == "sex":
            return found == id_sex(number.value)
        return True

    def _in_row(self, line: Box, field: str) -> bool:
        """Whether a line found for `field` stands nearer its row's place than a neighbour's
        (on a photo taken at a slant the rows drift from the layout)."""
        row = ROW_OF[field]
        return abs(self.frame.relative(line)[1] - row.y) <= ROW_PITCH / 2

    def _min_ink(self) -> int:
        """The least height of an ink line worth reading (px)."""
        return max(6, round(0.02 * self.frame.unit))

    def _address_band(self, page: Page) -> Box:
        row = ROW_OF["address"]
        top = row.y - row.half_height - 0.03
        bottom = row.y + (2 * row.lines - 1) * row.half_height + 0.03
        return self.frame.box(row.x0, top, row.x1, bottom, page)

    def confirm_number(self, number: Read[Any]) -> Read[Any]:
        """The number as read, confirmed by a digits-only crop of its line when the reading
        is unsure or fails its check; the crop's number where only it passes."""
        if number.value and id_number_problem(number.value) is None and is_clean(number):
            return number
        page = self._page()
        if number.box is not None:
            box = padded(number.box, page, pad_x=0.8, pad_y=0.35)
        else:
            box = self.frame.box(-0.05, -0.06, 1.05, 0.06, page)
        again = reread(self.content, page, [box], ID_DIGITS)
        if not again or not again[0].words:
            return number
        words = again[0].words
        text = normalise_id_number("".join(w.text for w in words))
        match = NUMBER.search(text)
        if match is None:
            return number
        retry = value(match.group(), words, page=page.number, method="ocr_retry")
        if retry.value == number.value:  # two readings agree: it is what the card shows
            confidence = max(retry.confidence or 0, number.confidence or 0)
            return number.model_copy(update={"method": "ocr_confirmed", "confidence": confidence})
        if id_number_problem(retry.value or "") is None or number.value is None:
            return retry
        return number

    # the Chinese fields
    def _page_value(self, row: Row, words: list[Word]) -> Read[Any] | None:
        page_number = self.reading.page
        text = " ".join(w.text for w in words)
        if row.field == "sex":
            sex, ethnicity = _sex_row(words)
            if ethnicity is not None:
                self.fields["ethnicity"] = value(*ethnicity, page=page_number, method="ocr")
            return value(*sex, page=page_number, method="ocr") if sex else None
        parsed = {"name": parse_name, "birth_date": parse_birth, "address": parse_address}
        result = parsed[row.field](text)
        if result is None:
            return None
        return value(result, _value_words(row.field, words), page=page_number, method="ocr")

    def _store(self, field: str, parsed: object, words: list[Word]) -> None:
        if parsed is not None and words:
            self.fields[field] = value(parsed, words, page=self.reading.page, method="ocr")

    def _passes(self, field: str, found: Read[Any] | None) -> bool:
        """The field's own check: read, confident, and agreeing with the number."""
        if found is None or found.value is None or not is_clean(found):
            return False
        number = self.fields["id_number"].value
        if field == "birth_date" and number and id_birth_date(number):
            return bool(found.value == id_birth_date(number))
        if field == "sex" and number and id_sex(number):
            return bool(found.value == id_sex(number))
        if field == "address" and found.method == "ocr" and self.page is not None:
            # every inked line of the address band must be in the reading (a lone 室 is missed)
            read_lines = len(_by_line(_value_words("address", self.row_words(ROWS[-1]))))
            return read_lines >= len(self._crops(ROWS[-1], []))
        return True

    def _read_text_fields(self) -> None:
        retry: list[tuple[Row, list[Box]]] = []
        for row in ROWS:
            words = self.row_words(row)
            found = self._page_value(row, words)
            if found is not None:
                self.fields[row.field] = found
            if not self._passes(row.field, found) or (
                row.field == "sex" and not self._passes("ethnicity", self.fields.get("ethnicity"))
            ):
                retry.append((row, self._crops(row, words)))
        if retry and all(row.field != "address" for row, _ in retry):
            # the crops cost little once tesseract runs: the address line by line is better read
            address = ROWS[-1]
            retry.append((address, self._crops(address, self.row_words(address))))
        if retry and self.page is not None:
            self._reread(retry)
        for row in ROWS:
            self.fields.setdefault(row.field, missing(self.reading.page))
        self.fields.setdefault("ethnicity", missing(self.reading.page))

    def _crops(self, row: Row, words: list[Word]) -> list[Box]:
        if row.lines == 1:
            return [self.row_box(row, words)]
        page = self._page()
        return ink_lines(page, self._address_band(page), min_height=self._min_ink())[: row.lines]

    def _reread(self, retry: list[tuple[Row, list[Box]]]) -> None:
        assert self.page is not None
        boxes = [box for _, crops in retry for box in crops]
        readings = reread(self.content, self.page, boxes, CHINESE)
        if readings is None:
            return
        position = 0
        for row, crops in retry:
            words = [w for r in readings[position : position + len(crops)] for w in r.words]
            position += len(crops)
            self._take_retry(row, words)

    def _take_retry(self, row: Row, words: list[Word]) -> None:
        candidates: dict[str, Found | None]
        if row.field == "sex":
            candidates = dict(zip(("sex", "ethnicity"), _sex_row(words), strict=True))
        else:
            parse = {"name": parse_name, "birth_date": parse_birth, "address": parse_address}
            parsed = parse[row.field](" ".join(w.text for w in words))
            candidates = {row.field: (parsed, _value_words(row.field, words)) if parsed else None}
        for field, found in candidates.items():
            if found is not None:
                retry = value(*found, page=self.reading.page, method="ocr_retry")
                self.fields[field] = self._better(field, self.fields.get(field), retry)

    def _better(self, field: str, current: Read[Any] | None, retry: Read[Any]) -> Read[Any]:
        """Two readings that agree confirm each other; else the crop's, unless only the page's
        passes its check."""
        if current is None or current.value is None:
            return retry
        if current.value == retry.value:
            confidence = max(current.confidence or 0, retry.confidence or 0)
            return retry.model_copy(update={"method": "ocr_confirmed", "confidence": confidence})
        if self._passes(field, current) and not self._passes(field, retry):
            return current
        return retry  # the single-line crop in Chinese only is the more careful reading


def _value_words(field: str, words: list[Word]) -> list[Word]:
    """The words that carry the value: a date's digits, not its printed 年月日 or a stray mark."""
    pattern = r"\d" if field == "birth_date" else r"[\u3400-\u9fff0-9]"
    return [w for w in words if re.search(pattern, w.text)] or words


def _by_line(words: list[Word]) -> list[list[Word]]:
    """Words grouped into visual lines by their vertical centres."""
    groups: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        middle = (word.box[1] + word.box[3]) / 2
        if groups:
            last = groups[-1]
            top, bottom = min(w.box[1] for w in last), max(w.box[3] for w in last)
            if top <= middle <= bottom:
                last.append(word)
                continue
        groups.append([word])
    return [sorted(group, key=lambda w: w.box[0]) for group in groups]


def missing(page: int) -> Read[Any]:
    return Read(value=None, confidence=0.0, page=page, method="missing")


def _unread(field: str, found: Read[Any]) -> bool:
    """Not read: no value, or for the number not even 18 characters of its form."""
    if found.value is None:
        return True
    problem = id_number_problem(found.value) if field == "id_number" else None
    return problem in (IdNumberProblem.LENGTH, IdNumberProblem.FORMAT)
