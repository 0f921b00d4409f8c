"""ID cards with a TD1 machine-readable zone: classified by the zone, checked like a passport."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.document import Reading, Word
from checker.documents import CheckContext, Content, mrz_id_card, passport, visa
from checker.policy import default_policy

AS_OF = dt.date(2026, 11, 15)
TD1 = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]


@pytest.fixture(name="context")
def fixture_context() -> CheckContext:
    return CheckContext(policy=default_policy(), as_of=AS_OF, file="card.jpg")


def content_of(lines: list[str]) -> Content:
    words = [
        Word(text=line, box=(10, 100 * i, 900, 100 * i + 30), confidence=0.9, line=(i, 1, 1))
        for i, line in enumerate(lines, start=1)
    ]
    return Content(readings=(Reading(page=1, words=words, source="ocr"),))


def test_a_td1_zone_is_an_id_card_not_a_passport_or_a_visa() -> None:
    content = content_of(["IDENTITY CARD", *TD1])
    scores = [module.detect(content) for module in (mrz_id_card, passport, visa)]
    assert scores == [1.0, 0.0, 0.0]


def test_its_fields_come_from_the_zone(context: CheckContext) -> None:
    fields = mrz_id_card.extract(content_of(TD1))
    assert (fields["document_number"].value, fields["mrz_format"].value) == ("D23145890", "TD1")
    assert fields["mrz_lines"].value == TD1
    assert [f.code.value for f in mrz_id_card.check(fields, context)] == ["mrz_id_card_expired"]


def test_a_failing_check_digit_is_the_zone_finding(context: CheckContext) -> None:
    second = TD1[1][:14] + "0" + TD1[1][15:]  # expiry check digit 9 -> 0
    fields = mrz_id_card.extract(content_of([TD1[0], second, TD1[2]]))
    codes = [f.code.value for f in mrz_id_card.check(fields, context)]
    assert codes == ["mrz_zone_check_failed"]
