"""Resident ID card rules: the number (python-stdnum), the card against its number, validity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from checker.documents import CheckContext, cn_id_back, cn_id_front
from checker.policy import default_policy
from schemas.findings import Code, Severity
from schemas.identity import (
    CnIdBackFields,
    CnIdFrontFields,
    IdNumberProblem,
    ResidentIdNumber,
    expected_validity_years,
    id_birth_date,
    id_number_problem,
    id_region_known,
    id_sex,
)
from schemas.reads import Read

AS_OF = dt.date(2026, 11, 15)
VALID = "330106198907193012"  # Hangzhou Xihu, 1989-07-19, male

# published and constructed vectors: (number, problem)
NUMBERS = {
    "valid_with_x": ("11010519491231002X", None),  # GB 11643's worked example
    "valid_lower_x": ("11010519491231002x", None),
    "valid_digits": (VALID, None),
    "valid_1880": ("440524188001010014", None),  # stdnum's example range
    "full_width_digits": ("３３０１０６１９８９０７１９３０１２", None),
    "spaced": ("330106 19890719 3012", None),
    "wrong_check_digit": ("330106198907193013", IdNumberProblem.CHECK_DIGIT),
    "x_where_digit_due": ("33010619890719301X", IdNumberProblem.CHECK_DIGIT),
    "impossible_date": ("110105199902301237", IdNumberProblem.BIRTH_DATE),  # 30 February
    "future_date": ("110105203001011231", IdNumberProblem.BIRTH_DATE),
    "too_short": ("33010619890719301", IdNumberProblem.LENGTH),
    "fifteen_digits": ("330106890719301", IdNumberProblem.LENGTH),
    "letter_inside": ("33010619890719A012", IdNumberProblem.FORMAT),
}


@pytest.mark.parametrize(("number", "problem"), NUMBERS.values(), ids=list(NUMBERS))
def test_id_number_problem(number: str, problem: IdNumberProblem | None) -> None:
    if problem == IdNumberProblem.BIRTH_DATE and number.startswith("1101052030"):
        # make the check digit right so the date is what fails
        from stdnum.cn import ric

        number = number[:17] + ric.calc_check_digit(number)
    assert id_number_problem(number, today=AS_OF) == problem


def test_an_unknown_region_is_not_a_problem_but_is_reported_as_unknown() -> None:
    number = "999999199001011238"  # check digit right, region 999999 in no table
    assert id_number_problem(number, today=AS_OF) is None
    assert not id_region_known(number)
    assert id_region_known(VALID)


@pytest.mark.parametrize(
    ("number", "birth", "sex"),
    [(VALID, dt.date(1989, 7, 19), "男"), ("11010519491231002X", dt.date(1949, 12, 31), "女")],
    ids=["male", "female"],
)
def test_birth_date_and_sex_from_the_number(number: str, birth: dt.date, sex: str) -> None:
    assert (id_birth_date(number), id_sex(number)) == (birth, sex)


def test_annotated_type_validates_with_stdnum() -> None:
    from pydantic import TypeAdapter, ValidationError

    adapter = TypeAdapter(ResidentIdNumber)
    assert adapter.validate_python("11010519491231002x") == "11010519491231002X"
    with pytest.raises(ValidationError, match="check digit"):
        adapter.validate_python("330106198907193013")


@pytest.mark.parametrize(
    ("birth", "issued", "years"),
    [
        (dt.date(2015, 1, 1), dt.date(2030, 12, 31), 5),
        (dt.date(2000, 6, 1), dt.date(2016, 6, 1), 10),
        (dt.date(2000, 6, 1), dt.date(2026, 5, 31), 10),
        (dt.date(1990, 1, 1), dt.date(2016, 1, 1), 20),
        (dt.date(1970, 1, 1), dt.date(2016, 1, 1), None),
    ],
    ids=["under_16", "16", "25", "26", "46"],
)
def test_validity_years_by_age_at_issue(birth: dt.date, issued: dt.date, years: int | None) -> None:
    assert expected_validity_years(birth, issued) == years


@pytest.mark.parametrize(
    ("birth", "start", "end", "fits"),
    [
        (dt.date(1989, 7, 19), dt.date(2016, 1, 21), dt.date(2036, 1, 21), True),
        (dt.date(1989, 7, 19), dt.date(2016, 1, 21), dt.date(2026, 1, 21), False),
        (dt.date(1960, 1, 1), dt.date(2016, 1, 21), None, True),
        (dt.date(1989, 7, 19), dt.date(2016, 1, 21), None, False),
    ],
    ids=["20_years_at_26", "10_years_at_26", "long_term_at_56", "long_term_at_26"],
)
def test_validity_fits_age(birth, start, end, fits) -> None:
    assert cn_id_back.validity_fits_age(birth, start, end) is fits


# --- checks on fields ------------------------------------------------------------------------


def field(value, confidence: float = 0.95, method: str = "ocr") -> Read[Any]:
    return Read(value=value, confidence=confidence, page=1, box=(1, 2, 3, 4), method=method)


@pytest.fixture(name="context")
def fixture_context() -> CheckContext:
    return CheckContext(policy=default_policy(), as_of=AS_OF, file="id_front.jpg")


def front(**changes: Read[Any]) -> CnIdFrontFields:
    fields = {
        "name": field("李浩然"),
        "sex": field("男"),
        "ethnicity": field("汉"),
        "birth_date": field(dt.date(1989, 7, 19)),
        "address": field("浙江省杭州市西湖区望京街282号"),
        "id_number": field(VALID),
    }
    return CnIdFrontFields.of(fields | changes)


def codes(findings) -> list[str]:
    return [finding.code.value for finding in findings]


CASES = {
    "clean": ({}, []),
    "birth_date_differs": ({"birth_date": field(dt.date(1989, 7, 18))}, ["id_birth_date_mismatch"]),
    "birth_date_differs_unclear": (
        {"birth_date": field(dt.date(1989, 7, 18), 0.4)},
        ["retake"],
    ),
    "sex_differs": ({"sex": field("女")}, ["id_sex_mismatch"]),
    "sex_differs_unclear": ({"sex": field("女", 0.3)}, ["retake"]),
    "check_digit_confirmed": (
        {"id_number": field("330106198907193013", method="ocr_confirmed")},
        ["id_number_invalid"],
    ),
    "check_digit_low_confidence": (
        {"id_number": field("330106198907193013", 0.4, "ocr_confirmed")},
        ["id_number_unclear"],
    ),
    "check_digit_single_read": (
        {"id_number": field("330106198907193013")},
        ["id_number_unclear"],
    ),
    "number_missing": ({"id_number": field(None, 0.0, "missing")}, ["id_number_unclear"]),
    "name_missing": ({"name": field(None, 0.0, "missing")}, ["field_unreadable"]),
}


@pytest.mark.parametrize(("changes", "expected"), CASES.values(), ids=list(CASES))
def test_front_check(context: CheckContext, changes, expected) -> None:
    assert codes(cn_id_front.check(front(**changes), context)) == expected


def test_region_unknown_is_a_warning(context: CheckContext) -> None:
    from stdnum.cn import ric

    number = "00000019890719301"
    number += ric.calc_check_digit(number + "0")
    [finding] = cn_id_front.check(front(id_number=field(number)), context)
    assert (finding.code, finding.severity, finding.ctx["region"]) == (
        Code.ID_REGION_UNKNOWN,
        Severity.WARNING,
        "000000",
    )


def back(until: dt.date | None, confidence: float = 0.95) -> CnIdBackFields:
    return CnIdBackFields.of(
        {
            "issuing_authority": field("杭州市公安局西湖分局"),
            "valid_from": field(dt.date(2016, 1, 21), confidence),
            "valid_until": field(until, confidence),
            "long_term": field(until is None, confidence),
        }
    )


BACKS = {
    "valid": (dt.date(2036, 1, 21), 0.95, []),
    "long_term": (None, 0.95, []),
    "expired": (dt.date(2026, 11, 14), 0.95, ["id_expired"]),
    "expired_unclear": (dt.date(2026, 11, 14), 0.4, ["retake"]),
    "expires_in_margin": (dt.date(2026, 12, 1), 0.95, ["id_expires_soon"]),
    "expires_today": (AS_OF, 0.95, ["id_expires_soon"]),
}


@pytest.mark.parametrize(("until", "confidence", "expected"), BACKS.values(), ids=list(BACKS))
def test_back_check(context: CheckContext, until, confidence, expected) -> None:
    assert codes(cn_id_back.check(back(until, confidence), context)) == expected


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("2016.01.21-2036.01.21", (dt.date(2016, 1, 21), dt.date(2036, 1, 21))),
        ("2016.01.21-长期", (dt.date(2016, 1, 21), None)),
        ("2016.01.21 — 2036.01.21", (dt.date(2016, 1, 21), dt.date(2036, 1, 21))),
        ("2016.02.30-2036.02.30", None),
        ("签发机关", None),
    ],
    ids=["dates", "long_term", "spaced_dash", "impossible", "no_dates"],
)
def test_parse_validity(text: str, parsed) -> None:
    assert cn_id_back.parse_validity(text) == parsed


# --- robustness ------------------------------------------------------------------------------


JUNK = {"empty": "", "euro": "€", "nul": "\x00", "spaces": " " * 500}


@pytest.mark.parametrize("module", [cn_id_front, cn_id_back], ids=["front", "back"])
@pytest.mark.parametrize("text", JUNK.values(), ids=list(JUNK))
def test_junk_gives_findings_not_exceptions(module, text: str, context: CheckContext) -> None:
    from checker.document import Reading, Word
    from checker.documents import Content

    words = [Word(text=text, box=(0, 0, 10, 10), confidence=0.5)] if text else []
    content = Content(readings=(Reading(page=1, words=words, source="ocr"),))
    assert 0 <= module.detect(content) <= 1
    fields = module.extract(content)
    assert module.check(fields, context)
