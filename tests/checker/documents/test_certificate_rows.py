"""Certificate rows whose label was garbled, and the amount in words when a read says nothing.

Synthetic lines and a scripted second reader: no OCR runs here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from PIL import Image

from checker.document import Page, Reading, Word
from checker.documents import Content, income_certificate
from checker.documents._certificate.reread import second_read
from checker.documents._certificate.values import read_row, value_text, words_field
from checker.rows.label_value import Row, split_label
from checker.rows.lines import lines_of
from schemas.reads import Read, Reads

INTRO = "兹证明以下人员为我单位正式员工，其在职及收入情况如下："


def _reading(rows: list[str]) -> Reading:
    """A page reading: one line per string, words split at spaces, 100 px apart."""
    words = []
    for number, row in enumerate(rows, start=1):
        x = 300
        for part in row.split(" "):
            box = (x, number * 100, x + 40 * len(part), number * 100 + 48)
            words.append(Word(part, box, 0.95, (1, 1, number)))
            x += 40 * len(part) + 20
    return Reading(page=1, words=words, source="ocr")


def _fields(rows: list[str]) -> Reads:
    return income_certificate.extract(Content(readings=(_reading(rows),)))


def _words(text: str, confidence: float = 0.95) -> tuple[Word, ...]:
    return tuple(
        Word(char, (i * 50, 0, i * 50 + 45, 48), confidence) for i, char in enumerate(text)
    )


def _row(text: str) -> Row:
    [line] = lines_of(_reading([f"大写： {text}"]))
    _, value_left, words = split_label(line)
    return Row("income_in_words", line, value_left, words, 1.0)


def test_a_sentence_ending_in_a_colon_is_no_label():
    """The intro holds 收入 and ends in a colon: it must not take the monthly income's row
    from the line whose label was garbled (found by its 人民币…元 instead)."""
    fields = _fields(
        [
            INTRO,
            "姓名： 张子轩",
            "AWWA Bini)： 人民币 26,300.12 元",
            "年收入（税前）： 人民币 315,601.44 元",
        ]
    )
    assert fields["monthly_income"].value == "26300.12"
    assert fields["annual_income"].value == "315601.44"


def test_the_words_row_is_the_line_under_the_figures_when_its_label_is_garbled():
    fields = _fields(
        [
            INTRO,
            "月收入（税前）： 人民币 8,100.94 元",
            "KB： PACA A",
            "年收入（税前）： 人民币 97,211.28 元",
        ]
    )
    words = fields["income_in_words"]
    assert (words.value, words.raw, words.method) == (None, "PACAA", "ocr")


@pytest.mark.parametrize(
    ("reads", "expected"),
    [
        (["PACAA"], None),  # nothing of the words
        (["PACAA", ":拥什喜佰元玖角肆分"], None),  # garbled: never completed from the figures
        (["拥什喜"], None),
        ([":玖仟壹佰元玖角肆分"], "玖仟壹佰元玖角肆分"),  # another amount, read whole: kept
        (["押什伍佰伍拾元", "捌仟壹佰元玖角肆分"], "捌仟壹佰元玖角肆分"),  # the whole re-read
    ],
    ids=["garbage", "garbled-re-read", "too-little", "other-amount", "whole-re-read"],
)
def test_words_are_parsed_as_printed_never_completed(reads, expected):
    page_read, *again = reads
    row = _row(page_read)
    field = words_field(row, [_words(text) for text in again], Decimal("8100.94"), 1)
    assert field.value == expected


def test_words_reads_that_disagree_are_unsure():
    row = _row("捌仟壹佰元玖角肆分")
    field = words_field(row, [_words("玖仟壹佰元玖角肆分")], Decimal("8100.94"), 1)
    assert field.confidence == 0.0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("贰万陆仟叁佰元壹角贰分", "贰万陆仟叁佰元壹角贰分"),
        ("：贰万陆仟叁佰元壹角贰分", "贰万陆仟叁佰元壹角贰分"),
        ("贰万陆他人参佰元壹角贰分", None),  # garbled
        ("贰万陆仟叁佰", None),  # cut off: no 元
    ],
    ids=["whole", "colon", "garbled", "cut-off"],
)
def test_words_without_figures_are_taken_only_whole(text, value):
    read = read_row(_row(text), "ocr")
    assert read.value == value


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ([("：捌仟壹佰元玖角肆分", 0.99), ("捌仟壹佰元玖角肆分", 0.98)], "捌仟壹佰元玖角肆分"),
        ([("：玖仟壹佰元玖角肆分", 0.99), ("玖仟壹佰元玖角肆分", 0.98)], "玖仟壹佰元玖角肆分"),
        ([("：捌仟壹佰元玖角肆分", 0.99), ("捌什壹佰元玖角肆分", 0.98)], None),
        ([("：捌仟壹佰元玖角肆分", 0.99), ("捌仟壹佰元玖角肆分", 0.80)], None),
        ([("：肆分", 0.99), ("肆分", 0.99)], "肆分"),  # what was read, not the figures' words
    ],
    ids=["agreed", "other-amount", "one-garbled", "unsure", "cut-off"],
)
def test_second_read_words(scripted_reader, script, expected):
    """Taken where both crops agree on a whole amount, as printed: the check judges it
    against the figures; nothing is filled in from them."""
    page = Page(number=1, width=1000, height=200, dpi=300, image=Image.new("RGB", (1000, 200)))
    unread = Read(value=None, raw="PACAA", method="ocr")
    field = second_read(_row("PACAA"), page, scripted_reader(script), unread)
    assert field.value == expected
    assert field.method == ("second_reader" if expected else "ocr")


def test_words_pointing_at_a_person_named_below_are_no_name():
    """兹证明以下人员为我单位正式员工: 以下人员 ("the person below") is no name; with the name's
    own row garbled, the name stays unread rather than reading those words."""
    fields = _fields([INTRO, "姓 名： PES", "身份证号码： 330106199602037048"])
    assert fields["employee_name"].value is None


def test_the_label_read_with_the_value_is_left_out():
    """A second read of a spaced label's row may hold the label too (姓名：李佳慧)."""
    assert value_text("employee_name", "姓名：李佳慧") == "李佳慧"
    assert value_text("employer", "工作单位:北京星河数据科技有限公司") == "北京星河数据科技有限公司"
    assert value_text("employee_name", "李佳慧") == "李佳慧"


class BandReader:
    """A second reader that finds the name line in whatever band it is asked to read."""

    name, version, languages, options = "band", "0", "", ""

    def __init__(self) -> None:
        self.bands: list[tuple[int, int]] = []

    def read(self, image, *, dpi, page):
        self.bands.append(image.size)
        words = [Word("姓名：陈思琪", (40, 10, 400, 58), 0.98, (0, 0, 0))]
        return Reading(page=page, words=words, source="ocr")


def test_a_line_the_page_reading_dropped_is_read_in_the_blank_it_left():
    """The name line missing from the page reading (a tesseract slip on a photo): the blank
    between the lines around it is read by the second reader, and the name found there."""
    rows = [INTRO, "", "身份证号码： 310104199002177702", "工作单位： 北京星河数据科技有限公司"]
    rows += ["日期： 2026年10月30日"]
    reading = _reading([row or "-" for row in rows])
    reading.words = [word for word in reading.words if word.text != "-"]  # the dropped line
    page = Page(number=1, width=1600, height=800, dpi=300, image=Image.new("RGB", (1600, 800)))
    reader = BandReader()
    fields = income_certificate.extract(
        Content(readings=(reading,), pages=(page,), second_reader=reader)
    )
    assert fields["employee_name"].value == "陈思琪"
    assert len(reader.bands) == 1  # only the blank the line left was read


def test_a_reading_with_every_required_row_reads_no_blank():
    rows = [INTRO, "姓名： 陈思琪", "工作单位： 北京星河数据科技有限公司", "日期： 2026年10月30日"]
    page = Page(number=1, width=1600, height=800, dpi=300, image=Image.new("RGB", (1600, 800)))
    reader = BandReader()
    income_certificate.extract(
        Content(readings=(_reading(rows),), pages=(page,), second_reader=reader)
    )
    assert reader.bands == []
