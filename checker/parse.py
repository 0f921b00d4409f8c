"""Parsers for values read from documents: money and dates. Text in, a typed value or None.

None means "could not parse": the caller turns it into a finding. These never raise.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import cn2an

_UPPERCASE_DIGITS = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿两一二三四五六七八九十百千"
_FIGURES = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_CENT = Decimal("0.01")
_MAX_MONEY = Decimal("1e12")


def normalise(text: str) -> str:
    """Full-width forms folded (NFKC), spaces and thousands separators removed."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s,'_]", "", text)


def _chinese_integer(text: str) -> int | None:
    """An integer written in Chinese numerals (壹万贰仟…, 一万二千), through cn2an."""
    if not text:
        return 0
    if any(char not in _UPPERCASE_DIGITS for char in text):
        return None
    try:
        value = cn2an.cn2an(text, "strict")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if float(value).is_integer() else None


def _uppercase_amount(text: str) -> Decimal | None:
    """壹万贰仟叁佰肆拾伍元陆角柒分 or …元整 -> Decimal, with integers only along the way."""
    text = text.removeprefix("人民币").removesuffix("正").removesuffix("整")
    if not text:
        return None
    if not any(unit in text for unit in "元圆角分"):
        whole = _chinese_integer(text)
        return None if whole is None else Decimal(whole)
    match = re.fullmatch(
        r"(?:(?P<yuan>[^元圆角分]+)[元圆])?零?(?:(?P<jiao>[^元圆角分])角)?零?(?:(?P<fen>[^元圆角分])分)?",
        text,
    )
    if not match:
        return None
    yuan = _chinese_integer(match["yuan"] or "")
    jiao = _chinese_integer(match["jiao"] or "")
    fen = _chinese_integer(match["fen"] or "")
    if yuan is None or jiao is None or fen is None or jiao > 9 or fen > 9:
        return None
    return Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100


def parse_money(text: str | None) -> Decimal | None:
    """`¥12,345.67`, `12345.67元`, `1.2万`, `壹万贰仟…元陆角柒分` -> Decimal to the cent."""
    if not text:
        return None
    value = normalise(text)
    value = re.sub(r"^(?:人民币|RMB|CNY|[¥￥])", "", value, flags=re.IGNORECASE)
    value = (
        re.sub(r"(?:元|圆|RMB|CNY)$", "", value, flags=re.IGNORECASE)
        if _has_digit(value)
        else value
    )
    amount: Decimal | None
    try:
        if _FIGURES.match(value):
            amount = Decimal(value)
        elif re.fullmatch(r"\d+(?:\.\d+)?万", value):
            amount = Decimal(value[:-1]) * 10000
        else:
            amount = _uppercase_amount(value)
    except InvalidOperation:
        return None
    if amount is None or not amount.is_finite() or abs(amount) >= _MAX_MONEY:
        return None
    return amount.quantize(_CENT)


def _has_digit(text: str) -> bool:
    return any(char.isdigit() for char in text)


_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})[-./年](?P<m>\d{1,2})[-./月](?P<d>\d{1,2})日?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)


def parse_date(text: str | None) -> dt.date | None:
    """`2026-03-01`, `2026.03.01`, `2026/3/1`, `2026年3月1日`, `20260301` -> date, else None."""
    if not text:
        return None
    value = normalise(text)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(value)
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


# Characters of an uppercase RMB amount (壹万贰仟…元整): numerals, units and endings.
AMOUNT_WORD_CHARS = frozenset("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正")


def money_words(amount: Decimal) -> str:
    """The uppercase RMB words of an amount (8550 -> 捌仟伍佰伍拾元整), through cn2an."""
    return str(cn2an.an2cn(str(amount.quantize(_CENT)), "rmb"))
