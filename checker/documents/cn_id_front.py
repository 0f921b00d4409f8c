"""Resident ID card, front (居民身份证 人像面): name, sex, ethnicity, birth date, address, number.

The 18-digit number is the anchor: tesseract reads it reliably and the other fields stand at
fixed places relative to it on every card (`ROWS`, in units of the number's width). Each field
is first taken from the page reading; one that fails its own check (a name of 2-4 Chinese
characters, 男/女, a known ethnicity, a real date agreeing with the number, a confident address)
is read again as a single-line crop in Chinese only, all such crops in one tesseract call.
A field still unread goes to the second reader (`second_read`), taken only where two crops of
its line agree.
"""

from __future__ import annotations

import datetime as dt
import re

from checker.document import Box, Page, Reading, Word
from checker.documents import CheckContext, Content
from checker.documents._cn_id import (
    CHINESE,
    CLEAN_CONFIDENCE,
    ID_DIGITS,
    SECOND_READER,
    Frame,
    Row,
    agreed_line,
    band_line,
    chinese_only,
    clear_of_sides,
    crops_of_line,
    cut_across,
    evidence,
    first_page,
    ink_lines,
    inked_lines,
    is_clean,
    label_score,
    lines_of,
    normal,
    padded,
    page_reading,
    read_by_second_reader,
    reread,
    union,
    value,
    words_in,
)
from checker.documents._cn_id_labels import card_rows, front_matches
from checker.documents._cn_id_labels import field as labelled_value
from checker.fields import id_number_notes
from checker.findings import new_finding
from schemas.findings import Code, Finding
from schemas.identity import (
    PROBLEM_REASONS,
    IdNumberProblem,
    id_birth_date,
    id_number_problem,
    id_sex,
    normalise_id_number,
)
from schemas.report import FieldValue

KIND = "cn_id_front"
LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码")
FIELD_LABELS = {
    "name": {"zh": "姓名", "en": "name"},
    "sex": {"zh": "性别", "en": "sex"},
    "ethnicity": {"zh": "民族", "en": "ethnicity"},
    "birth_date": {"zh": "出生日期", "en": "birth date"},
    "address": {"zh": "住址", "en": "address"},
    "id_number": {"zh": "公民身份号码", "en": "ID number"},
}
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
_ETHNICITIES = """汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣
黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬
锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲
门巴 珞巴 基诺"""
ETHNICITIES = frozenset(_ETHNICITIES.split())  # the 56 recognised ethnic groups
Found = tuple[object, list[Word]]  # a parsed value and the words it was read from
_NUMBER = re.compile(r"\d{17}[\dX]")
_BIRTH = re.compile(r"(\d{4})\D{0,3}?(\d{1,2})\D{1,3}?(\d{1,2})")
_PRINTED_BIRTH = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_NAME = re.compile(r"[\u3400-\u9fff]{2,4}|[\u3400-\u9fff]{1,8}·[\u3400-\u9fff]{1,12}")


def detect(content: Content) -> float:
    """High when the card's labels and an 18-character number are on the first page."""
    if not content.readings:
        return 0.0
    text = content.readings[0].text
    score = 0.6 * label_score(text, LABELS)
    if _NUMBER.search(normalise_id_number(text.replace("\n", " "))):
        score += 0.4
    if any(word in normal(text) for word in ("签发机关", "有效期限", "PASSPORT", "护照")):
        score -= 0.3
    return round(max(0.0, min(1.0, score)), 3)


# --- extraction ------------------------------------------------------------------------------


def _find_number(reading: Reading) -> tuple[str, list[Word]] | None:
    """The 18-character number on the page and the words it was read from."""
    best = None
    for line in lines_of(reading.words):
        digit_words = [w for w in line.words if re.search(r"\d", w.text)]
        text = normalise_id_number("".join(w.text for w in digit_words))
        match = _NUMBER.search(text)
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
    ethnicity = _parse_ethnicity(tail)
    return sex, ((ethnicity, after) if ethnicity and after else None)


def _parse_ethnicity(text: str) -> str | None:
    tail = chinese_only(text)
    for size in (4, 3, 2, 1):
        if tail[-size:] in ETHNICITIES:
            return tail[-size:]
    return None


def _parse_birth(text: str) -> dt.date | None:
    return _date_of(_BIRTH.search(normal(text)))


def _date_of(match: re.Match[str] | None) -> dt.date | None:
    """The date of a year, month and day matched, None when there is none or it is no date."""
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _parse_name(text: str) -> str | None:
    name = re.sub(r"[^\u3400-\u9fff·]", "", normal(text))
    return name if _NAME.fullmatch(name) else None


def _parse_address(text: str) -> str | None:
    address = re.sub(r"[^\u3400-\u9fff0-9A-Za-z·\-#()]", "", normal(text))
    address = re.sub(r"(?<=\d)至$", "室", address)  # 室 (room) misread as 至, never an ending
    return address if len(chinese_only(address)) >= 2 else None


def _printed_number(text: str) -> str | None:
    """An 18-character number that passes its check digit and date, else None."""
    number = re.sub(r"[^\dX]", "", normalise_id_number(text))
    return number if _NUMBER.fullmatch(number) and id_number_problem(number) is None else None


def _printed_sex(text: str) -> str | None:
    """男 or 女 alone before the label 民族 (the line as the second reader reads it)."""
    head, label, _ = chinese_only(text).partition("民族")
    return head if label and head in ("男", "女") else None


def _printed_ethnicity(text: str) -> str | None:
    """A recognised ethnicity alone after the label 民族."""
    _, label, tail = chinese_only(text).partition("民族")
    return tail if label and tail in ETHNICITIES else None


def _printed_birth(text: str) -> dt.date | None:
    """The date with its printed 年/月/日."""
    return _date_of(_PRINTED_BIRTH.search(normal(text)))


def _printed_name(text: str) -> str | None:
    """A name alone on its line: 2-4 Chinese characters (or two parts joined by ·), no label
    and nothing else (a line of another row read for the name's fails)."""
    name = normal(text)
    return name if _NAME.fullmatch(name) and not _has_label(name) else None


def _address_line(text: str) -> str | None:
    """One line of the address; None when it holds a label, a date or an ID number (another
    row's line in the address band)."""
    line = re.sub(r"[^\u3400-\u9fff0-9A-Za-z·\-#()]", "", normal(text))
    if not line or _has_label(line) or _PRINTED_BIRTH.search(line) or re.search(r"\d{15}", line):
        return None
    return line


def _has_label(text: str) -> bool:
    return any(label in text for label in LABELS)


SECOND_PARSERS = {
    "id_number": _printed_number,
    "name": _printed_name,
    "sex": _printed_sex,
    "ethnicity": _printed_ethnicity,
    "birth_date": _printed_birth,
}


class _Front:
    """One front page being read: the page words per row, then crops for what failed."""

    def __init__(self, content: Content, reading: Reading, page: Page | None) -> None:
        self.content, self.reading, self.page = content, reading, page
        self.number_read = _find_number(reading)
        self.frame = _frame(self.number_read[1] if self.number_read else None, self._page())
        self.fields: dict[str, FieldValue] = {}

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

    def number_value(self) -> FieldValue:
        page_number = self.reading.page
        if self.number_read is None:
            return FieldValue(value=None, confidence=0.0, page=page_number, method="missing")
        text, words = self.number_read
        return value(text, words, page=page_number, method="ocr")

    def extract(self) -> dict[str, FieldValue]:
        number = self.number_value()
        self.fields["id_number"] = self.confirm_number(number)
        self._read_text_fields()
        if self.content.second_reader is not None:
            for field in SECOND_READ_FIELDS:
                if _unread(field, self.fields[field]):
                    self.fields[field] = self.second_read(field) or self.fields[field]
        return self.fields

    # the second reader, for what tesseract left unread
    def second_read(self, field: str) -> FieldValue | None:
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

    def _second_address(self, page: Page) -> FieldValue | None:
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
            agreed_line(self.content, page, crops_of_line(line, page), _address_line)
            for line in lines
        ]
        agreed = [read for read in reads if read is not None]
        if len(agreed) < len(found):
            return None
        address = _parse_address("".join(str(read.value) for read in agreed))
        if address is None:
            return None
        return FieldValue(
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

    def confirm_number(self, number: FieldValue) -> FieldValue:
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
        match = _NUMBER.search(text)
        if match is None:
            return number
        retry = value(match.group(), words, page=page.number, method="ocr_retry")
        if retry.value == number.value:  # two readings agree: it is what the card shows
            confidence = max(retry.confidence or 0, number.confidence or 0)
            return number.model_copy(update={"method": "ocr_confirmed", "confidence": confidence})
        if id_number_problem(retry.value) is None or number.value is None:
            return retry
        return number

    # the Chinese fields
    def _page_value(self, row: Row, words: list[Word]) -> FieldValue | None:
        page_number = self.reading.page
        text = " ".join(w.text for w in words)
        if row.field == "sex":
            sex, ethnicity = _sex_row(words)
            if ethnicity is not None:
                self.fields["ethnicity"] = value(*ethnicity, page=page_number, method="ocr")
            return value(*sex, page=page_number, method="ocr") if sex else None
        parsed = {"name": _parse_name, "birth_date": _parse_birth, "address": _parse_address}
        result = parsed[row.field](text)
        if result is None:
            return None
        return value(result, _value_words(row.field, words), page=page_number, method="ocr")

    def _store(self, field: str, parsed: object, words: list[Word]) -> None:
        if parsed is not None and words:
            self.fields[field] = value(parsed, words, page=self.reading.page, method="ocr")

    def _passes(self, field: str, found: FieldValue | None) -> bool:
        """The field's own check: read, confident, and agreeing with the number."""
        if found is None or found.value is None or not is_clean(found):
            return False
        number = self.fields["id_number"].value
        if field == "birth_date" and number and id_birth_date(number):
            return found.value == id_birth_date(number)
        if field == "sex" and number and id_sex(number):
            return found.value == id_sex(number)
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
            self.fields.setdefault(row.field, _missing(self.reading.page))
        self.fields.setdefault("ethnicity", _missing(self.reading.page))

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
            parse = {"name": _parse_name, "birth_date": _parse_birth, "address": _parse_address}
            parsed = parse[row.field](" ".join(w.text for w in words))
            candidates = {row.field: (parsed, _value_words(row.field, words)) if parsed else None}
        for field, found in candidates.items():
            if found is not None:
                retry = value(*found, page=self.reading.page, method="ocr_retry")
                self.fields[field] = self._better(field, self.fields.get(field), retry)

    def _better(self, field: str, current: FieldValue | None, retry: FieldValue) -> FieldValue:
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


def _missing(page: int) -> FieldValue:
    return FieldValue(value=None, confidence=0.0, page=page, method="missing")


def _unread(field: str, found: FieldValue) -> bool:
    """Not read: no value, or for the number not even 18 characters of its form."""
    if found.value is None:
        return True
    problem = id_number_problem(found.value) if field == "id_number" else None
    return problem in (IdNumberProblem.LENGTH, IdNumberProblem.FORMAT)


def extract(content: Content) -> dict[str, FieldValue]:
    """The six fields of the front; a field not read has value None (method "missing").

    The card is read by its labels from the second reader's page reading first
    (`_cn_id_labels`); tesseract's pipeline is asked only when a field fails its own check
    there, and its value taken where it passes and the labelled one does not.
    """
    found = first_page(content)
    if found is None:
        return {name: _missing(1) for name in FIELD_LABELS}
    reading, page = found
    front = _Front(content, reading, page)
    fields = _labelled_fields(content, reading, page, front)
    if not all(_labelled_passes(name, fields) for name in FIELD_LABELS):
        layout_reading = page_reading(content, reading, page)
        if layout_reading is not reading:
            front = _Front(content, layout_reading, page)
        fallback = front.extract()
        number = fields.get("id_number")
        if not _labelled_passes("id_number", fields) or number is None:
            number = fallback["id_number"]
        fields["id_number"] = number
        for name in FIELD_LABELS:
            if name != "id_number" and not _labelled_passes(name, fields):
                fields[name] = _either(name, fields.get(name), fallback[name], number)
    return {name: fields.get(name) or _missing(reading.page) for name in FIELD_LABELS}


def _labelled_fields(
    content: Content, reading: Reading, page: Page | None, front: _Front
) -> dict[str, FieldValue]:
    """The fields found after their labels in the second reader's rows of the card; the
    number confirmed where tesseract's page reading, or a digits-only crop of it, gives the
    same."""
    rows = card_rows(content, reading, page)
    if not rows:
        return {}
    parsers = {
        "name": _parse_name,
        "sex": lambda text: text,
        "ethnicity": _labelled_ethnicity,
        "birth_date": _parse_birth,
        "address": _parse_address,
        "id_number": lambda text: normalise_id_number(text.replace("×", "X")),
    }
    fields = {}
    for name, match in front_matches(rows).items():
        parsed = parsers[name](match.text)
        if parsed is not None:
            fields[name] = labelled_value(parsed, match, reading.page)
    number = fields.get("id_number")
    page_number = front.number_value()
    confirms = not read_by_second_reader(content, reading)
    if number is not None and confirms and number.value == page_number.value:
        confidence = max(number.confidence or 0, page_number.confidence or 0)
        fields["id_number"] = number.model_copy(
            update={"method": "ocr_confirmed", "confidence": confidence}
        )
    elif number is not None and id_number_problem(number.value) is not None:
        fields["id_number"] = front.confirm_number(number)
    return fields


def _labelled_ethnicity(text: str) -> str | None:
    """The ethnicity at the start of the text after 民族."""
    text = chinese_only(text)
    return next((text[:size] for size in (4, 3, 2, 1) if text[:size] in ETHNICITIES), None)


def _labelled_passes(name: str, fields: dict[str, FieldValue]) -> bool:
    """Read surely and, for the birth date and sex, agreeing with a valid number; the number
    valid, or its invalid value confirmed by tesseract's reading."""
    found = fields.get(name)
    if found is None or not is_clean(found):
        return False
    number = fields.get("id_number")
    valid = number.value if number and number.value else None
    if valid is not None and id_number_problem(valid) is not None:
        valid = None
    if name == "id_number":
        return valid is not None or found.method == "ocr_confirmed"
    if name == "birth_date" and valid:
        return found.value == id_birth_date(valid)
    if name == "sex" and valid:
        return found.value == id_sex(valid)
    return True


def _either(
    name: str, labelled: FieldValue | None, fallback: FieldValue, number: FieldValue
) -> FieldValue:
    """tesseract's value where it passes the field's check and the labelled one does not;
    else the labelled one when read (a sure value that disagrees with the number stays, to
    be reported), else tesseract's."""
    passes = _labelled_passes(name, {name: fallback, "id_number": number})
    if passes or labelled is None or labelled.value is None:
        return fallback
    return labelled


def second_read(content: Content, field: str) -> FieldValue | None:
    """`field` of the first page as the second reader reads it where tesseract failed it
    (`SECOND_READ_FIELDS`): the card found from the page reading, a birth date or sex held to
    the number read there. None when the crops do not agree (or there is no second reader)."""
    found = first_page(content)
    if found is None or content.second_reader is None:
        return None
    front = _Front(content, *found)
    front.fields["id_number"] = front.number_value()
    return front.second_read(field)


# --- checks ----------------------------------------------------------------------------------


def check(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """Number (format, check digit, date, region), birth date and sex against it, readability."""
    file = context.file
    findings = []
    for name in ("name", "sex", "ethnicity", "birth_date", "address"):
        field = fields.get(name)
        if field is None or field.value is None:
            findings.append(
                new_finding(
                    Code.FIELD_UNREADABLE,
                    file=file,
                    field=name,
                    evidence=evidence(file, field),
                    label=FIELD_LABELS[name],
                )
            )
    findings += _number_findings(fields.get("id_number"), file, context.as_of)
    number = fields.get("id_number")
    if number is not None and number.value and id_number_problem(number.value) is None:
        findings += _agreement_findings(fields, number, file)
    return findings


def _number_findings(number: FieldValue | None, file: str, as_of: dt.date) -> list[Finding]:
    if number is None or not number.value:
        return [
            new_finding(
                Code.ID_NUMBER_UNCLEAR,
                file=file,
                field="id_number",
                evidence=evidence(file, number),
            )
        ]
    problem = id_number_problem(number.value, today=as_of)
    if problem is not None:
        if is_clean(number) and number.method in ("ocr_confirmed", "text_layer"):
            return [
                new_finding(
                    Code.ID_NUMBER_INVALID,
                    file=file,
                    field="id_number",
                    evidence=evidence(file, number),
                    reason=PROBLEM_REASONS[problem],
                )
            ]
        return [
            new_finding(
                Code.ID_NUMBER_UNCLEAR,
                file=file,
                field="id_number",
                evidence=evidence(file, number),
            )
        ]
    return id_number_notes(number.value, as_of=as_of, file=file, evidence=evidence(file, number))


SEX_WORDS = {"男": {"zh": "男", "en": "male"}, "女": {"zh": "女", "en": "female"}}


def _in_words(name: str, value: object) -> str | dict[str, str]:
    """A value for a message: a sex in the reader's language, a date as written (ISO)."""
    if name == "sex" and str(value) in SEX_WORDS:
        return SEX_WORDS[str(value)]
    return str(value)


def _agreement_findings(
    fields: dict[str, FieldValue], number: FieldValue, file: str
) -> list[Finding]:
    """Printed birth date and sex against the ones the number encodes."""
    findings = []
    pairs = (
        ("birth_date", id_birth_date(number.value), Code.ID_BIRTH_DATE_MISMATCH),
        ("sex", id_sex(number.value), Code.ID_SEX_MISMATCH),
    )
    for name, from_number, code in pairs:
        printed = fields.get(name)
        if printed is None or printed.value is None or from_number is None:
            continue
        if printed.value == from_number:
            continue
        if is_clean(printed, CLEAN_CONFIDENCE):
            findings.append(
                new_finding(
                    code,
                    file=file,
                    field=name,
                    evidence=evidence(file, printed),
                    printed=_in_words(name, printed.value),
                    from_number=_in_words(name, from_number),
                )
            )
        else:
            findings.append(
                new_finding(
                    Code.RETAKE,
                    file=file,
                    field=name,
                    evidence=evidence(file, printed),
                    label=FIELD_LABELS[name],
                )
            )
    return findings
