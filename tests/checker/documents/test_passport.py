"""Passport checks on MRZ fields: check digits, expiry, the zone missing."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.document import Reading, Word
from checker.documents import CheckContext, Content, passport
from checker.policy import default_policy
from schemas.reads import Read

AS_OF = dt.date(2026, 11, 15)
TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]


@pytest.fixture(name="context")
def fixture_context() -> CheckContext:
    return CheckContext(policy=default_policy(), as_of=AS_OF, file="passport.jpg")


def content_of(lines: list[str]) -> Content:
    """A page reading whose lines are `lines` (no image: the page reading is all there is)."""
    words = [
        Word(text=line, box=(10, 100 * i, 900, 100 * i + 30), confidence=0.9, line=(i, 1, 1))
        for i, line in enumerate(lines, start=1)
    ]
    return Content(readings=(Reading(page=1, words=words, source="ocr"),))


def codes(findings) -> list[str]:
    return [finding.code.value for finding in findings]


def test_specimen_fields_and_checks_come_from_the_zone() -> None:
    fields = passport.extract(content_of(["PASSPORT", *TD3]))
    assert fields["document_number"].value == "L898902C3"
    assert fields["birth_date"].value == dt.date(1974, 8, 12)
    assert fields["mrz_lines"].value == TD3
    assert fields["mrz_lines"].method == "mrz"
    assert all(fields[f"check_{name}"].value for name in passport.CHECKS)


def test_specimen_is_detected_as_a_passport() -> None:
    assert passport.detect(content_of(["PASSPORT", *TD3])) == 1.0


def test_expired_specimen_is_passport_expired(context: CheckContext) -> None:
    fields = passport.extract(content_of(TD3))
    assert codes(passport.check(fields, context)) == ["passport_expired"]


def test_wrong_check_digit_is_mrz_check_failed(context: CheckContext) -> None:
    second = TD3[1][:19] + "3" + TD3[1][20:]  # birth date check digit 2 -> 3
    [finding, *_] = passport.check(passport.extract(content_of([TD3[0], second])), context)
    assert finding.code.value == "mrz_check_failed"
    assert finding.ctx["checks"] == ["birth_date", "composite"]
    assert "birth date" in finding.ctx["label"]["en"]


def test_ocr_confusion_is_repaired_and_said(context: CheckContext) -> None:
    second = TD3[1].replace("7408122", "74O8122")
    fields = passport.extract(content_of([TD3[0], second]))
    assert (fields["birth_date"].value, fields["birth_date"].method) == (
        dt.date(1974, 8, 12),
        "mrz_corrected",
    )


def test_no_zone_is_field_unreadable(context: CheckContext) -> None:
    fields = passport.extract(content_of(["PASSPORT", "nothing here"]))
    assert codes(passport.check(fields, context)) == ["field_unreadable"]


def test_valid_passport_has_no_finding(context: CheckContext) -> None:
    fields = passport.FIELDS.of(
        {"mrz_lines": Read(value=TD3), "expiry_date": Read(value=dt.date(2030, 4, 25))}
    )
    assert passport.check(fields, context) == []


@pytest.mark.parametrize(
    "text", ["", "€", "\x00", " " * 500], ids=["empty", "euro", "nul", "spaces"]
)
def test_junk_gives_findings_not_exceptions(text: str, context: CheckContext) -> None:
    content = content_of([text]) if text else Content(readings=())
    assert passport.check(passport.extract(content), context)


PROSE = [
    "Dear applicant,",
    "Please bring your passport and a recent bank statement to the branch.",
    "The PASSPORT must be valid for six months after the date of the loan.",
    "Date of birth, nationality and surname are checked against the form.",
]


def test_english_prose_about_a_passport_is_not_a_passport() -> None:
    assert passport.detect(content_of(PROSE)) == 0.0


@pytest.mark.ocr
def test_a_page_of_english_prose_without_a_zone_is_not_classified_a_passport(tmp_path) -> None:
    from PIL import Image, ImageDraw

    from checker.check import check_file
    from checker.ocr import get_reader
    from fixtures.draw import font

    image = Image.new("RGB", (1700, 1100), "white")
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(PROSE * 2):
        draw.text((80, 100 + 90 * index), line, font=font("dejavu", 34), fill=(20, 20, 20))
    path = tmp_path / "letter.png"
    image.save(path)
    policy = default_policy()
    checked = check_file(
        path, policy=policy, reader=get_reader(policy.ocr, cache=False), as_of=AS_OF
    )
    assert checked.report.kind not in ("passport", "mrz_id_card", "visa")
