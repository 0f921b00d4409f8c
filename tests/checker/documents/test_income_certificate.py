"""Income and employment certificates: the checks on given fields, and reading synthetic lines."""

import datetime as dt
import io
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from checker.check import check_file
from checker.document import Page, Reading, Word
from checker.documents import CheckContext, Content, employment_certificate, income_certificate
from checker.documents._certificate import checks
from checker.documents._certificate.fields import LABELS
from checker.documents._certificate.layout import ink_line, reaching_past_seal, signature_block
from checker.documents._certificate.reread import Crop, best, value_crops
from checker.documents._certificate.values import (
    fix_line_date,
    needs_reread,
    parse_value,
    read_row,
    value_text,
    words_read,
)
from checker.ocr import get_reader
from checker.policy import default_policy
from checker.rows.label_value import Row, labelled_rows, split_label
from checker.rows.lines import lines_of
from checker.rows.tables import column_rows
from fixtures.income import SEAL_RED, draw_seal
from schemas.findings import Code, Severity
from schemas.reads import Read, Reads

AS_OF = dt.date(2026, 11, 15)
VALID_USCC = "91310115QXX1TTYX58"
APPLICATIONS = Path(__file__).parents[3] / "fixtures" / "applications"


@pytest.fixture(name="context")
def _context():
    return CheckContext(policy=default_policy(), as_of=AS_OF, file="income_certificate.png")


def clean_fields(**changes) -> Reads:
    """The fields of a valid certificate, read cleanly; `changes` replace some."""
    values = {
        "employee_name": "吴秀英",
        "id_number": "110105198906240641",
        "employer": "上海云帆智能制造有限公司",
        "employer_uscc": VALID_USCC,
        "position": "行政专员",
        "employed_since": "2022-12-01",
        "monthly_income": "8550.00",
        "annual_income": "102600.00",
        "income_in_words": "捌仟伍佰伍拾元整",
        "issue_date": "2026-11-09",
        "contact_phone": "021-68716816",
        "has_seal": True,
        "seal_box": (1585, 2593, 2057, 3065),
        "signature_box": (1135, 2806, 2357, 3071),
    }
    fields = {name: Read(value=value, confidence=0.95, page=1) for name, value in values.items()}
    for name, change in changes.items():
        fields[name] = (
            change
            if isinstance(change, Read)
            else Read(value=change, confidence=0.95, page=1, raw=str(change))
        )
    return fields


def codes(findings) -> list[tuple[str, str]]:
    return sorted((finding.code.value, finding.severity.value) for finding in findings)


def test_clean_certificate_has_no_findings(context):
    assert checks.check(clean_fields(), context) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"income_in_words": "玖仟伍佰伍拾元整"}, [("income_words_mismatch", "error")]),
        (
            {"income_in_words": Read(value="玖仟伍佰伍拾元整", confidence=0.4, page=1)},
            [("retake", "warning")],
        ),
        ({"income_in_words": Read(value=None, raw="起什佐", page=1)}, []),
        ({"annual_income": "200000.00"}, [("income_annual_mismatch", "warning")]),
        ({"annual_income": "115000.00"}, []),  # a bonus within the tolerance
        ({"has_seal": False}, [("seal_missing", "error")]),
        ({"has_seal": None}, [("seal_unverified", "warning")]),  # greyscale copy: could not check
        ({"seal_box": (1004, 1164, 1476, 1636)}, [("seal_misplaced", "warning")]),
        ({"seal_box": (1004, 2580, 1476, 3052)}, []),  # overlaps the signature's left part
        ({"seal_box": (1004, 1164, 1476, 1636), "signature_box": None}, []),  # not read
        ({"issue_date": "2026-05-14"}, [("certificate_stale", "error")]),
        ({"issue_date": "2026-12-01"}, [("date_in_future", "error")]),
        (
            {"issue_date": Read(value="2026-01-11", confidence=0.4, page=1)},
            [("retake", "warning")],
        ),
        ({"issue_date": None}, [("field_unreadable", "warning")]),
        (
            {"employer_uscc": Read(value=None, raw="91310115QXX1TTYX59", confidence=0.95)},
            [("uscc_invalid", "error")],
        ),
        (
            {"employer_uscc": Read(value=None, raw="91310115QXX1TTYX59", confidence=0.3)},
            [("retake", "warning")],
        ),
        (
            {"contact_phone": Read(value=None, raw="12345", confidence=0.95)},
            [("phone_invalid", "warning")],
        ),
    ],
    ids=[
        "words-differ",
        "words-differ-unsure",
        "words-unreadable",
        "annual-far",
        "annual-bonus",
        "seal-missing",
        "seal-not-checkable",
        "seal-on-the-body",
        "seal-on-the-label",
        "seal-away-signature-unread",
        "stale",
        "future",
        "stale-on-unsure-read",
        "issue-date-unread",
        "uscc-invalid",
        "uscc-unsure",
        "phone-implausible",
    ],
)
def test_checks(context, changes, expected):
    assert codes(checks.check(clean_fields(**changes), context)) == expected


def test_words_mismatch_names_both_amounts(context):
    [finding] = checks.check(clean_fields(income_in_words="玖仟伍佰伍拾元整"), context)
    assert finding.ctx == {
        "figures": "8550.00",
        "words": "玖仟伍佰伍拾元整",
        "document": {"zh": "证明", "en": "certificate"},  # where both are printed
    }
    assert finding.field == "income_in_words"


def _words(text: str, confidence: float = 0.95) -> tuple[Word, ...]:
    return tuple(
        Word(char, (i * 50, 0, i * 50 + 45, 48), confidence) for i, char in enumerate(text)
    )


@pytest.mark.parametrize(
    ("read", "amount"),
    [
        ("捌仟伍佰伍拾元整", Decimal("8550")),
        ("人民币（大写）：壹万肆仟元整", Decimal("14000")),
        ("捌什伍佰伍抬元整", None),  # 什/抬 are no amount characters: not made into 仟/拾
        ("押什伍佰伍拾元", None),
    ],
    ids=["exact", "prefixed", "garbled", "garbled-short"],
)
def test_words_read_parses_what_is_printed(read, amount):
    assert words_read(_words(read)).amount == amount


@pytest.mark.parametrize(
    ("text", "value"),
    [("人民币 15,000.00 元", "15000.00"), ("15.000.00", None), ("月收入8,550.00元", "8550.00")],
    ids=["thousands", "dot-thousands", "glued"],
)
def test_amount_figures_never_a_piece_of_a_longer_number(text, value):
    assert parse_value("monthly_income", value_text("monthly_income", text)) == value


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("2019年5月1]日", "2019年5月1日"),
        ("2026年1]月]日", "2026年11月1日"),
        ("2026年10月31]日", "2026年10月31日"),
        ("2018年4月]日", "2018年4月1日"),
        ("2021]年11月1日", "2021年11月1日"),
    ],
    ids=["day-bracket", "month-and-day", "two-digit-day", "lone-bracket", "year-bracket"],
)
def test_fix_line_date(text, fixed):
    assert fix_line_date(text) == fixed


def _reading(rows: list[str]) -> Reading:
    """A page reading: one line per string, words split at spaces, 100 px apart."""
    words = []
    for number, row in enumerate(rows, start=1):
        x = 300
        for part in row.split(" "):
            words.append(
                Word(
                    part,
                    (x, number * 100, x + 40 * len(part), number * 100 + 48),
                    0.95,
                    (1, 1, number),
                )
            )
            x += 40 * len(part) + 20
    return Reading(page=1, words=words, source="ocr")


CERTIFICATE_LINES = [
    "收入证明",
    "兹证明以下人员为我单位正式员工，其在职及收入情况如下：",
    "姓名： 吴秀英",
    "身份证号码： 110105198906240641",
    "工作单位： 上海云帆智能制造有限公司",
    f"统一社会信用代码： {VALID_USCC}",
    "职务： 行政专员",
    "入职日期： 2022年12月1日",
    "月收入（税前）： 人民币 8,550.00 元",
    "大写： 捌仟伍佰伍拾元整",
    "年收入（税前）： 人民币 102,600.00 元",
    "联系人： 陈先生 联系电话： 021-68716816",
    "单位（盖章）： 上海云帆智能制造有限公司",
    "日期： 2026年11月9日",
]


def test_extract_from_clean_lines_without_an_image():
    content = Content(readings=(_reading(CERTIFICATE_LINES),))
    fields = income_certificate.extract(content)
    values = {name: field.value for name, field in fields.items()}
    assert values["employee_name"] == "吴秀英"
    assert values["employer_uscc"] == VALID_USCC
    assert values["employed_since"] == "2022-12-01"
    assert values["monthly_income"] == "8550.00"
    assert values["annual_income"] == "102600.00"
    assert values["income_in_words"] == "捌仟伍佰伍拾元整"
    assert values["issue_date"] == "2026-11-09"
    assert values["contact_phone"] == "021-68716816"
    assert values["has_seal"] is None  # no image: the seal could not be looked for


def test_title_tells_income_from_employment_certificate():
    income = Content(readings=(_reading(CERTIFICATE_LINES),))
    employment = Content(readings=(_reading(["在职证明", *CERTIFICATE_LINES[1:]]),))
    assert income_certificate.detect(income) > employment_certificate.detect(income)
    assert employment_certificate.detect(employment) > income_certificate.detect(employment)
    assert income_certificate.detect(income) >= 0.9


JUNK = ["", "€", "\x00", " " * 500, "收入证明", "：：：", "大写：壹壹壹壹"]


@pytest.mark.parametrize(
    "text", JUNK, ids=["empty", "euro", "nul", "spaces", "title", "colons", "words"]
)
@pytest.mark.parametrize(
    "module", [income_certificate, employment_certificate], ids=lambda m: m.KIND
)
def test_junk_gives_findings_never_an_exception(module, text, context):
    reading = _reading([text]) if text.strip() else Reading(page=1, words=[], source="ocr")
    blank = Page(
        number=1, width=100, height=100, dpi=300, image=Image.new("RGB", (100, 100), "white")
    )
    content = Content(readings=(reading,), pages=(blank,))
    assert 0.0 <= module.detect(content) <= 1.0
    fields = module.extract(content)
    findings = module.check(fields, context)
    assert any(finding.severity is Severity.ERROR for finding in findings)
    assert Code.FIELD_UNREADABLE in {finding.code for finding in findings}


def _certificate_with_seal_at(centre: tuple[int, int]) -> bytes:
    """The committed certificate printed without a seal, stamped at `centre` with the
    generator's seal (PNG bytes)."""
    source = APPLICATIONS / "defect_seal_missing" / "income_certificate.png"
    truth = json.loads(source.with_name(source.name + ".truth.json").read_text("utf-8"))
    with Image.open(source) as image:
        page = image.convert("RGB")
    draw_seal(page, centre, truth["fields"]["employer"]["value"], random.Random(7))
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("centre", "misplaced"),
    [
        ((1890, 2857), False),  # on the issuer's name, as stamped: the name's middle, its top
        ((1890, 3257), False),  # low, on the date only
        ((1240, 1400), True),  # on the body, over the income lines
        ((600, 3150), True),  # bottom left, beside the signature
    ],
    ids=["on-name", "on-date", "on-body", "bottom-left"],
)
def test_seal_placement_read_from_the_image(centre, misplaced):
    policy = default_policy()
    checked = check_file(
        ("income_certificate.png", _certificate_with_seal_at(centre)),
        policy=policy,
        reader=get_reader(policy.ocr),
        as_of=AS_OF,
    )
    codes = {finding.code for finding in checked.report.findings}
    assert checked.report.fields["has_seal"].value is True
    assert (Code.SEAL_MISPLACED in codes) is misplaced
    assert Code.SEAL_MISSING not in codes


@pytest.mark.ocr
def test_a_round_red_logo_in_the_letterhead_is_not_taken_for_the_seal():
    """A plain red ring (a logo) at the top left looks more like a ring than the stamp with
    its text and star; the seal is looked for on the signature first."""
    source = APPLICATIONS / "clean_id_certificate_pdf" / "income_certificate.png"
    truth = json.loads(source.with_name(source.name + ".truth.json").read_text("utf-8"))
    with Image.open(source) as image:
        page = image.convert("RGB")
    diameter = round(0.12 * min(page.size))
    ImageDraw.Draw(page).ellipse(
        (120, 120, 120 + diameter, 120 + diameter), outline=(210, 30, 40), width=diameter // 14
    )
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    policy = default_policy()
    checked = check_file(
        ("income_certificate.png", buffer.getvalue()),
        policy=policy,
        reader=get_reader(policy.ocr),
        as_of=AS_OF,
    )
    seal_box = checked.report.fields["seal_box"].value
    stamp = truth["fields"]["seal"]["box"]
    assert seal_box is not None and seal_box[0] > stamp[0] - 40 and seal_box[1] > stamp[1] - 40
    assert not {finding.code for finding in checked.report.findings} & {
        Code.SEAL_MISPLACED,
        Code.SEAL_MISSING,
    }


def _two_lines_under_a_seal() -> Image.Image:
    """Two printed lines (black glyph-like bars, 40 px tall, at y 100 and 200) with a red
    stamp's ring drawn over both and over the gap between them, as stamps are inked
    (multiplied)."""
    page = Image.new("RGB", (1200, 400), "white")
    draw = ImageDraw.Draw(page)
    for top in (100, 200):
        for left in range(100, 900, 50):
            draw.rectangle((left, top, left + 38, top + 40), fill=(25, 25, 25))
    ring = Image.new("RGB", page.size, "white")
    ImageDraw.Draw(ring).ellipse((600, 20, 960, 380), outline=SEAL_RED, width=14)
    return ImageChops.multiply(page, ring)


@pytest.mark.parametrize(("middle", "top"), [(230, 200), (110, 100)], ids=["lower", "upper"])
def test_ink_line_finds_the_printed_line_nearest_the_middle_through_the_seal(middle, top):
    line = ink_line(_two_lines_under_a_seal(), (0, 0, 1200, 400), middle, 40)
    assert line is not None
    assert abs(line[1] - top) <= 1 and abs(line[3] - (top + 41)) <= 1
    assert abs(line[0] - 100) <= 1 and abs(line[2] - 888) <= 1


def test_ink_line_none_on_blank_paper():
    assert ink_line(Image.new("RGB", (500, 200), "white"), (0, 0, 500, 200), 100, 40) is None


def _row(field: str, text: str, region=None) -> Row:
    [line] = lines_of(_reading([f"标签： {text}"]))
    _, value_left, words = split_label(line)
    return Row(field, line, value_left, words, 1.0, region=region)


def test_value_crops_follow_the_field_table():
    page = Page(number=1, width=2000, height=400, dpi=300, image=Image.new("RGB", (2000, 400)))
    name = value_crops(_row("employee_name", "王建国"), page)
    assert [crop.line_height for crop in name] == [40, 48]
    assert name[1].region[0] > name[0].region[0]  # the second crop leaves the colon out
    assert len(value_crops(_row("id_number", "110105198906240641"), page)) == 1
    band = (10, 20, 300, 80)
    assert value_crops(_row("issue_date", "", region=band), page) == [Crop(band)]


@pytest.mark.parametrize(
    ("field", "again"),
    [("employed_since", False), ("issue_date", True)],
    ids=["start-date-taken", "issue-date-read-again"],
)
def test_a_repaired_date_is_read_again_only_when_a_check_turns_on_it(field, again):
    read = read_row(_row(field, "2019年3月1]日"), "ocr")
    assert (read.value, read.method) == ("2019-03-01", "ocr_corrected")
    assert needs_reread(read, field) is again


def _retry(*parts: tuple[str, float]) -> tuple[Word, ...]:
    return tuple(Word(text, (0, 0, 10, 10), confidence) for text, confidence in parts)


@pytest.mark.parametrize(
    ("again", "expected"),
    [
        ([_retry(("1", 0.44), ("于建国", 0.53)), _retry(("王建国", 0.93))], "王建国"),
        ([_retry(("王建国", 0.93)), _retry(("1", 0.44), ("于建国", 0.53))], "王建国"),
        ([_retry(("王建国", 0.5)), _retry(("王建国建国", 0.99))], "王建国"),  # fails its check
        ([_retry(("1", 0.99), ("于建国", 0.6)), _retry(("王建国", 0.7))], "王建国"),  # "1" left out
    ],
    ids=["surer-second", "surer-first", "passing-over-surer", "stray-mark-not-counted"],
)
def test_best_takes_the_surest_second_read_that_passes(again, expected):
    row = _row("employee_name", "OER")
    first = read_row(row, "ocr")
    field = best(first, row, again, page=1)
    assert (field.value, field.method) == (expected, "ocr_retry")


def test_a_second_read_is_as_sure_as_the_words_of_its_value():
    """A stray mark read unsurely before the date (the label's last character under the
    seal's ink) does not make the date unsure."""
    row = _row("issue_date", "2026年5月风日")
    retry = _retry(("明", 0.0), (":", 0.78), ("2026年5月14日", 0.83))
    field = best(read_row(row, "ocr"), row, [retry], page=1)
    assert (field.value, field.confidence) == ("2026-05-14", 0.83)


def test_a_lone_character_before_a_colon_is_the_end_of_a_label():
    rows = labelled_rows(lines_of(_reading(["期： 2026年11月10日", "岗： 2026年10月25日"])), LABELS)
    assert rows["issue_date"].text == "2026年11月10日"  # 日  期： with its 日 lost
    assert "position" not in rows  # 岗 begins 岗位: no label ends with it


def test_a_column_title_keeps_its_label_when_its_unit_loses_a_bracket():
    titles = ["姓名", "身份证号", "职务", "入职时间", "月薪元)"]  # 月薪（元） with its （ lost
    values = ["吴俊杰", "110105198804185370", "销售经理", "2018.09.01", "15,250.42"]
    words = [
        Word(
            text,
            (100 + 400 * column, 100 * line, 360 + 400 * column, 100 * line + 48),
            0.9,
            (1, 1, line),
        )
        for line, texts in enumerate((titles, values), start=1)
        for column, text in enumerate(texts)
    ]
    rows = column_rows(lines_of(Reading(page=1, words=words, source="ocr")), LABELS)
    assert rows["monthly_income"].text == "15,250.42"


def test_a_date_band_starting_inside_the_seal_reaches_left_of_it():
    seal = (1300, 2600, 1800, 3100)
    inside = _row("issue_date", "", region=(1700, 2860, 2800, 3040))
    inside = Row("issue_date", inside.line, 1700, (), 0.0, region=(1700, 2860, 2800, 3040))
    assert reaching_past_seal(inside, seal).region == (800, 2860, 2800, 3040)
    left_of_it = Row("issue_date", inside.line, 1200, (), 0.0, region=(1200, 2860, 2800, 3040))
    assert reaching_past_seal(left_of_it, seal) is left_of_it


def test_signature_block_covers_the_issuer_and_the_date():
    reading = _reading(CERTIFICATE_LINES)
    lines = lines_of(reading)
    rows = labelled_rows(lines, LABELS)
    block = signature_block(rows)
    assert block is not None
    issuer, date = rows["issuer"].line.box, rows["issue_date"].line.box
    assert block[0] < issuer[0] and block[1] < issuer[1] and block[3] > date[3]


def test_signature_block_leaves_out_a_line_above_the_body():
    moved = [*CERTIFICATE_LINES[:2], CERTIFICATE_LINES[12], *CERTIFICATE_LINES[2:12]]
    rows = labelled_rows(lines_of(_reading([*moved, CERTIFICATE_LINES[13]])), LABELS)
    block = signature_block(rows)
    assert block is not None and block[1] > rows["issuer"].line.box[3]
