"""What 收入证明 and 在职证明 share: labelled rows read off the page, the seal, and the checks.

Reading: the page's words (a text layer's or any reader's) are grouped into lines, and each
field is found by its printed label or in a sentence, never by position: labels and prose
patterns are data (`labels/certificate.yaml`, validated when loaded). In turn: `label：value`
rows (the label matched tolerantly), a table whose header row holds the labels
(`column_rows`), grid cells (`cell_rows`: 姓名 | 张三 | 身份证号码 | …), sentences
(`prose_rows`: 兹证明张三同志，…自2019年3月起…月收入人民币…元), a bare date or organisation
under the body (the prose form's signature); values with a shape of their own (ID number,
USCC, amounts, phone) are also found by it. Every value is text read at one place, with the
box of the characters it was read from; the employer, when no label names it, is the issuer
as printed on the signature line.
A value that fails its own check (a name that is not 2–4 Chinese characters, a date that does
not parse, words that do not fit the figures, …) is cropped, cleaned of red seal ink and read
again; all such crops go to the reader stacked in one image, so that costs one small call.
Some fields are cropped two ways (`REREAD_CROPS`) and the surer read that passes is kept.
The amount in words is parsed (cn2an) from the characters printed and read, never completed
from the figures (`words_read`); a read that is no whole amount is read again, by the second
reader too, and with no whole read the words are not read. The check compares the two.
An issue date the page read missed under the seal is looked for as the printed line nearest
where it should be (`ink_line`: print is dark in the red channel, the seal's ink is not).
The seal's place is checked against the issuer's name and date (`signature_block`).
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from PIL import Image, ImageOps

from checker.document import Box, Page, Reading, Word
from checker.documents import CheckContext, Content
from checker.findings import new_finding
from checker.labelled import label_file
from checker.ocr import OcrError, Reader, RegionOptions, read_regions, stack_crops
from checker.parse import AMOUNT_WORD_CHARS, parse_date, parse_money
from checker.seal import SealStatus, find_seal, overlaps, red_mask
from checker.second_read import agreed_read
from schemas.findings import Code, Evidence, Finding, Severity
from schemas.income import IdNumber, Phone, Uscc, is_valid
from schemas.labels import FieldLabels
from schemas.report import FieldValue


def field_labels() -> dict[str, FieldLabels]:
    """Each field's labels and prose patterns (`labels/certificate.yaml`, validated)."""
    return label_file("certificate")


# field -> label variants as printed (spaces, colons and bracketed notes are ignored)
LABELS: dict[str, tuple[str, ...]] = {field: spec.labels for field, spec in field_labels().items()}
# what the findings call each field
FIELD_LABELS: dict[str, dict[str, str]] = {
    "employee_name": {"zh": "姓名", "en": "name"},
    "id_number": {"zh": "身份证号码", "en": "ID number"},
    "employer": {"zh": "工作单位", "en": "employer"},
    "employer_uscc": {"zh": "统一社会信用代码", "en": "unified social credit code"},
    "position": {"zh": "职务", "en": "position"},
    "employed_since": {"zh": "入职日期", "en": "employment start date"},
    "monthly_income": {"zh": "月收入", "en": "monthly income"},
    "income_in_words": {"zh": "收入大写金额", "en": "amount in words"},
    "annual_income": {"zh": "年收入", "en": "annual income"},
    "contact_phone": {"zh": "联系电话", "en": "contact phone"},
    "issue_date": {"zh": "开具日期", "en": "issue date"},
    "has_seal": {"zh": "单位公章", "en": "company seal"},
}
CERTIFICATE_FIELDS = (
    "employee_name",
    "id_number",
    "employer",
    "employer_uscc",
    "position",
    "employed_since",
    "monthly_income",
    "annual_income",
    "income_in_words",
    "issue_date",
    "contact_phone",
)
# a missing one of these is `field_unreadable`: the certificate cannot be used without it
REQUIRED = ("employee_name", "employer", "issue_date")
COLONLESS = ("issue_date",)
CJK_FIELDS = ("employee_name", "employer", "position", "issuer")
# not read again: no check uses the issuer's name (the seal's place is checked against its
# line's box), so a second read of it only costs time
NOT_REREAD = ("issuer",)
# fields read by the second reader when tesseract failed them
SECOND_READ_FIELDS = frozenset(CERTIFICATE_FIELDS)
# Chinese text fields read again by the second reader when tesseract read them unsurely
UNSURE_TEXT_FIELDS = frozenset({"employee_name", "position", "employer"})
CHECKSUMMED = ("id_number", "employer_uscc")  # labels also looked for without a colon
# how many characters wide a value may be, in line heights (crop width when none was read)
DATE_FIELDS = ("issue_date", "employed_since")
VALUE_WIDTH = {"employee_name": 5, "position": 8, "employed_since": 9, "issue_date": 14}
DEFAULT_VALUE_WIDTH = 16
COLONS = ":：;；"
# stray marks a garbled label may gain (职“务, we名); a longer text before a colon is a
# sentence, not a label (兹证明…收入情况如下： holds 收入 but is no 月收入 row)
LABEL_EXTRA = 4
STRONG_LABEL = 0.75  # a label matched at least this well stands even on a sentence's line
NOT_CJK = "".join(chr(code) for code in range(0x20, 0x7F)) + "，。：；、（）〈〉"
# words of a certificate's body; half of them found is a certificate for sure
BODY_LABELS = ("身份证号码", "工作单位", "信用代码", "入职日期", "税前", "盖章", "兹证明", "单位")
CLEAR = 0.80  # a word read at least this sure is taken as read
CONFIRMED = 0.90  # a lone read of a conflicting amount word must be this sure
WORDS_ENDINGS = "元圆整正角分"  # how a whole amount in words ends
ORG_SUFFIX = re.compile(r"(公司|集团|中心|研究院|研究所|医院|学校|大学|银行|事务所|委员会|局|厅)$")
CJK = re.compile(r"^[\u4e00-\u9fff·]+$")
RULE_MARKS = re.compile(r"[|｜丨!”“\"'\[\]]*[|｜丨][|｜丨!”“\"'\[\]]*")  # a table rule read as text
ID_SHAPE = re.compile(r"\d{17}[\dXx]")
USCC_SHAPE = re.compile(r"[0-9A-Z]{18}")
PHONE_SHAPE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-\d{7,8}")
# figures with cents, never a piece of a longer number (15.000.00 is no 15.00 nor 000.00)
# (digits after it are no part of it: 元 is often read as 7 or 70)
AMOUNT_SHAPE = re.compile(r"(?<![\d.,，])(?:\d{1,3}(?:[,，]\d{3})+|\d+)\.\d{2}(?!\d*[.,，]\d)")
# a month with no day (自2019年3月起); one a day was lost from (2023年10月]日) is read again
MONTH_SHAPE = re.compile(r"\d{4}年\d{1,2}月(?=\s*(?:起|至今|以来|$))")
DATE_SHAPE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}[-./]\d{1,2}[-./]\d{1,2}")
REREAD_LINE_HEIGHT = 40  # crops are scaled so their text is this tall (px), by default
BAND_HALF_HEIGHT = 13  # tenths of a text line: a band looked in for a line not read
DATE_LINE_WIDTH = 16  # text heights from the date's label to the end of the date
SIGNATURE_FIELDS = ("issuer", "issue_date")
SIGNATURE_WIDTH = 24  # text heights from the issuer's label to the end of a long name
INK_LEVEL = 0.5  # print: red channel below this share of the paper's
SEALED_CONFIDENCE = 0.5  # the most a date only the second reader read through seal ink is trusted


# ----------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class Line:
    """One text line of a page: its words left to right."""

    page: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return "".join(word.text for word in self.words)

    @property
    def box(self) -> Box:
        return box_of(self.words)

    @property
    def height(self) -> int:
        """Typical character height: the median word height (robust to odd word boxes)."""
        return int(statistics.median(word.box[3] - word.box[1] for word in self.words))

    @property
    def middle(self) -> float:
        return statistics.median((word.box[1] + word.box[3]) / 2 for word in self.words)


def box_of(words: Iterable[Word]) -> Box:
    boxes = [word.box for word in words]
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def lines_of(reading: Reading) -> list[Line]:
    """The reading's lines, top to bottom, each sorted left to right."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in reading.words:
        grouped.setdefault(word.line, []).append(word)
    lines = [
        Line(reading.page, tuple(sorted(words, key=lambda word: word.box[0])))
        for words in grouped.values()
    ]
    return sorted(lines, key=lambda line: line.middle)


def plain(text: str) -> str:
    """Text without spaces, colons and bracketed notes such as （税前）/(盖章) -> for labels."""
    text = re.sub(r"[(（〈][^)）〉]*[)）〉]?", "", text)
    return re.sub(rf"[\s{COLONS}]", "", text)


def label_score(text: str, label: str) -> float:
    """Share of the label's characters found, in order, in `text` (0..1)."""
    matcher = difflib.SequenceMatcher(None, label, text, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(label)


# ----------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Row:
    """A labelled line: where its value starts and the words read there."""

    field: str
    line: Line
    value_left: int  # x where the value starts
    words: tuple[Word, ...]
    score: float
    region: Box | None = None  # where to read it again, when not beside a label
    # how it was found: "label", or "prose" (in a sentence: its characters' boxes are
    # shares of their words', too rough a region to crop and read again)
    found: str = "label"
    ink_right: int | None = None  # where the printed value ends, when past the words read

    @property
    def text(self) -> str:
        return "".join(word.text for word in self.words)


def split_label(line: Line) -> tuple[str, int, tuple[Word, ...]] | None:
    """(label text, x where the value starts, value words) at the line's first colon; None
    without one, or when figures stand before it (a misread inside a value)."""
    for index, word in enumerate(line.words):
        position = next((i for i, char in enumerate(word.text) if char in COLONS), None)
        if position is None:
            continue
        label = "".join(w.text for w in line.words[:index]) + word.text[:position]
        if sum(char.isdigit() for char in label) >= 2:  # figures (2023年10月:日): a misread
            return None
        rest = word.text[position + 1 :]
        words = line.words[index + 1 :]
        if rest:  # ";北京" — the value's first characters share the colon's word
            words = (Word(rest, word.box, word.confidence, word.line), *words)
            return label, word.box[0], words
        return label, word.box[2], words
    return None


def labelled_rows(lines: list[Line], labels: dict[str, tuple[str, ...]]) -> dict[str, Row]:
    """The best-matching line for each label; a line serves the field it matches best."""
    rows: dict[str, Row] = {}
    for line in lines:
        split = split_label(line)
        if split is None:
            continue
        label_text, value_left, words = split
        label_text = plain(label_text)
        if not label_text:
            continue
        scored = [
            (label_score(label_text, variant), len(variant), field)
            for field, variants in labels.items()
            for variant in variants
            if len(label_text) <= len(variant) + LABEL_EXTRA
        ]
        if not scored:
            continue
        score, _, field = max(scored)
        if score >= 0.5 and (field not in rows or score > rows[field].score):
            rows[field] = Row(field, line, value_left, words, score)
    for line in lines:  # a label whose colon was lost to the seal: 日 期 2026年…
        for field in (field for field in COLONLESS if field in labels):
            row = _colonless_row(line, field, labels[field])
            if row and (field not in rows or row.score > rows[field].score):
                rows[field] = row
    return rows


def _colonless_row(line: Line, field: str, variants: tuple[str, ...]) -> Row | None:
    """A row whose label is the line's first one or two words, read without a colon."""
    if split_label(line) is not None:
        return None
    best: Row | None = None
    for count in (1, 2):
        if len(line.words) < count:
            break
        text = plain("".join(word.text for word in line.words[:count]))
        score = max((label_score(text, variant) for variant in variants), default=0.0)
        words = line.words[count:]
        short = len(text) <= max(map(len, variants)) + LABEL_EXTRA
        if text and words and short and score >= 0.5 and (best is None or score > best.score):
            best = Row(field, line, line.words[count - 1].box[2], words, score * 0.9)
    return best


def row_below(row: Row, field: str, pitch: int) -> Row:
    """The line printed under a row, where nothing of it was read (the date under the issuer):
    a band one row pitch down, from the row's left edge, wide enough for a label and a date
    (the issuer's line may be read only up to the seal, so its width says little)."""
    top, bottom = _line_span(row.line)
    height = bottom - top
    middle = (top + bottom) // 2 + pitch
    left = row.line.box[0]
    region = (
        max(0, left - height // 2),
        middle - BAND_HALF_HEIGHT * height // 10,
        max(row.line.box[2], left + DATE_LINE_WIDTH * height),
        middle + BAND_HALF_HEIGHT * height // 10,
    )
    return _ghost_row(field, row.line.page, region, middle, height)


def _ghost_row(field: str, page: int, region: Box, middle: int, height: int) -> Row:
    """A row where nothing was read: its `region` is where to look for the value."""
    box = (region[0], middle - height // 2, region[0] + 1, middle + height // 2)
    ghost = Word("", box, 0.0, (0, 0, 0))
    return Row(field, Line(page, (ghost,)), region[0], (), 0.0, region=region)


def shaped_rows(lines: list[Line], rows: dict[str, Row]) -> dict[str, Row]:
    """Rows for the fields whose label was garbled, found by the shape of their value."""
    found = dict(rows)
    used = {id(row.line) for row in found.values()}

    def claim(field: str, predicate: Callable[[Line], bool]) -> None:
        if field in found:
            return
        for line in lines:
            if id(line) not in used and predicate(line):
                split = split_label(line)
                value_left, words = (split[1], split[2]) if split else (line.box[0], line.words)
                found[field] = Row(field, line, value_left, words, 0.0)
                used.add(id(line))
                return

    claim("id_number", lambda line: bool(ID_SHAPE.search(line.text)))
    claim("employer_uscc", lambda line: bool(USCC_SHAPE.search(line.text.upper())))
    claim(  # 人民币 …元, or figures with cents and 元 (a label garbled past reading)
        "monthly_income",
        lambda line: (
            ("人民币" in line.text or bool(AMOUNT_SHAPE.search(line.text))) and "元" in line.text
        ),
    )
    claim("annual_income", lambda line: "人民币" in line.text and "元" in line.text)
    claim("income_in_words", lambda line: sum(c in AMOUNT_WORD_CHARS for c in line.text) >= 4)
    claim("contact_phone", lambda line: bool(PHONE_SHAPE.search(line.text)))
    _claim_neighbour(found, lines, "employee_name", "id_number", -1)
    _claim_neighbour(found, lines, "position", "employed_since", -1)
    _claim_neighbour(found, lines, "income_in_words", "monthly_income", 1)
    if "issue_date" not in found and "issuer" in found:
        found["issue_date"] = row_below(found["issuer"], "issue_date", _text_metrics(found)[1])
    return found


def cell_rows(lines: list[Line], labels: dict[str, tuple[str, ...]]) -> dict[str, Row]:
    """Rows of a grid: a cell (`cells_of`) that holds only a label, no colon, its value the
    cells after it up to the next such cell (姓名 | 张三 | 身份证号码 | 1101…). A label inside
    a sentence (…现任行政专员职务，…) is no cell of its own and is left alone."""
    variants = {plain(variant): field for field, names in labels.items() for variant in names}
    rows: dict[str, Row] = {}
    for line in lines:
        if split_label(line) is not None:
            continue
        cells = cells_of(line)
        marks = [
            (index, variants[plain("".join(w.text for w in cell))])
            for index, cell in enumerate(cells)
            if plain("".join(w.text for w in cell)) in variants
        ]
        for number, (start, field) in enumerate(marks):
            end = marks[number + 1][0] if number + 1 < len(marks) else len(cells)
            words = tuple(word for cell in cells[start + 1 : end] for word in cell)
            if words and field not in rows:
                rows[field] = Row(field, line, words[0].box[0], words, 0.9)
    return rows


def cells_of(line: Line) -> list[tuple[Word, ...]]:
    """The line's words grouped into cells: words less than a text height apart join; a
    table's rule read as a mark of its own (|, or ”| beside it) parts two cells."""
    cells: list[list[Word]] = []
    ruled = False
    for word in line.words:
        if RULE_MARKS.fullmatch(word.text):
            ruled = True
            continue
        if cells and not ruled and word.box[0] - cells[-1][-1].box[2] < line.height:
            cells[-1].append(word)
        else:
            cells.append([word])
        ruled = False
    return [tuple(cell) for cell in cells]


def column_rows(lines: list[Line], labels: dict[str, tuple[str, ...]]) -> dict[str, Row]:
    """Rows of a table whose header row holds only labels (姓名 | 身份证号 | 职务 | …): each
    value is the cell of the next line that stands under its label's cell."""
    variants = {plain(variant): field for field, names in labels.items() for variant in names}
    rows: dict[str, Row] = {}
    for index, line in enumerate(lines[:-1]):
        if split_label(line) is not None:
            continue
        cells = cells_of(line)
        heads = [(box_of(cell), variants.get(_head_label(cell))) for cell in cells]
        known = [(box, field) for box, field in heads if field is not None]
        if len(known) < 3 or len(known) < 0.8 * len(heads):
            continue
        below = lines[index + 1]
        for cell in cells_of(below):
            box = box_of(cell)
            overlap, field = max(
                (min(box[2], head[2]) - max(box[0], head[0]), field) for head, field in known
            )
            if overlap > 0 and field not in rows:
                rows[field] = Row(field, below, box[0], cell, 0.85)
    return rows


def _head_label(cell: tuple[Word, ...]) -> str:
    """A header cell's label: a bracketed unit misread as Latin letters (月薪（元） as 月薪Ot))
    is dropped with the brackets."""
    return re.sub(r"[A-Za-z()（）|]+$", "", plain("".join(word.text for word in cell)))


def char_words(lines: list[Line]) -> list[Word]:
    """Every character of the lines as a word of its own, its box a share of its word's."""
    chars = []
    for line in lines:
        for word in line.words:
            width = (word.box[2] - word.box[0]) / max(1, len(word.text))
            for offset, char in enumerate(word.text):
                left = round(word.box[0] + offset * width)
                box = (left, word.box[1], round(left + width), word.box[3])
                chars.append(Word(char, box, word.confidence, word.line))
    return chars


def prose_rows(lines: list[Line], patterns: dict[str, tuple[str, ...]]) -> dict[str, Row]:
    """Rows found in sentences (兹证明张三同志，身份证号码…，自2019年3月起在我公司工作…): each
    field's patterns run over the page's text, lines joined; the value keeps the boxes of the
    characters it was read from."""
    chars = char_words(lines)
    text = "".join(char.text for char in chars)
    line_of = {word.line: line for line in lines for word in line.words}
    rows: dict[str, Row] = {}
    for field, regexes in patterns.items():
        for regex in regexes:
            match = _prose_match(regex, text, chars)
            if match is None:
                continue
            start, end = match
            taken = chars[start:end]
            words = tuple(
                Word("".join(c.text for c in group), box_of(group), group[0].confidence, key)
                for key, group in (
                    (k, list(g)) for k, g in itertools.groupby(taken, lambda c: c.line)
                )
            )
            line = line_of.get(words[0].line) if words else None
            if line is not None:
                rows[field] = Row(field, line, words[0].box[0], words, 0.8, found="prose")
                break
    return rows


def _prose_match(regex: str, text: str, chars: list[Word]) -> tuple[int, int] | None:
    """Where the value of `regex` stands in `text` (the page's characters, lines joined); a
    pattern starting with ^ is matched at the start of each printed line instead."""
    if not regex.startswith("^"):
        match = re.search(regex, text)
        return match.span("value") if match else None
    starts = [i for i, char in enumerate(chars) if i == 0 or char.line != chars[i - 1].line]
    for start, end in itertools.pairwise([*starts, len(chars)]):
        match = re.match(regex, text[start:end])
        if match:
            return start + match.start("value"), start + match.end("value")
    return None


def bare_rows(lines: list[Line], rows: dict[str, Row]) -> dict[str, Row]:
    """Under the body, a line that is only a date is the issue date and one that is only an
    organisation's name is the issuer (the prose form's signature, with no labels)."""
    found = dict(rows)
    lowest = max((row.line.middle for row in rows.values()), default=0.0)
    for line in lines:
        if line.middle <= lowest:
            continue
        text = plain(line.text)
        if "issue_date" not in found and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", text):
            found["issue_date"] = Row("issue_date", line, line.box[0], line.words, 0.7)
        elif "issuer" not in found and CJK.match(text) and ORG_SUFFIX.search(text):
            found["issuer"] = Row("issuer", line, line.box[0], line.words, 0.7)
    return found


def _claim_neighbour(
    rows: dict[str, Row], lines: list[Line], field: str, anchor: str, step: int
) -> None:
    """A row whose label was lost: the line next to a known row (the name is above the ID,
    the amount in words under the figures)."""
    if field in rows or anchor not in rows:
        return
    index = lines.index(rows[anchor].line) + step
    taken = {id(row.line) for row in rows.values()}
    if 0 <= index < len(lines) and id(lines[index]) not in taken:
        line = lines[index]
        if "证明" in line.text:  # the title is no value
            return
        split = split_label(line)
        value_left, words = (split[1], split[2]) if split else (line.box[0], line.words)
        rows[field] = Row(field, line, value_left, words, 0.0)


# ----------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Read:
    """A value as read: parsed value (None if it does not parse or fails), text, confidence."""

    value: object
    text: str
    confidence: float
    box: Box | None
    method: str


def _confidence(words: Iterable[Word]) -> float:
    values = [word.confidence for word in words]
    return round(min(values), 3) if values else 0.0


def _value_text(field: str, text: str) -> str:
    """The value part of a row's text, cleaned for its field."""
    text = re.sub(r"\s", "", text)
    if field in CJK_FIELDS:  # the colon or a stray mark before the first character
        return re.sub(r"^[^\u4e00-\u9fff]+|[^\u4e00-\u9fff]+$", "", text)
    if field in ("monthly_income", "annual_income"):
        match = AMOUNT_SHAPE.search(text)  # printed with cents; 元 is often read as 7 or 70
        return match.group(0) if match else text
    if field in ("employed_since", "issue_date"):
        match = DATE_SHAPE.search(text)
        if match is None and field == "employed_since":  # 自2019年3月起: a month, no day
            match = MONTH_SHAPE.search(text)
        return match.group(0) if match else text
    if field == "income_in_words":  # a colon, 人民币 or 大写 beside the words
        return words_text(text)
    if field == "id_number":
        match = ID_SHAPE.search(text)
        return match.group(0).upper() if match else text
    if field == "employer_uscc":
        match = USCC_SHAPE.search(text.upper())
        return match.group(0) if match else text
    if field == "contact_phone":
        match = PHONE_SHAPE.search(text)
        return match.group(0) if match else text
    return text


def parse_value(field: str, text: str) -> object:
    """The field's typed value from its text, or None when it fails its own check."""
    if not text:
        return None
    if field in ("monthly_income", "annual_income"):
        amount = parse_money(text)
        return str(amount) if amount is not None else None
    if field == "employed_since" and MONTH_SHAPE.fullmatch(text):
        year, month = (int(part) for part in re.findall(r"\d+", text))
        return f"{year}-{month:02d}" if 1 <= month <= 12 else None
    if field in ("employed_since", "issue_date"):
        date = parse_date(text) if DATE_SHAPE.fullmatch(text) else None
        return date.isoformat() if date else None
    if field == "employee_name":
        return text if CJK.match(text) and 2 <= len(text) <= 4 else None
    if field in ("employer", "issuer"):
        return text if CJK.match(text) and ORG_SUFFIX.search(text) else None
    if field == "position":
        return text if CJK.match(text) else None
    if field == "income_in_words":  # with no figures to compare with: a whole amount, or none
        whole = text[-1] in WORDS_ENDINGS and parse_money(text) is not None
        return text if whole and set(text) <= AMOUNT_WORD_CHARS else None
    checks = {"id_number": IdNumber, "employer_uscc": Uscc, "contact_phone": Phone}
    if field in checks:
        return text if is_valid(checks[field], text) else None
    return text


def read_row(row: Row, method: str) -> Read:
    text = _value_text(row.field, row.text)
    confidence = _confidence(row.words)
    if row.field in ("employed_since", "issue_date"):
        fixed = _value_text(row.field, fix_line_date(row.text))
        if fixed != text:  # a repaired date is a guess: unsure, so a failed check asks again
            text, confidence, method = fixed, min(confidence, CLEAR / 2), "ocr_corrected"
    box = box_of(row.words) if row.words else None
    return Read(parse_value(row.field, text), text, confidence, box, method)


def fix_line_date(text: str) -> str:
    """What chi_sim does to `1日`: `1]日`, `]日`, `:日` (measured on fixtures, on page reads
    and on line re-reads alike)."""
    text = re.sub(r"(?<=\d{4})[\]|](?=年)", "", text)  # 2021]年
    text = re.sub(r"(?<=年)[\]|](?=\d月)", "1", text)  # ]1月 is 11月
    text = re.sub(r"(?<=年)(\d?)[\]|:;!lI](?=月)", r"\g<1>1", text)  # 1]月 is 11月, ]月 is 1月
    text = re.sub(r"(?<=\d)[\]|](?=日)", "", text)  # 1]日 is 1日, 31]日 is 31日
    return re.sub(r"(?<=月)[\]|:;!lI](?=日)", "1", text)  # ]日 is 1日


def needs_reread(read: Read, field: str = "") -> bool:
    """A value that failed its own check, or was read unsure, is worth a second look; one
    that passed a checksum (ID number, USCC) is taken: a misread rarely keeps its checksum.
    So is a start date that parses once repaired (`fix_line_date`): it stays unsure, but no
    check turns on its day (and every repaired start date that parsed was right on the
    fixture certificates, 38 of 38 over two page-image variants); the issue date decides
    recency, so a repaired one is read again."""
    if field in CHECKSUMMED and read.value is not None:
        return False
    if field == "employed_since" and read.method == "ocr_corrected" and read.value is not None:
        return False
    return read.value is None or read.confidence < CLEAR


# ----------------------------------------------------------------------------- re-reading


def value_region(row: Row, page: Page) -> Box:
    """Where the row's value is printed: from its start to the end of its text, padded."""
    if row.region is not None:
        return row.region
    line_top, line_bottom = _line_span(row.line)
    height = line_bottom - line_top
    left = row.value_left - height // 2  # the colon in view: tesseract finds the line better
    if row.words:
        right = max(box_of(row.words)[2], row.ink_right or 0) + height
        if (
            row.field in DATE_FIELDS
            and parse_value(row.field, _value_text(row.field, row.text)) is None
        ):
            # a date read in part (its end lost under seal ink): the crop runs a date's width
            right = max(right, left + VALUE_WIDTH[row.field] * height)
    else:
        right = left + VALUE_WIDTH.get(row.field, DEFAULT_VALUE_WIDTH) * height
    pad = height // 3
    return (
        max(0, left),
        max(0, line_top - pad),
        min(page.width, right),
        min(page.height, line_bottom + pad),
    )


def _line_span(line: Line) -> tuple[int, int]:
    """Top and bottom of the line's ordinary words (tall bracket boxes left out)."""
    middle, height = line.middle, line.height
    return round(middle - height / 2), round(middle + height / 2)


def clean_crop(
    image: Image.Image, box: Box, text_height: int, line_height: int = REREAD_LINE_HEIGHT
) -> Image.Image:
    """The region in grey, seal ink turned to paper, scaled to `line_height` text."""
    crop = image.crop(box)
    grey = crop.convert("L")
    if crop.mode == "RGB":
        pixels = np.asarray(grey).copy()
        pixels[red_mask(np.asarray(crop))] = 255
        grey = Image.fromarray(pixels)
    grey = ImageOps.autocontrast(grey, cutoff=1)
    scale = line_height / max(1, text_height)
    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
    return grey.resize(size, Image.Resampling.LANCZOS)


@dataclass(frozen=True)
class Crop:
    """A region to read again, and how tall its text is scaled for the reader (px)."""

    region: Box
    line_height: int = REREAD_LINE_HEIGHT


def reread(rows: list[Row], page: Page, reader: Reader) -> dict[str, list[tuple[Word, ...]]]:
    """The words read again in each row's value regions, each crop as one line (psm 7).

    Crops are cleaned and stacked on one sheet, and the sheet's regions go to the reader in
    one call per kind of text: Chinese (chi_sim only, which reads names better than with
    eng), and codes and figures (eng with a whitelist). A value may be cropped in more than
    one way (`REREAD_CROPS`), each one more crop in the same call. Word boxes come back as
    the region's box on the page.
    """
    if page.image is None or not rows:
        return {}
    found: dict[str, list[tuple[Word, ...]]] = {}
    for options, group in _by_options(rows):
        jobs = [(row, crop) for row in group for crop in value_crops(row, page)]
        crops = [
            clean_crop(page.image, crop.region, row.line.height, crop.line_height)
            for row, crop in jobs
        ]
        sheet, boxes = stack_crops(crops)
        try:
            readings = read_regions(
                reader, sheet, boxes, dpi=page.dpi, page=page.number, options=options
            )
        except OcrError:
            continue
        for (row, crop), reading in zip(jobs, readings, strict=True):
            words = sorted(reading.words, key=lambda word: (word.line, word.box[0]))
            found.setdefault(row.field, []).append(
                tuple(Word(word.text, crop.region, word.confidence, word.line) for word in words)
            )
    return found


@dataclass(frozen=True)
class CropSpec:
    """How to crop a value to read it again: from the label's colon (`colon`: the colon in
    view helps tesseract find the line) or from the value's start (`value`: no stray mark
    read before the value), and how tall its text is scaled (px)."""

    start: str
    line_height: int


# field -> its crops, read in the same reader call; the surest read that passes is taken.
# Measured on the 22 fixture certificates with every such field read again, photos both as
# taken and flattened (misreads of 44): names colon@40 4, value@48 8, both 2; employers
# colon@40 9, value@32 2, colon@32 and value@32 1; positions colon@40 8, value@48 1; start
# dates colon@40 2, value@48 1, both 0. A crop costs reader time in proportion to its width
# (an employer's ~15 ms, a name's ~5 ms, once the reader's model is loaded).
REREAD_CROPS: dict[str, tuple[CropSpec, ...]] = {
    "employee_name": (CropSpec("colon", 40), CropSpec("value", 48)),
    "employer": (CropSpec("colon", 32), CropSpec("value", 32)),
    "position": (CropSpec("value", 48),),
    "employed_since": (CropSpec("colon", 40), CropSpec("value", 48)),
}
DEFAULT_CROPS = (CropSpec("colon", REREAD_LINE_HEIGHT),)


def value_crops(row: Row, page: Page) -> list[Crop]:
    """The crops to read a row's value again from (`REREAD_CROPS`); a row without a label
    beside it (a band where the value should be) is read as one crop of its region."""
    region = value_region(row, page)
    if row.region is not None:
        return [Crop(region)]
    return [
        Crop(region if spec.start == "colon" else from_value_start(row, region), spec.line_height)
        for spec in REREAD_CROPS.get(row.field, DEFAULT_CROPS)
    ]


def from_value_start(row: Row, region: Box) -> Box:
    """`region` (from the label's colon) cut to start where the value does."""
    height = row.line.height
    start = max(region[0], min(row.value_left + height // 6, region[2] - height))
    return (start, *region[1:])


def second_regions(row: Row, page: Page) -> list[Box]:
    """Two crops of a row's value for the second reader: from the label's colon and from the
    value's start; a band where the value should be, as found and a third of a line taller."""
    region = value_region(row, page)
    if row.region is not None:
        pad = row.line.height // 3
        return [
            region,
            (region[0], max(0, region[1] - pad), region[2], min(page.height, region[3] + pad)),
        ]
    return [region, from_value_start(row, region)]


CHINESE = RegionOptions(psm=7, languages="chi_sim")
CODES = RegionOptions(psm=7, languages="eng", whitelist="0123456789ABCDEFGHJKLMNPQRTUWXY-,.")
CODE_FIELDS = {"id_number", "employer_uscc", "contact_phone", "monthly_income", "annual_income"}


REGION_OPTIONS = dict.fromkeys(CODE_FIELDS, CODES)


def _by_options(rows: list[Row]) -> list[tuple[RegionOptions, list[Row]]]:
    """The rows grouped by how their value is best read again (one reader call a group)."""
    groups: dict[RegionOptions, list[Row]] = {}
    for row in rows:
        groups.setdefault(REGION_OPTIONS.get(row.field, CHINESE), []).append(row)
    return list(groups.items())


# ----------------------------------------------------------------------------- amount in words


@dataclass(frozen=True)
class WordsRead:
    """The amount in words as printed: its text (marks and the 人民币/大写 prefix beside it
    left out), the amount cn2an parses from it (None unless every character is an amount
    character and it ends as a whole amount does) and the confidence of its words."""

    text: str
    amount: Decimal | None
    confidence: float


def words_text(text: str) -> str:
    """The words part of a row: no spaces, colons, brackets, 人民币 or 大写 beside it."""
    text = re.sub(r"[\s:：;；()（）]", "", text).strip(NOT_CJK)
    return re.sub(r"^(?:人民币)?(?:大写)?(?:人民币)?", "", text).strip(NOT_CJK)


def words_read(words: tuple[Word, ...]) -> WordsRead:
    """What the words say, parsed from the characters read and nothing else: a garbled or
    cut-off read is no amount (never completed from the figures)."""
    text = words_text("".join(word.text for word in words))
    whole = bool(text) and text[-1] in WORDS_ENDINGS and set(text) <= AMOUNT_WORD_CHARS
    amount = parse_money(text) if whole else None
    return WordsRead(text, amount, _confidence(words))


def words_field(
    page_row: Row, again: list[tuple[Word, ...]] | None, figures: Decimal | None, page: int
) -> FieldValue:
    """The amount in words from the page read and the second reads, each parsed as printed.

    Reads that parse and agree: the surest, and two agreeing reads count as confirmed. Reads
    that parse to different amounts: the surest, with no confidence (not clear either way).
    None parses: no value (the raw texts kept). `figures` never fill anything in; they only
    decide whether a read is worth a second look (`_words_need_reread`).
    """
    del figures  # judged in `check`, never used to complete a read
    reads = [(page_row.words, "ocr")] + [(words, "ocr_retry") for words in again or []]
    parsed = [(words_read(words), words, method) for words, method in reads]
    raw = " | ".join("".join(w.text for w in words) for words, _ in reads)
    whole = [item for item in parsed if item[0].amount is not None]
    if not whole:
        box = box_of(page_row.words) if page_row.words else None
        return FieldValue(value=None, page=page, box=box, raw=raw, method=parsed[-1][2])
    read, words, method = max(whole, key=lambda item: item[0].confidence)
    amounts = {item[0].amount for item in whole}
    confidence = read.confidence
    if len(amounts) > 1:
        confidence = 0.0
    elif len(whole) > 1:
        confidence = max(confidence, CONFIRMED)
    return FieldValue(
        value=read.text,
        confidence=round(confidence, 3),
        page=page,
        box=box_of(words) if words else None,
        raw=raw,
        method=method,
    )


# ----------------------------------------------------------------------------- extract


def _field(read: Read, page: int, raw: str | None = None) -> FieldValue:
    return FieldValue(
        value=read.value,
        confidence=read.confidence,
        page=page,
        box=read.box,
        raw=raw if raw is not None else read.text,
        method=read.method,
    )


def title_text(content: Content) -> str:
    """The text of the first two lines of the first page (where the title is)."""
    if not content.readings:
        return ""
    return "".join(line.text for line in lines_of(content.readings[0])[:2])


# the fields whose labels (or prose) are evidence that a page is a certificate
EVIDENCE_FIELDS = ("employee_name", "id_number", "employer", "position", "employed_since")
INCOME_FIELDS = ("monthly_income", "annual_income")


def detect(content: Content, titles: tuple[str, ...]) -> float:
    """How sure the file is a certificate with one of these titles (0..1): half for the
    title, half for the body (its fields' labels or sentences, and 兹证明/盖章 words)."""
    if not content.readings or content.tables:
        return 0.0
    text = plain("".join(word.text for reading in content.readings for word in reading.words))
    specs = field_labels()

    def shown(field: str) -> bool:
        spec = specs[field]
        return any(plain(label) in text for label in spec.labels) or any(
            re.search(pattern, text) for pattern in spec.prose
        )

    found = sum(shown(field) for field in EVIDENCE_FIELDS) + any(map(shown, INCOME_FIELDS))
    body = found / (len(EVIDENCE_FIELDS) + 1) + 0.25 * any(w in text for w in BODY_LABELS[5:])
    title = max(label_score(plain(title_text(content)), t) for t in titles)
    return round(0.5 * min(1.0, 1.5 * body) + 0.5 * (title if title >= 0.75 else 0.0), 3)


def extract(content: Content) -> dict[str, FieldValue]:
    """Every certificate field from the first page, with a second read where one failed."""
    if not content.readings:
        return {}
    reading = content.readings[0]
    page = next((p for p in content.pages if p.number == reading.page), None)
    rows, signature, seal = field_rows(reading, page)
    if page is not None and page.image is not None:
        rows = {field: with_ink_end(row, page.image) for field, row in rows.items()}
    reads = {field: _unsure_if_cut(read_row(row, "ocr"), row) for field, row in rows.items()}
    figures = parse_money(reads["monthly_income"].text) if "monthly_income" in reads else None
    retry = [
        row
        for field, row in rows.items()
        if field not in NOT_REREAD
        and row.found != "prose"
        and (
            (field != "income_in_words" and needs_reread(reads[field], field))
            or (field == "income_in_words" and _words_need_reread(row, figures))
        )
    ]
    again = reread(retry, page, content.reader) if page and content.reader else {}
    fields: dict[str, FieldValue] = {}
    for field in CERTIFICATE_FIELDS:
        row = rows.get(field)
        if row is None:
            fields[field] = FieldValue(value=None, page=reading.page, method="not_found")
        elif field == "income_in_words":
            fields[field] = words_field(row, again.get(field), figures, reading.page)
        else:
            fields[field] = _best(reads[field], row, again.get(field), reading.page)
    if content.second_reader is not None and page is not None and page.image is not None:
        for field, row in rows.items():
            if field not in SECOND_READ_FIELDS or row.found == "prose":
                continue
            if fields[field].value is None:
                fields[field] = second_read(row, page, content.second_reader, fields[field])
            elif field in UNSURE_TEXT_FIELDS and (fields[field].confidence or 0.0) < CLEAR:
                fields[field] = _surer(fields[field], row, page, content.second_reader)
    if "issuer" in rows:
        issuer = _best(reads["issuer"], rows["issuer"], again.get("issuer"), reading.page)
        fields["issuer"] = issuer.model_copy(update={"box": rows["issuer"].line.box})
    fields.update(seal)
    if reading.source != "text_layer":  # a text layer's characters are no ink under a seal
        sealed = _under_seal(fields, seal["seal_box"].value, rows, page, content.second_reader)
        fields.update(sealed)
    fields["signature_box"] = FieldValue(
        value=signature, page=reading.page, box=signature, method="layout" if signature else "none"
    )
    return fields


def _under_seal(
    fields: dict[str, FieldValue],
    seal: Box | None,
    rows: dict[str, Row],
    page: Page | None,
    second_reader: Reader | None,
) -> dict[str, FieldValue]:
    """Dates and the employer read through the seal's ink, trusted at most SEALED_CONFIDENCE
    unless two engines read the same: the ink breaks glyphs into others (6 into 5 or 9,
    measured on generated certificates), so a date only one engine read there, looking stale
    or in the future, asks for a clearer copy instead of calling the certificate wrong. Tesseract's
    reads are put to the second reader; the second reader's own are not confirmed by it."""
    if seal is None:
        return {}
    capped = {}
    for field in ("issue_date", "employed_since", "employer"):
        found = fields.get(field)
        if found is None or found.value is None or found.box is None:
            continue
        if not overlaps(found.box, seal):
            continue
        if found.method != "second_reader" and field in rows and page and second_reader:
            again = second_read(rows[field], page, second_reader, FieldValue(value=None))
            if again.value == found.value:
                continue
        confidence = min(found.confidence or 0.0, SEALED_CONFIDENCE)
        capped[field] = found.model_copy(update={"confidence": confidence})
    return capped


def field_rows(
    reading: Reading, page: Page | None
) -> tuple[dict[str, Row], Box | None, dict[str, FieldValue]]:
    """Each field's row on the page (by its label, its shape, or for the issue date the line
    under the seal), the signature block (`signature_block`) and the seal's fields: the seal
    is looked for on the signature first, so a round red logo elsewhere is not taken for it."""
    lines = lines_of(reading)
    rows = labelled_rows(lines, LABELS)
    for found in (column_rows(lines, LABELS), cell_rows(lines, LABELS)):
        for field, row in found.items():
            rows.setdefault(field, row)
    prose = prose_rows(lines, {f: spec.prose for f, spec in field_labels().items() if spec.prose})
    # a sentence is no `label：value` row: a weak label match on one (…身份证号码：… read as
    # 证明单位) is dropped
    sentences = {word.line for row in prose.values() for word in row.words}
    rows = {
        field: row
        for field, row in rows.items()
        if row.score >= STRONG_LABEL or not {word.line for word in row.line.words} & sentences
    }
    for field, row in prose.items():
        rows.setdefault(field, row)
    rows = shaped_rows(lines, bare_rows(lines, rows))
    if "employer" not in rows and "issuer" in rows:  # the issuer is the employer, as printed
        rows["employer"] = dataclasses.replace(rows["issuer"], field="employer")
    rows = {field: row for field, row in rows.items() if field in FIELD_LABELS or field == "issuer"}
    signature = signature_block(rows)  # before a date found from the seal's place joins
    seal = seal_fields(page, near=signature)
    seal_box = seal["seal_box"].value
    if "employer" not in rows and seal_box is not None and page is not None:
        pitch = _text_metrics(rows)[1]
        rows["employer"] = located(issuer_under_seal(seal_box, rows, page), page, pitch)
    if "issue_date" not in rows and seal_box is not None:
        rows["issue_date"] = date_under_seal(seal_box, rows, reading.page)
    if "issue_date" in rows and page is not None:
        rows["issue_date"] = located(rows["issue_date"], page, _text_metrics(rows)[1])
    return rows, signature, seal


def second_read(row: Row, page: Page, reader: Reader, unread: FieldValue) -> FieldValue:
    """The field as the second reader reads it where its crops agree (`agreed_read`), else
    `unread` as it was."""
    assert page.image is not None
    agreed = agreed_read(
        reader,
        page.image,
        second_regions(row, page),
        text_height=row.line.height,
        dpi=page.dpi,
        page=page.number,
        parse=lambda text: parse_value(row.field, _value_text(row.field, text)),
    )
    if agreed is None:
        return unread
    return FieldValue(
        value=agreed.value,
        confidence=agreed.confidence,
        page=page.number,
        box=unread.box or value_box_guess(row),
        raw=agreed.text,
        method="second_reader",
    )


def _surer(first: FieldValue, row: Row, page: Page, reader: Reader) -> FieldValue:
    """A text field tesseract read unsurely, read by the second reader too: the same text
    from both engines is sure; a different one, read more surely, replaces it (tesseract's
    chi_sim turns one stroke of a name into another character: 怡 into 恰)."""
    second = second_read(row, page, reader, FieldValue(value=None))
    if second.value is None:
        return first
    if second.value == first.value:
        return first.model_copy(update={"confidence": max(first.confidence or 0.0, CLEAR)})
    if (second.confidence or 0.0) > (first.confidence or 0.0):
        return second.model_copy(update={"box": first.box or second.box})
    return first


def date_under_seal(seal: Box, rows: dict[str, Row], page: int) -> Row:
    """The issue date where the seal hid it from the page read: the stamp is centred on the
    issuer's name and the date is the next line under it, one row pitch down. The band is
    2.6 text lines tall; `located` narrows it to the printed line nearest its middle."""
    height, pitch = _text_metrics(rows)
    left, top, right, bottom = seal
    middle = (top + bottom) // 2 + height // 2 + pitch
    region = (
        max(0, left - (right - left)),
        middle - BAND_HALF_HEIGHT * height // 10,
        right,
        middle + BAND_HALF_HEIGHT * height // 10,
    )
    return _ghost_row("issue_date", page, region, middle, height)


def issuer_under_seal(seal: Box, rows: dict[str, Row], page: Page) -> Row:
    """The employer's name where the seal hid it and no other line names it (the prose
    form's signature): the stamp is centred on the issuer's name, which may run past the
    seal on either side. `located` narrows the band to the printed line."""
    height, _ = _text_metrics(rows)
    left, top, right, bottom = seal
    middle = (top + bottom) // 2 + height // 2
    region = (
        max(0, left - (right - left)),
        middle - BAND_HALF_HEIGHT * height // 10,
        min(page.width, right + (right - left)),
        middle + BAND_HALF_HEIGHT * height // 10,
    )
    return _ghost_row("employer", page.number, region, middle, height)


def located(row: Row, page: Page, pitch: int) -> Row:
    """A row with nothing read (a band where its value should be) narrowed to the printed line
    nearest the band's middle, searched one row pitch up and down: a stamp's offset or a
    photo's distortion can put the line off the band's middle, and a band that cuts into the
    line above makes the single-line read fail. The row is unchanged when no line is found."""
    if row.words or row.region is None or page.image is None:
        return row
    left, top, right, bottom = row.region
    middle, height = (top + bottom) // 2, row.line.height
    search = (
        left,
        max(0, middle - pitch),
        min(page.width, right),
        min(page.height, middle + pitch),
    )
    line = ink_line(page.image, search, middle, height)
    if line is None:
        return row
    pad = height // 3
    region = (
        max(0, line[0] - height // 2),
        max(0, line[1] - pad),
        min(page.width, line[2] + height // 2),
        min(page.height, line[3] + pad),
    )
    return _ghost_row(row.field, row.line.page, region, (line[1] + line[3]) // 2, height)


def ink_line(image: Image.Image, search: Box, middle: int, height: int) -> Box | None:
    """The box of the printed text line in `search` whose middle is nearest `middle`.

    Print is found as dark pixels of the red channel: black print is dark in every channel,
    a red seal's ink is bright in the red one, so the stamp does not join or hide the lines.
    A line is a run of rows with ink (gaps under a quarter line joined) between half and twice
    a text line tall; its width is the widest group of ink columns (gaps under two lines
    joined), which leaves out specks and the stamp's edge.
    """
    crop = image.crop(search)
    red = np.asarray(crop.convert("RGB") if crop.mode != "L" else crop)
    red = red[..., 0] if red.ndim == 3 else red
    if not red.size:
        return None
    ink = red < INK_LEVEL * np.percentile(red, 90)
    lines = [
        (start, end)
        for start, end in _runs(ink.sum(axis=1), max(2, height // 8), max(1, height // 4))
        if height // 2 <= end - start <= 2 * height
    ]
    if not lines:
        return None
    top, bottom = min(lines, key=lambda run: abs(search[1] + (run[0] + run[1]) / 2 - middle))
    columns = _runs(ink[top:bottom].sum(axis=0), 1, 2 * height)
    first, last = max(columns, key=lambda run: run[1] - run[0])
    return (search[0] + first, search[1] + top, search[0] + last, search[1] + bottom)


def with_ink_end(row: Row, image: Image.Image) -> Row:
    """`row` with `ink_right` set where the print runs on past the last word read by more
    than half a text height (a character the page read dropped: 数据分析[师]); the text ends
    at the first blank gap wider than a text height, and a table's rule (ink down the whole
    band) is no print."""
    if not row.words or row.found == "prose" or row.region is not None:
        return row
    height = row.line.height
    _, top, right, bottom = box_of(row.words)
    end = min(image.width, right + VALUE_WIDTH.get(row.field, DEFAULT_VALUE_WIDTH) * height)
    if end - right <= height // 2 or bottom <= top:
        return row
    band = np.asarray(image.crop((right, top, end, bottom)).convert("RGB"))[..., 0]
    ink = band < INK_LEVEL * np.percentile(band, 90)
    counts = ink.sum(axis=0)
    printed = (counts > 0) & (counts < 0.9 * band.shape[0])
    last = None
    for column in np.flatnonzero(printed).tolist():
        if column - (last if last is not None else 0) > height:
            break
        last = column
    if last is None or last <= height // 2:
        return row
    return dataclasses.replace(row, ink_right=right + last)


def _unsure_if_cut(read: Read, row: Row) -> Read:
    """A read whose row has print past its last word is unsure, so it is read again."""
    if row.ink_right is None or read.value is None:
        return read
    return dataclasses.replace(read, confidence=min(read.confidence, CLEAR - 0.01))


def _runs(profile: np.ndarray, least: int, gap: int) -> list[tuple[int, int]]:
    """(start, end) of the runs where `profile` is at least `least`, gaps up to `gap` joined."""
    runs: list[list[int]] = []
    for index in np.flatnonzero(profile >= least).tolist():
        if runs and index - runs[-1][1] <= gap:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    return [(start, end + 1) for start, end in runs]


def signature_block(rows: dict[str, Row]) -> Box | None:
    """Where the issuer's name and the issue date are printed, from their own rows (found by
    label, or the line under the issuer's), or None when neither was found there.

    A row counts only below every other labelled row (a body line that matched 单位 is no
    signature). The block reaches SIGNATURE_WIDTH text heights right of its left edge: the
    seal hides the name it is stamped on, so the issuer's line is often read only up to the
    seal. Without the issuer's row it reaches one row pitch above the date (the issuer's
    line), without the date's one pitch below the issuer's; and one text height further on
    every side, so that a seal which only touches the print counts as on it.
    """
    others = [row.line.box[3] for field, row in rows.items() if field not in SIGNATURE_FIELDS]
    lowest = max(others, default=0)
    found = {
        field: rows[field].region or rows[field].line.box
        for field in SIGNATURE_FIELDS
        if field in rows and rows[field].line.middle > lowest
    }
    if not found:
        return None
    height, pitch = _text_metrics(rows)
    left = min(box[0] for box in found.values())
    top = min(box[1] for box in found.values()) - (0 if "issuer" in found else pitch)
    right = max(*(box[2] for box in found.values()), left + SIGNATURE_WIDTH * height)
    bottom = max(box[3] for box in found.values()) + (0 if "issue_date" in found else pitch)
    return (max(0, left - height), max(0, top - height), right + height, bottom + height)


def _text_metrics(rows: dict[str, Row]) -> tuple[int, int]:
    """Typical text height and distance between rows, from the labelled rows read."""
    unique = {id(row.line): row.line for row in rows.values()}.values()
    lines = sorted(unique, key=lambda line: line.middle)
    height = int(statistics.median(line.height for line in lines)) if lines else 48
    steps = [b.middle - a.middle for a, b in itertools.pairwise(lines)]
    steps = [step for step in steps if step < 4 * height]
    return height, int(statistics.median(steps)) if steps else round(2.1 * height)


def _words_need_reread(row: Row, figures: Decimal | None) -> bool:
    """A read of the words that is no whole amount, unsure, or unsure and unlike the figures."""
    read = words_read(row.words)
    if read.amount is None or read.confidence < CLEAR:
        return True
    return figures is not None and read.amount != figures and read.confidence < CONFIRMED


def _best(first: Read, row: Row, again: list[tuple[Word, ...]] | None, page: int) -> FieldValue:
    """The page read when it passed, else the surest second read that passed, else the first."""
    if not again or not needs_reread(first, row.field):
        return _field(first, page)
    retries = [
        (read_row(Row(row.field, row.line, row.value_left, words, row.score), "ocr_retry"), words)
        for words in again
    ]
    passed = [(retry, words) for retry, words in retries if retry.value is not None]
    if not passed and first.value is not None:
        return _field(first, page)
    if not passed:
        texts = " | ".join([first.text, *(retry.text for retry, _ in retries)])
        return _field(first, page, raw=texts)
    retry, _ = max(passed, key=lambda item: value_confidence(item[0].text, item[1]))
    box = first.box or value_box_guess(row)
    return _field(Read(retry.value, retry.text, retry.confidence, box, "ocr_retry"), page)


def value_confidence(text: str, words: tuple[Word, ...]) -> float:
    """The confidence of the words the value was taken from (a stray colon read as `1`
    before a name is left out, so that it does not decide between two reads)."""
    return min((word.confidence for word in words if set(word.text) & set(text)), default=0.0)


def value_box_guess(row: Row) -> Box:
    if row.region is not None:
        return row.region
    top, bottom = _line_span(row.line)
    width = VALUE_WIDTH.get(row.field, DEFAULT_VALUE_WIDTH) * (bottom - top)
    return (row.value_left, top, row.value_left + width, bottom)


def seal_fields(page: Page | None, near: Box | None = None) -> dict[str, FieldValue]:
    """has_seal / seal_box from the page image (a text-layer page's small render, its boxes
    scaled to the page), a stamp on `near` taken first; None (not checked) without either."""
    image = None if page is None else page.image if page.image is not None else page.preview
    if page is None or image is None:
        return {
            "has_seal": FieldValue(value=None, page=page.number if page else None, method="none"),
            "seal_box": FieldValue(value=None, method="none"),
        }
    scale = page.width / image.width

    def scaled(box: Box | None, factor: float) -> Box | None:
        return None if box is None else tuple(round(v * factor) for v in box)  # type: ignore[return-value]

    seal = find_seal(image, scaled(near, 1 / scale))
    box = scaled(seal.box, scale)
    has_seal = {SealStatus.PRESENT: True, SealStatus.ABSENT: False}.get(seal.status)
    method = "image" if page.image is not None else "render"
    return {
        "has_seal": FieldValue(
            value=has_seal,
            confidence=seal.score,
            page=page.number,
            box=box,
            raw=seal.status.value,
            method=method,
        ),
        "seal_box": FieldValue(value=box, page=page.number, box=box, method=method),
    }


# ----------------------------------------------------------------------------- check


def check(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """Every certificate check; all problems at once."""
    findings = [
        *_required(fields, context),
        *_words(fields, context),
        *_annual(fields, context),
        *_seal(fields, context),
        *_seal_place(fields, context),
        *_dates(fields, context),
        *_uscc(fields, context),
        *_phone(fields, context),
    ]
    return findings


def _evidence(fields: dict[str, FieldValue], field: str, context: CheckContext) -> Evidence:
    value = fields.get(field)
    if value is None:
        return Evidence(file=context.file)
    return Evidence(
        file=context.file,
        page=value.page,
        box=value.box,
        text=value.raw,
        confidence=value.confidence,
    )


def _retake(
    fields: dict[str, FieldValue],
    field: str,
    context: CheckContext,
    severity: Severity | None = None,
) -> Finding:
    return new_finding(
        Code.RETAKE,
        file=context.file,
        field=field,
        severity=severity,
        evidence=_evidence(fields, field, context),
        label=FIELD_LABELS[field],
    )


def _value(fields: dict[str, FieldValue], field: str) -> object:
    value = fields.get(field)
    return None if value is None else value.value


def _required(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    return [
        new_finding(
            Code.FIELD_UNREADABLE,
            file=context.file,
            field=field,
            evidence=_evidence(fields, field, context),
            label=FIELD_LABELS[field],
        )
        for field in REQUIRED
        if _value(fields, field) is None
    ]


def _words(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """Figures vs words: an error only when both were read with confidence, else a warning
    that names the words. Words that match the annual figures are the annual amount's."""
    words_field = fields.get("income_in_words")
    if words_field is None or words_field.value is None:
        return []  # no words read: the figures stand on their own
    words = parse_money(str(words_field.value))
    amounts = {
        name: parse_money(str(_value(fields, name) or ""))
        for name in ("monthly_income", "annual_income")
    }
    if words is not None and words in amounts.values():
        return []
    name = "monthly_income" if amounts["monthly_income"] is not None else "annual_income"
    figures = amounts[name]
    if figures is None:
        return []
    sure = (words_field.confidence or 0.0) >= CONFIRMED and (
        fields[name].confidence or 0.0
    ) >= CLEAR
    if words is None or not sure:
        return [_retake(fields, "income_in_words", context, severity=Severity.WARNING)]
    return [
        new_finding(
            Code.INCOME_WORDS_MISMATCH,
            file=context.file,
            field="income_in_words",
            evidence=_evidence(fields, "income_in_words", context),
            document={"zh": "证明", "en": "certificate"},
            figures=str(figures),
            words=str(words_field.value),
        )
    ]


def _annual(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    monthly = parse_money(str(_value(fields, "monthly_income") or ""))
    annual = parse_money(str(_value(fields, "annual_income") or ""))
    if not monthly or annual is None:
        return []
    tolerance = Decimal(str(context.policy.tolerances.annual_vs_monthly))
    if abs(annual - 12 * monthly) <= tolerance * 12 * monthly:
        return []
    return [
        new_finding(
            Code.INCOME_ANNUAL_MISMATCH,
            file=context.file,
            field="annual_income",
            evidence=_evidence(fields, "annual_income", context),
            monthly=str(monthly),
            annual=str(annual),
        )
    ]


def _seal(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """No red seal on a colour page is an error; a page that cannot show red is said so."""
    seal = fields.get("has_seal")
    if seal is None or seal.value is True:
        return []
    if seal.value is False:
        return [
            new_finding(
                Code.SEAL_MISSING,
                file=context.file,
                field="has_seal",
                evidence=Evidence(file=context.file, page=seal.page),
            )
        ]
    # greyscale copy or a text-layer PDF: the seal could not be checked
    reason = (
        {"zh": "黑白复印件看不出红色", "en": "a greyscale copy shows no red"}
        if seal.method in ("image", "render")
        else {"zh": "文件中没有页面图像", "en": "the file has no page image"}
    )
    return [
        new_finding(
            Code.SEAL_UNVERIFIED,
            file=context.file,
            field="has_seal",
            evidence=Evidence(file=context.file, page=seal.page, box=seal.box),
            reason=reason,
        )
    ]


def _seal_place(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """A red seal found away from the issuer's name and the issue date (`signature_block`):
    only where both boxes are known, since a signature not read is no evidence of a seal
    out of place."""
    seal, block = _box(fields, "seal_box"), _box(fields, "signature_box")
    if _value(fields, "has_seal") is not True or seal is None or block is None:
        return []
    if overlaps(seal, block):
        return []
    return [
        new_finding(
            Code.SEAL_MISPLACED,
            file=context.file,
            field="has_seal",
            evidence=Evidence(file=context.file, page=fields["has_seal"].page, box=seal),
        )
    ]


def _box(fields: dict[str, FieldValue], field: str) -> Box | None:
    """A field's value as a page box, or None when it holds none."""
    value = _value(fields, field)
    if not isinstance(value, tuple | list) or len(value) != 4:
        return None
    left, top, right, bottom = (int(number) for number in value)
    return left, top, right, bottom


def _dates(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """Dates not in the future, the issue date within the policy's window; a date that fails
    on an unsure read asks for a clearer copy instead."""
    findings = []
    days = context.policy.recency.certificate_days
    for field in ("employed_since", "issue_date"):
        date = parse_date(str(_value(fields, field) or ""))
        if date is None:
            continue
        future = date > context.as_of
        stale = field == "issue_date" and not future and (context.as_of - date).days > days
        if not (future or stale):
            continue
        if (fields[field].confidence or 0.0) < CLEAR:
            findings.append(_retake(fields, field, context))
        elif future:
            findings.append(
                new_finding(
                    Code.DATE_IN_FUTURE,
                    file=context.file,
                    field=field,
                    evidence=_evidence(fields, field, context),
                    date=date.isoformat(),
                )
            )
        else:
            findings.append(
                new_finding(
                    Code.CERTIFICATE_STALE,
                    file=context.file,
                    field=field,
                    evidence=_evidence(fields, field, context),
                    issue_date=date.isoformat(),
                    days=days,
                )
            )
    return findings


def _uscc(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """A printed USCC that fails its check: invalid on a clean read, a retake otherwise."""
    field = fields.get("employer_uscc")
    if field is None or field.value is not None or not field.raw:
        return []
    if (field.confidence or 0.0) < CLEAR or not USCC_SHAPE.fullmatch(field.raw):
        return [_retake(fields, "employer_uscc", context)]
    return [
        new_finding(
            Code.USCC_INVALID,
            file=context.file,
            field="employer_uscc",
            evidence=_evidence(fields, "employer_uscc", context),
            uscc=field.raw,
        )
    ]


def _phone(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    field = fields.get("contact_phone")
    if field is None or field.value is not None or not field.raw:
        return []
    if (field.confidence or 0.0) < CLEAR:
        return [_retake(fields, "contact_phone", context, severity=Severity.WARNING)]
    return [
        new_finding(
            Code.PHONE_INVALID,
            file=context.file,
            field="contact_phone",
            evidence=_evidence(fields, "contact_phone", context),
            phone=field.raw,
        )
    ]
