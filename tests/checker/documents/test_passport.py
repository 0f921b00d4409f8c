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


# a Chinese passport's page as the page reader gives it: each label above its value, the
# name in characters beside its Latin spelling
CHINESE_ZONE = [
    "P<CHNLIU<<XIAOYAN<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    "E115820896CHN9404232F3306149<<<<<<<<<<<<<<<8",
]


def chinese_page(surname: str = "刘 LIU", given: str = "晓 燕 XIAOYAN") -> list[str]:
    return [
        "中华人民共和国 护照",
        "姓/Surname",
        surname,
        "名/Given names",
        given,
        "护照号/Passport No.",
        "E11582089",
        "出生日期/Date of birth",
        "23 APR 1994",
        "有效期至/Date of expiry",
        "14 JUN 2033",
        *CHINESE_ZONE,
    ]


def test_the_name_in_characters_is_read_where_its_pinyin_is_the_zones_name() -> None:
    fields = passport.extract(content_of(chinese_page()))
    assert fields.holder_chinese_name() is not None
    assert fields["chinese_name"].value == "刘晓燕"


@pytest.mark.parametrize(
    ("surname", "given"),
    [("刘 LIU", "晚 燕 XIAOYAN"), ("LIU", "XIAOYAN"), ("刘 LIU", "晓燕 XIAOYANG")],
    ids=["a misread character", "no characters", "a misread Latin name"],
)
def test_no_name_in_characters_unless_it_spells_the_zones_name(surname: str, given: str) -> None:
    fields = passport.extract(content_of(chinese_page(surname, given)))
    assert fields.get("chinese_name") is None
    assert fields.holder_chinese_name() is None


def test_a_labels_characters_are_not_taken_for_the_name() -> None:
    """姓 (the label) is also read XING: the surname 邢 is the value's, not the label's."""
    zone = [CHINESE_ZONE[0].replace("LIU<", "XING<")[:44], CHINESE_ZONE[1]]
    page = [line if "<" not in line else zone.pop(0) for line in chinese_page("邢XING")]
    assert passport.extract(content_of(page))["chinese_name"].value == "邢晓燕"


def test_the_printed_page_is_held_to_the_zone(context: CheckContext) -> None:
    clean = passport.extract(content_of(chinese_page()))
    assert clean["printed_mismatches"].value == []
    page = [line.replace("23 APR 1994", "25 APR 1994") for line in chinese_page()]
    fields = passport.extract(content_of(page))
    assert fields["printed_mismatches"].value == ["birth_date"]
    assert "mrz_page_mismatch" in codes(passport.check(fields, context))


def test_a_date_the_page_does_not_print_is_no_mismatch() -> None:
    """A visa sticker prints the birth date but not the expiry: nothing to hold it to."""
    page = [
        line for line in chinese_page() if line not in ("14 JUN 2033", "有效期至/Date of expiry")
    ]
    issued = [*page[:-2], "签发日期/Date of issue", "15 JUN 2023", *CHINESE_ZONE]
    assert passport.extract(content_of(issued))["printed_mismatches"].value == []


@pytest.mark.parametrize(
    "name_lines",
    [["姓名/Name 刘晓燕 LIU, XIAOYAN"], ["姓名/Name", "刘晓燕", "LIU XIAOYAN"]],
    ids=["beside", "above"],
)
def test_the_whole_name_in_characters_is_read_beside_or_above_its_pinyin(name_lines) -> None:
    page = [*name_lines, *[line for line in chinese_page() if "/" not in line][1:]]
    page = [line for line in page if line not in ("刘 LIU", "晓 燕 XIAOYAN")]
    assert passport.extract(content_of(page))["chinese_name"].value == "刘晓燕"
