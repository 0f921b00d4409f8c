"""The amount in words a payslip prints, parsed as printed: Chinese (壹万…元整, by cn2an) or
English (Forty Two Thousand …, Indian lakh and crore too)."""

from __future__ import annotations

import re
from decimal import Decimal

from checker.documents._certificate.fields import CJK
from checker.documents._payslip.fields import CENT
from checker.parse import parse_money
from checker.rows.lines import plain

NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
ENGLISH_NUMBERS = {word: value for value, word in enumerate(NUMBER_WORDS.split())} | {
    word: 10 * (index + 2) for index, word in enumerate(TENS_WORDS.split())
}
ENGLISH_SCALES = {
    "thousand": 1000,
    "lakh": 100_000,
    "lakhs": 100_000,
    "million": 1_000_000,
    "crore": 10_000_000,
    "crores": 10_000_000,
}


def english_amount(text: str) -> Decimal | None:
    """Forty Two Thousand Three Hundred Five -> 42305 (Indian lakh/crore too); None when a
    word is not a number word."""
    total = current = 0
    words = [w for w in re.split(r"[\s-]+", text.casefold()) if w and w != "and"]
    if not words:
        return None
    for word in words:
        if word in ENGLISH_NUMBERS:
            current += ENGLISH_NUMBERS[word]
        elif word == "hundred":
            current *= 100
        elif word in ENGLISH_SCALES:
            total += current * ENGLISH_SCALES[word]
            current = 0
        else:
            return None
    return Decimal(total + current).quantize(CENT)


def words_amount(text: str) -> Decimal | None:
    """The amount the words say, Chinese (壹万…元整) or English (Forty Two Thousand …)."""
    return parse_money(text) if CJK.match(plain(text) or "x") else english_amount(text)
