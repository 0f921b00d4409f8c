"""Whether Chinese characters are spelled, in pinyin, as a Latin name (a passport's zone
spells 刘晓燕 as LIU XIAOYAN). Readings come from pypinyin, every reading of each character
(单 is SHAN as a surname, DAN otherwise); ü is written U, V or YU (吕: LU, LV, LYU).

pypinyin is imported at the first name compared, without its phrase dictionary (characters are
read one at a time): 12 MB in the process instead of 56 (`PYPINYIN_NO_PHRASES`, its own switch,
set unless the process set it itself).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import cache

MOST_CHARACTERS = 6  # a name part longer than this is no name part


def spells(characters: str, latin: str) -> bool:
    """True when some reading of `characters`, one syllable each and no tones, is `latin`'s
    letters (case and spaces aside)."""
    want = re.sub("[^A-Z]", "", latin.upper())
    if not characters or not want or len(characters) > MOST_CHARACTERS:
        return False
    reached = {0}  # how much of `want` the characters so far can spell
    for character in characters:
        readings = _readings()(character)
        spellings = {
            variant
            for reading in (readings[0] if readings else [])
            for variant in _written(reading.upper())
            if variant
        }
        reached = {
            done + len(spelling)
            for done in reached
            for spelling in spellings
            if want.startswith(spelling, done)
        }
        if not reached:
            return False
    return len(want) in reached


def _written(reading: str) -> set[str]:
    """A syllable as passports write it: pypinyin's V (ü) as U, V or YU."""
    if "V" not in reading:
        return {reading}
    return {reading.replace("V", letters) for letters in ("U", "V", "YU")}


@cache
def _readings() -> Callable[[str], list[list[str]]]:
    """Every toneless reading of a character (pypinyin's NORMAL style), as a function."""
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "true")
    from pypinyin import Style, pinyin

    return lambda character: pinyin(character, style=Style.NORMAL, heteronym=True, errors="ignore")
