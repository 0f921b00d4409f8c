"""A certificate value as read off its row: its text cleaned for its field and parsed, or
None when it fails its own check (`parse_value`), and whether it is worth a second look
(`needs_reread`). The amount in words is parsed (cn2an) from the characters printed and read,
never completed from the figures (`words_read`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from checker.document import Box, Word
from checker.documents._certificate.fields import (
    AMOUNT_SHAPE,
    CHECKSUMMED,
    CJK,
    CJK_FIELDS,
    CLEAR,
    CONFIRMED,
    DATE_SHAPE,
    ID_SHAPE,
    LABELS,
    MONTH_SHAPE,
    ORG_SUFFIX,
    PHONE_SHAPE,
    USCC_SHAPE,
)
from checker.parse import AMOUNT_WORD_CHARS, parse_date, parse_money
from checker.rows.label_value import Row
from checker.rows.lines import box_of
from schemas.income import IdNumber, Phone, Uscc, is_valid
from schemas.reads import Read

NOT_CJK = "".join(chr(code) for code in range(0x20, 0x7F)) + "，。：；、（）〈〉"
WORDS_ENDINGS = "元圆整正角分"  # how a whole amount in words ends


@dataclass(frozen=True)
class RowRead:
    """A value as read: parsed value (None if it does not parse or fails), text, confidence."""

    value: object
    text: str
    confidence: float
    box: Box | None
    method: str


def _confidence(words: Iterable[Word]) -> float:
    values = [word.confidence for word in words]
    return round(min(values), 3) if values else 0.0


def value_text(field: str, text: str) -> str:
    """The value part of a row's text, cleaned for its field."""
    text = re.sub(r"\s", "", text)
    if field in CJK_FIELDS:  # its label and colon, or a stray mark, before the value
        label, colon, after = text.replace(":", "：").partition("：")
        if colon and label in LABELS.get(field, ()):
            text = after
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


def read_row(row: Row, method: str) -> RowRead:
    text = value_text(row.field, row.text)
    confidence = _confidence(row.words)
    if row.field in ("employed_since", "issue_date"):
        fixed = value_text(row.field, fix_line_date(row.text))
        if fixed != text:  # a repaired date is a guess: unsure, so a failed check asks again
            text, confidence, method = fixed, min(confidence, CLEAR / 2), "ocr_corrected"
    box = box_of(row.words) if row.words else None
    return RowRead(parse_value(row.field, text), text, confidence, box, method)


def fix_line_date(text: str) -> str:
    """What chi_sim does to `1日`: `1]日`, `]日`, `:日` (measured on fixtures, on page reads
    and on line re-reads alike)."""
    text = re.sub(r"(?<=\d{4})[\]|](?=年)", "", text)  # 2021]年
    text = re.sub(r"(?<=年)[\]|](?=\d月)", "1", text)  # ]1月 is 11月
    text = re.sub(r"(?<=年)(\d?)[\]|:;!lI](?=月)", r"\g<1>1", text)  # 1]月 is 11月, ]月 is 1月
    text = re.sub(r"(?<=\d)[\]|](?=日)", "", text)  # 1]日 is 1日, 31]日 is 31日
    return re.sub(r"(?<=月)[\]|:;!lI](?=日)", "1", text)  # ]日 is 1日


def needs_reread(read: RowRead, field: str = "") -> bool:
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
) -> Read[Any]:
    """The amount in words from the page read and the second reads, each parsed as printed.

    Reads that parse and agree: the surest, and two agreeing reads count as confirmed. Reads
    that parse to different amounts: the surest, with no confidence (not clear either way).
    None parses: no value (the raw texts kept). `figures` never fill anything in; they only
    decide whether a read is worth a second look (`words_need_reread`).
    """
    del figures  # judged in `check`, never used to complete a read
    reads = [(page_row.words, "ocr")] + [(words, "ocr_retry") for words in again or []]
    parsed = [(words_read(words), words, method) for words, method in reads]
    raw = " | ".join("".join(w.text for w in words) for words, _ in reads)
    whole = [item for item in parsed if item[0].amount is not None]
    if not whole:
        box = box_of(page_row.words) if page_row.words else None
        return Read(value=None, page=page, box=box, raw=raw, method=parsed[-1][2])
    read, words, method = max(whole, key=lambda item: item[0].confidence)
    amounts = {item[0].amount for item in whole}
    confidence = read.confidence
    if len(amounts) > 1:
        confidence = 0.0
    elif len(whole) > 1:
        confidence = max(confidence, CONFIRMED)
    return Read(
        value=read.text,
        confidence=round(confidence, 3),
        page=page,
        box=box_of(words) if words else None,
        raw=raw,
        method=method,
    )


def words_need_reread(row: Row, figures: Decimal | None) -> bool:
    """A read of the words that is no whole amount, unsure, or unsure and unlike the figures."""
    read = words_read(row.words)
    if read.amount is None or read.confidence < CLEAR:
        return True
    return figures is not None and read.amount != figures and read.confidence < CONFIRMED
