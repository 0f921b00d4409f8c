"""Resident ID card, front (居民身份证 人像面): name, sex, ethnicity, birth date, address, number.

The 18-digit number is the anchor: tesseract reads it reliably and the other fields stand at
fixed places relative to it on every card (`ROWS`, in units of the number's width). Each field
is first taken from the page reading; one that fails its own check (a name of 2-4 Chinese
characters, 男/女, a known ethnicity, a real date agreeing with the number, a confident address)
is read again as a single-line crop in Chinese only, all such crops in one tesseract call.
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
    Frame,
    Row,
    chinese_only,
    evidence,
    first_page,
    ink_lines,
    is_clean,
    label_score,
    lines_of,
    normal,
    padded,
    reread,
    union,
    value,
    words_in,
)
from checker.findings import new_finding
from schemas.findings import Code, Finding
from schemas.identity import (
    PROBLEM_REASONS,
    id_birth_date,
    id_number_problem,
    id_region_known,
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
    match = _BIRTH.search(normal(text))
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
        self.fields["id_number"] = self._confirm_number(number)
        self._read_text_fields()
        return self.fields

    # the number: a digits-only crop when the page reading fails its check
    def _confirm_number(self, number: FieldValue) -> FieldValue:
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
        top = row.y - row.half_height - 0.03
        bottom = row.y + (2 * row.lines - 1) * row.half_height + 0.03
        band = self.frame.box(row.x0, top, row.x1, bottom, page)
        return ink_lines(page, band, min_height=max(6, round(0.02 * self.frame.unit)))[: row.lines]

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


def extract(content: Content) -> dict[str, FieldValue]:
    """The six fields of the front; a field not read has value None (method "missing")."""
    found = first_page(content)
    if found is None:
        return {name: _missing(1) for name in FIELD_LABELS}
    reading, page = found
    fields = _Front(content, reading, page).extract()
    return {name: fields[name] for name in FIELD_LABELS}


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
    if not id_region_known(number.value):
        return [
            new_finding(
                Code.ID_REGION_UNKNOWN,
                file=file,
                field="id_number",
                evidence=evidence(file, number),
                region=number.value[:6],
            )
        ]
    return []


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
                    printed=str(printed.value),
                    from_number=str(from_number),
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
