"""Both sides of the resident ID card read by their printed labels from a line detector.

The second reader (RapidOCR) reads the whole card with detection: on cards from a renderer
nobody here wrote it reads the Chinese print where tesseract's chi_sim loses it (5-6 of 6
fields against 0-2 on 12 fronts, ../shared/NOTES-OCR.md). Each field is then found by its
label in the card's own rows (`checker.labelled`) — 姓名, 性别 … 民族, 出生, 住址 (its
lines until the number), 公民身份号码; 签发机关, 有效期限 — never by where one template puts it.
The card modules keep what passes each field's own check and ask tesseract's pipeline only
for the rest.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from checker.document import Box, Page, Reading, Word
from checker.documents import Content
from checker.documents._cn_id import read_by_second_reader, simplified
from checker.labelled import Match, Row, find, fold, label_pattern, rows_of, union
from checker.ocr import OcrError
from schemas.reads import Read

METHOD = "ocr"  # a value read from the page reading, as tesseract's page values are
_CJK = r"[\u3400-\u9fff]"
LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份", "签发机关", "有效期限")
_ANY_LABEL = "(?:" + "|".join(label_pattern(label) for label in LABELS) + ")"


def _after(label: str, value: str) -> re.Pattern[str]:
    """`label`, then a value of the form `value` that is no label and runs up to the next
    label on the row or the row's end (two fields read as one run are told apart)."""
    return re.compile(
        label_pattern(label) + rf"\W?(?!{_ANY_LABEL})(?P<value>{value})(?={_ANY_LABEL}|$)"
    )


# what follows the label on its row
FRONT = {
    "name": _after("姓名", rf"{_CJK}[\u3400-\u9fff·.]*?"),
    "sex": _after("性别", r"[男女]\W*?"),
    "ethnicity": _after("民族", rf"{_CJK}{{1,5}}.*?"),
    "birth_date": _after("出生", r"\d{4}\D{1,2}\d{1,2}\D{1,2}\d{1,2}\D?.*?"),
    "address": _after("住址", r".+?"),
    "id_number": re.compile(r"(?P<value>\d{17}[\dXx×])"),
}
BACK = {
    "issuing_authority": _after("签发机关", rf"{_CJK}.*?"),
    "validity": re.compile(
        r"(?<!\d)(?P<value>\d{4}\D?\d{2}\D?\d{2}\D{0,3}(?:\d{4}\D?\d{2}\D?\d{2}(?!\d)|长期))"
    ),
}
FRONT_LABELS = re.compile(
    "|".join(label_pattern(label) for label in ("姓名", "性别", "民族", "出生", "住址"))
)
NUMBER_LABEL = re.compile("公民|身份号|号码")
MAX_ADDRESS_ROWS = 4  # the card prints at most about 11 characters a line


def card_rows(content: Content, reading: Reading, page: Page | None) -> list[Row] | None:
    """The rows of the card as the second reader reads its page (cached like any page read),
    only those inside the part of the page the card stands on; None without a second reader
    or an image."""
    second = content.second_reader
    if second is None or page is None or page.image is None:
        return None
    if read_by_second_reader(content, reading):
        words = reading.words  # the page reading is the second reader's already
    else:
        try:
            words = second.read(page.image, dpi=page.dpi, page=page.number).words
        except OcrError:
            return None
    if content.region is not None:
        words = [word for word in words if _inside(word.box, content.region)]
    return rows_of([replace(word, text=simplified(word.text)) for word in words])


def _inside(box: Box, region: Box) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] <= x <= region[2] and region[1] <= y <= region[3]


def field(parsed: object, match: Match | list[Word], page: int) -> Read[Any]:
    """A Read[Any] of `parsed` from the words it was read from (box, least confidence)."""
    words = list(match.words) if isinstance(match, Match) else match
    return Read(
        value=parsed,
        confidence=round(min(word.confidence for word in words), 3),
        page=page,
        box=union(word.box for word in words),
        raw=" ".join(word.text for word in words),
        method=METHOD,
    )


def front_matches(rows: list[Row]) -> dict[str, Match]:
    """Each front field's text after its label (the number: anywhere), where found."""
    found = {name: match for name, pattern in FRONT.items() if (match := find(rows, pattern))}
    if "address" in found:
        found["address"] = _address_rows(rows, found["address"], found.get("id_number"))
    return found


def _address_rows(rows: list[Row], first: Match, number: Match | None) -> Match:
    """The address: its first line after 住址 and the lines under it, in the value's column,
    until the number's row, a labelled row or a gap."""
    text, words = first.text, list(first.words)
    for index in range(first.row + 1, min(len(rows), first.row + MAX_ADDRESS_ROWS)):
        row = rows[index]
        above = rows[index - 1]
        if number is not None and index >= number.row:
            break
        if FRONT_LABELS.search(row.text) or NUMBER_LABEL.search(row.text):
            break
        if row.box[1] - above.box[3] > 1.5 * row.height:
            break
        if abs(row.box[0] - first.left) > 2 * row.height:
            break
        text += row.text
        words += row.words
    return Match(text, tuple(words), first.row, first.left)


def back_matches(rows: list[Row]) -> dict[str, Match]:
    """The issuing authority after its label and the validity period (anywhere)."""
    found = {name: match for name, pattern in BACK.items() if (match := find(rows, pattern))}
    authority = found.get("issuing_authority")
    if authority is not None and not authority.text.endswith("局"):
        # the authority may wrap onto the next row (a long 分局 name)
        below = authority.row + 1
        if below < len(rows) and fold(rows[below].text).endswith("局"):
            row = rows[below]
            if not BACK["validity"].search(row.text) and "有效" not in row.text:
                found["issuing_authority"] = Match(
                    authority.text + row.text,
                    authority.words + row.words,
                    authority.row,
                    authority.left,
                )
    return found


__all__ = ["BACK", "FRONT", "back_matches", "card_rows", "field", "front_matches"]
