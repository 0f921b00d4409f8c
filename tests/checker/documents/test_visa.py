"""Visas (MRV-A, MRV-B): classified by the zone's V code; no composite check digit."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.document import Reading, Word
from checker.documents import CheckContext, Content, mrz_id_card, passport, visa
from checker.policy import default_policy

AS_OF = dt.date(2026, 11, 15)
MRV_B = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"]


@pytest.fixture(name="context")
def fixture_context() -> CheckContext:
    return CheckContext(policy=default_policy(), as_of=AS_OF, file="visa.jpg")


def test_a_current_visa_has_no_finding(context: CheckContext) -> None:
    assert visa.check(visa.extract(content_of(MRV_B)), context) == []


def content_of(lines: list[str]) -> Content:
    words = [
        Word(text=line, box=(10, 100 * i, 900, 100 * i + 30), confidence=0.9, line=(i, 1, 1))
        for i, line in enumerate(lines, start=1)
    ]
    return Content(readings=(Reading(page=1, words=words, source="ocr"),))


def test_a_v_zone_is_a_visa_even_beside_the_word_passport() -> None:
    content = content_of(["VISA", "PASSPORT NO. L8988901C", *MRV_B])
    scores = [module.detect(content) for module in (visa, passport, mrz_id_card)]
    assert scores == [1.0, 0.0, 0.0]


def test_an_expired_visa_is_said() -> None:
    # the specimen's expiry 961210 is 2096-12-10 (an expiry date is never in the past century)
    context = CheckContext(policy=default_policy(), as_of=dt.date(2097, 1, 1), file="visa.jpg")
    fields = visa.extract(content_of(MRV_B))
    assert fields["mrz_format"].value == "MRV-B"
    assert "check_composite" not in fields
    assert [f.code.value for f in visa.check(fields, context)] == ["visa_expired"]
