"""Identity numbers and fields: the resident ID number (GB 11643) checked with python-stdnum.

`id_number_problem` says why a number cannot be right (length, format, check digit, birth
date); an unknown region code is not among the reasons — retired codes are real — and is asked
separately with `id_region_known`. `ResidentIdNumber` is the annotated type for models.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError


class IdNumberProblem(StrEnum):
    """Why a resident ID number is invalid."""

    LENGTH = "length"  # not 18 characters
    FORMAT = "format"  # not 17 digits and a digit or X
    CHECK_DIGIT = "check_digit"
    BIRTH_DATE = "birth_date"  # the date in it is not a real date, or in the future


PROBLEM_REASONS = {
    IdNumberProblem.LENGTH: {"zh": "应为 18 位", "en": "18 characters expected"},
    IdNumberProblem.FORMAT: {"zh": "格式不对", "en": "wrong format"},
    IdNumberProblem.CHECK_DIGIT: {"zh": "校验位不对", "en": "the check digit is wrong"},
    IdNumberProblem.BIRTH_DATE: {
        "zh": "出生日期无效",
        "en": "the birth date in it is not a real date",
    },
}


def normalise_id_number(text: str) -> str:
    """Full-width forms folded (NFKC), spaces and dashes removed, `x` upper-cased."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text)).upper()


def id_number_problem(value: str, *, today: dt.date | None = None) -> IdNumberProblem | None:
    """Why `value` cannot be a resident ID number, or None when it can."""
    number = normalise_id_number(value)
    if len(number) != 18:
        return IdNumberProblem.LENGTH
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return IdNumberProblem.FORMAT
    if ric.calc_check_digit(number) != number[-1]:
        return IdNumberProblem.CHECK_DIGIT
    birth = id_birth_date(number)
    if birth is None or birth > (today or dt.date.today()):
        return IdNumberProblem.BIRTH_DATE
    return None


def id_birth_date(value: str) -> dt.date | None:
    """The birth date encoded in the number, or None when it is not a date."""
    try:
        return ric.get_birth_date(normalise_id_number(value))
    except (StdnumError, ValueError):
        return None


def id_sex(value: str) -> str | None:
    """男 or 女 from the 17th digit (odd: male), or None when that is not a digit."""
    number = normalise_id_number(value)
    if len(number) < 17 or not number[16].isdigit():
        return None
    return "男" if int(number[16]) % 2 else "女"


def id_region_known(value: str) -> bool:
    """Whether python-stdnum's table knows the region code for the year of birth."""
    try:
        ric.get_birth_place(normalise_id_number(value))
    except (StdnumError, ValueError, KeyError):
        return False
    return True


def _valid_id_number(value: str) -> str:
    problem = id_number_problem(value)
    if problem is not None:
        raise ValueError(f"not a valid resident ID number: {PROBLEM_REASONS[problem]['en']}")
    return value


ResidentIdNumber = Annotated[
    str,
    BeforeValidator(lambda value: normalise_id_number(str(value))),
    AfterValidator(_valid_id_number),
]


class CnIdFront(BaseModel):
    """The front of a resident ID card (居民身份证), as read."""

    name: str | None = None
    sex: str | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    address: str | None = None
    id_number: ResidentIdNumber | None = None


class CnIdBack(BaseModel):
    """The back of a resident ID card: the issuer and the validity period."""

    issuing_authority: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None  # None with long_term for 长期
    long_term: bool = False


# validity length by age at issue (居民身份证法, article 5)
VALIDITY_YEARS_BY_AGE = ((16, 5), (26, 10), (46, 20))  # under 16: 5 years; ... 46+: long term


def expected_validity_years(birth: dt.date, issued: dt.date) -> int | None:
    """Years an ID card issued on `issued` to someone born on `birth` is valid; None = 长期."""
    age = issued.year - birth.year - ((issued.month, issued.day) < (birth.month, birth.day))
    for below, years in VALIDITY_YEARS_BY_AGE:
        if age < below:
            return years
    return None
