"""Identity numbers and fields: the resident ID number (GB 11643) checked with python-stdnum.

`id_number_problem` says why a number cannot be right (length, format, check digit, birth
date); an unknown region code is not among the reasons — retired codes are real — and is asked
separately with `id_region_known`. The same form serves the Hong Kong / Macao / Taiwan
residence permit and the 2023 foreigner's permanent residence card (`id_number_kind`).
`ResidentIdNumber` is the annotated type for models.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from schemas.fields import DocumentFields, Facet, Label, facet
from schemas.reads import MaskableDate, Read


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


class IdNumberKind(StrEnum):
    """Which card an 18-character number of the GB 11643 form belongs to."""

    RESIDENT = "resident"  # 居民身份证: a GB/T 2260 region code
    HMT_PERMIT = "hmt_residence_permit"  # 港澳台居民居住证: 810000 / 820000 / 830000
    FOREIGN_PERMANENT = "foreign_permanent_resident"  # 外国人永久居留身份证 (GA 2102-2023): 9…


ID_NUMBER_KINDS = {
    IdNumberKind.RESIDENT: {"zh": "居民身份证号码", "en": "resident ID number"},
    IdNumberKind.HMT_PERMIT: {
        "zh": "港澳台居民居住证号码",
        "en": "Hong Kong, Macao or Taiwan residence permit number",
    },
    IdNumberKind.FOREIGN_PERMANENT: {
        "zh": "外国人永久居留身份证号码",
        "en": "foreigner's permanent residence ID number",
    },
}
HMT_REGIONS = ("810000", "820000", "830000")  # Hong Kong, Macao, Taiwan


def id_number_kind(value: str) -> IdNumberKind:
    """The card the number is of, by its first digits (same length, date and check digit)."""
    number = normalise_id_number(value)
    if number[:6] in HMT_REGIONS:
        return IdNumberKind.HMT_PERMIT
    if number.startswith("9"):
        return IdNumberKind.FOREIGN_PERMANENT
    return IdNumberKind.RESIDENT


def id_region_known(value: str, *, today: dt.date | None = None) -> bool:
    """Whether the number's region is a real one: for a resident number a GB/T 2260 code
    (python-stdnum's table) that was in use at some time between the holder's birth and
    today — a card keeps the code of where it was issued, retired since or created after the
    birth; for a residence permit its fixed code; for a foreigner's card (9, then the
    province of issue) a known province."""
    number = normalise_id_number(value)
    kind = id_number_kind(number)
    if kind == IdNumberKind.HMT_PERMIT:
        return True
    birth = id_birth_date(number)
    if birth is None:
        return False
    places = numdb.get("cn/loc").info(
        number[1:3] + "0000" if kind == IdNumberKind.FOREIGN_PERMANENT else number[:6]
    )
    info = {key: text for _part, props in places for key, text in props.items()}
    if kind == IdNumberKind.FOREIGN_PERMANENT:
        return "province" in info
    if "county" not in info:
        return False
    last_year = (today or dt.date.today()).year
    return any(_in_use(period, birth.year, last_year) for period in info["county"].split(","))


def _in_use(county: str, first_year: int, last_year: int) -> bool:
    """Whether a table entry (`[1986-]房山区`, `[-2010]崇文区`, `东城区`) was in use at some
    time in first_year..last_year."""
    period = re.match(r"\[(\d*)-(\d*)\]", county)
    if period is None:
        return True
    start, end = (int(year) if year else None for year in period.groups())
    return (start is None or start <= last_year) and (end is None or end >= first_year)


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


def read_date(read: Read[MaskableDate] | None) -> dt.date | None:
    """A date field's value as a date (a read given as ISO text too), None when masked."""
    value = read.value if read is not None else None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value


class CnIdFrontFields(DocumentFields):
    """The front of a resident ID card (居民身份证): the holder."""

    kind: Literal["cn_id_front"] = "cn_id_front"
    LABEL: ClassVar[Label] = {"zh": "身份证人像面", "en": "ID card (front)"}
    IDENTITY_RANK: ClassVar[int | None] = 0
    IS_CARD: ClassVar[bool] = True
    OTHER_SIDE: ClassVar[str | None] = "cn_id_back"

    name: Read[str] | None = None
    sex: Read[str] | None = None
    ethnicity: Read[str] | None = None
    birth_date: Read[MaskableDate] | None = None
    address: Read[str] | None = None
    id_number: Read[str] | None = None

    def holder_name(self) -> Facet[str] | None:
        return facet("name", self.name)

    def holder_id_number(self) -> Facet[str] | None:
        return facet("id_number", self.id_number)

    def holder_birth_date(self) -> dt.date | None:
        """The printed birth date, else the one in a valid number."""
        printed = read_date(self.birth_date)
        if printed is not None:
            return printed
        number = normalise_id_number(self.id_number.value or "") if self.id_number else ""
        return ric.get_birth_date(number) if number and ric.is_valid(number) else None


class CnIdBackFields(DocumentFields):
    """The back of a resident ID card: the issuer and the validity period."""

    kind: Literal["cn_id_back"] = "cn_id_back"
    LABEL: ClassVar[Label] = {"zh": "身份证国徽面", "en": "ID card (back)"}
    IS_CARD: ClassVar[bool] = True
    OTHER_SIDE: ClassVar[str | None] = "cn_id_front"

    issuing_authority: Read[str] | None = None
    valid_from: Read[MaskableDate] | None = None
    valid_until: Read[MaskableDate] | None = None  # None with long_term for 长期
    long_term: Read[bool] | None = None


class TravelDocumentFields(DocumentFields):
    """A document with an ICAO 9303 machine-readable zone: the zone's fields, its lines, each
    check digit's result, and the zone fields the printed page shows otherwise."""

    IDENTITY_RANK: ClassVar[int | None] = 1

    document_type: Read[str] | None = None
    issuing_country: Read[str] | None = None
    surname: Read[str] | None = None
    given_names: Read[str] | None = None
    document_number: Read[str] | None = None
    nationality: Read[str] | None = None
    birth_date: Read[MaskableDate] | None = None
    sex: Read[str] | None = None
    expiry_date: Read[MaskableDate] | None = None
    personal_number: Read[str] | None = None
    optional_data: Read[str] | None = None
    mrz_lines: Read[list[str]] | None = None
    mrz_format: Read[str] | None = None
    check_document_number: Read[bool] | None = None
    check_birth_date: Read[bool] | None = None
    check_expiry_date: Read[bool] | None = None
    check_personal_number: Read[bool] | None = None
    check_optional_data: Read[bool] | None = None
    check_composite: Read[bool] | None = None
    printed_mismatches: Read[list[str]] | None = None
    # the name in characters where the page prints it and its pinyin is the zone's name
    chinese_name: Read[str] | None = None

    def holder_name(self) -> Facet[str] | None:
        """Surname and given names as the zone spells them (Latin letters)."""
        parts = [read.value for read in (self.surname, self.given_names) if read and read.value]
        return Facet("name", Read(value=" ".join(parts), confidence=1.0)) if parts else None

    def holder_chinese_name(self) -> Facet[str] | None:
        """The name in Chinese characters a Chinese passport prints beside the Latin one: the
        name other documents print in characters are held to."""
        return facet("chinese_name", self.chinese_name)

    def holder_birth_date(self) -> dt.date | None:
        return read_date(self.birth_date)


class PassportFields(TravelDocumentFields):
    kind: Literal["passport"] = "passport"
    LABEL: ClassVar[Label] = {"zh": "护照", "en": "passport"}
    IS_CARD: ClassVar[bool] = True


class MrzIdCardFields(TravelDocumentFields):
    kind: Literal["mrz_id_card"] = "mrz_id_card"
    LABEL: ClassVar[Label] = {"zh": "身份证件（机读区）", "en": "ID card (machine-readable zone)"}
    # a card: a page sure of a record's kind is none (a record's columns of figures can look
    # like a TD1 zone)
    IS_CARD: ClassVar[bool] = True


class VisaFields(TravelDocumentFields):
    kind: Literal["visa"] = "visa"
    LABEL: ClassVar[Label] = {"zh": "签证", "en": "visa"}
    IDENTITY_RANK: ClassVar[int | None] = None  # a visa is no identity document


# validity length by age at issue (居民身份证法, article 5)
VALIDITY_YEARS_BY_AGE = ((16, 5), (26, 10), (46, 20))  # under 16: 5 years; ... 46+: long term


def expected_validity_years(birth: dt.date, issued: dt.date) -> int | None:
    """Years an ID card issued on `issued` to someone born on `birth` is valid; None = 长期."""
    age = issued.year - birth.year - ((issued.month, issued.day) < (birth.month, birth.day))
    for below, years in VALIDITY_YEARS_BY_AGE:
        if age < below:
            return years
    return None
