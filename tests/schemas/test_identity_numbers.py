"""ID numbers as the state issues them: region codes in use since birth, residence permits,
the 2023 foreigner's permanent residence card, and full-width input."""

import datetime as dt

import pytest
from stdnum.cn import ric

import checker
from schemas.findings import Code, Severity
from schemas.identity import IdNumberKind, id_number_kind, id_number_problem, id_region_known

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９ｘ")


def _number(first17: str) -> str:
    """`first17` with its GB 11643 check digit."""
    return first17 + ric.calc_check_digit(first17 + "0")


@pytest.mark.parametrize(
    ("first17", "kind"),
    [
        ("11010519900307123", IdNumberKind.RESIDENT),
        ("81000019900307123", IdNumberKind.HMT_PERMIT),
        ("82000019900307123", IdNumberKind.HMT_PERMIT),
        ("83000019900307123", IdNumberKind.HMT_PERMIT),
        ("91115619900307123", IdNumberKind.FOREIGN_PERMANENT),
    ],
)
def test_each_card_is_named_by_its_number(first17, kind):
    number = _number(first17)
    assert id_number_problem(number) is None
    assert id_number_kind(number) == kind
    assert id_region_known(number)


@pytest.mark.parametrize(
    ("first17", "known"),
    [
        ("11010319900307123", True),  # 崇文区, retired in 2010: a card of 1990's holder keeps it
        ("11010320120307123", False),  # ... but no one born in 2012 was given it
        ("11011819600307123", True),  # 密云区, created 2015: a card re-issued to an older holder
        ("00000019900307123", False),  # no region at all
        ("99000019900307123", False),  # a foreigner's card of no province
    ],
)
def test_a_region_counts_when_it_was_in_use_since_the_holders_birth(first17, known):
    assert id_region_known(_number(first17), today=dt.date(2026, 11, 15)) is known


def test_a_number_with_no_region_is_said_so_by_check_fields():
    findings = checker.check_fields({"id_number": _number("00000019900307123")})
    assert [(f.code, f.severity) for f in findings] == [(Code.ID_REGION_UNKNOWN, Severity.WARNING)]


def test_full_width_digits_and_x_are_folded_with_a_note():
    number = _number("11010519900307100")
    typed = number.translate(FULL_WIDTH)
    assert typed != number
    findings = checker.check_fields({"id_number": typed})
    assert [(f.code, f.severity) for f in findings] == [(Code.ID_NUMBER_NORMALISED, Severity.INFO)]


@pytest.mark.parametrize(
    ("first17", "words"),
    [("81000019900307123", "Hong Kong"), ("91115619900307123", "permanent residence")],
)
def test_a_permit_or_foreigners_card_number_is_named(first17, words):
    [note] = checker.check_fields({"id_number": _number(first17)}, lang="en")
    assert note.code == Code.ID_NUMBER_KIND
    assert note.severity == Severity.INFO
    assert words in note.message
