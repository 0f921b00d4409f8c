"""Payslips: reading label–amount pairs, the arithmetic check, a net pay printed but not read,
and tampered payslips read by real tesseract."""

import datetime as dt
import io
import json
import random
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw

from checker.check import check_file
from checker.document import Page, Reading, Word
from checker.documents import CheckContext, Content, payslip
from checker.findings import localize
from checker.ocr import get_reader
from checker.policy import default_policy
from fixtures import income, income_layouts
from schemas.findings import Code
from schemas.reads import Read

AS_OF = dt.date(2026, 11, 15)


@pytest.fixture(name="context")
def _context():
    return CheckContext(policy=default_policy(), as_of=AS_OF, file="payslip.png")


def _reading(rows: list[str], confidence: float = 0.95) -> Reading:
    words = []
    for number, row in enumerate(rows, start=1):
        x = 100
        for part in row.split(" "):
            box = (x, number * 100, x + 40 * len(part), number * 100 + 44)
            words.append(Word(part, box, confidence, (1, 1, number)))
            x += 40 * len(part) + 20
    return Reading(page=1, words=words, source="ocr")


def slip_lines(net: str = "18,437.20") -> list[str]:
    return [
        "成都锦程物流服务有限公司",
        "工资条 (2026 年 08 月 )",
        "姓名 : 杨 俊 杰 工 号 : E19057 部 门 : 数据 部",
        "基本 工资 17,640.00 | 养老 保险 2,016.00",
        "岗位 津贴 5,040.00 | 医疗 保险 504.00",
        "绩效 奖金 2,520.00 | 失业 保险 126.00",
        "住房 公积金 2,520.00",
        "个 人 所 得 税 1,596.80",
        "应 发 合计 25,200.00 | 扣 款 合计 6,762.80",
        f"实 发 工资 {net}",
    ]


def test_extract(context):
    fields = payslip.extract(Content(readings=(_reading(slip_lines()),)))
    assert fields["employee_name"].value == "杨俊杰"
    assert fields["employer"].value == "成都锦程物流服务有限公司"
    assert fields["pay_period"].value == "2026-08"
    assert fields["gross_pay"].value == "25200.00"
    assert fields["net_pay"].value == "18437.20"
    assert [item["name"] for item in fields["deductions"].value] == [
        "养老保险",
        "医疗保险",
        "失业保险",
        "住房公积金",
        "个人所得税",
    ]
    assert payslip.check(fields, context) == []


WORDS_OF_OTHER = "大写：壹万玖仟肆佰叁拾柒元贰角整"  # 19,437.20: not the net printed


def test_words_that_disagree_with_a_corroborated_net_are_an_error(context):
    rows = [*slip_lines(), WORDS_OF_OTHER]
    fields = payslip.extract(Content(readings=(_reading(rows, 0.99),)))
    assert fields["amount_in_words"].value
    codes = [(f.code.value, f.severity.value) for f in payslip.check(fields, context)]
    assert codes == [("income_words_mismatch", "error")]


def test_words_against_a_net_read_without_its_gross_and_total_are_a_retake(context):
    """A photo read a row off leaves the net beside the gross's label: without the gross and
    the deductions' total nothing confirms the net, so words that disagree ask for a retake."""
    rows = [row for row in slip_lines() if "合计" not in row] + [WORDS_OF_OTHER]
    fields = payslip.extract(Content(readings=(_reading(rows, 0.99),)))
    assert fields["gross_pay"].value is None and fields["net_pay"].value == "18437.20"
    codes = [(f.code.value, f.severity.value) for f in payslip.check(fields, context)]
    assert codes == [("retake", "warning")]


@pytest.mark.parametrize(
    ("confidence", "code", "severity"),
    [(0.95, "payslip_arithmetic", "error"), (0.5, "retake", "warning")],
    ids=["clean-read", "unsure-read"],
)
def test_tampered_net(context, confidence, code, severity):
    fields = payslip.extract(Content(readings=(_reading(slip_lines("19,437.20"), confidence),)))
    [finding] = payslip.check(fields, context)
    assert (finding.code.value, finding.severity.value) == (code, severity)


def test_deductions_that_do_not_add_up_to_their_total(context):
    fields = payslip.extract(Content(readings=(_reading(slip_lines()),)))
    fields["deductions_total"] = Read(value="6000.00", confidence=0.95, page=1)
    fields["net_pay"] = Read(value="19200.00", confidence=0.95, page=1)
    [finding] = payslip.check(fields, context)
    assert finding.code.value == "payslip_arithmetic"
    assert finding.ctx == {"gross": "25200.00", "deductions": "6762.80", "net": "19200.00"}


@pytest.mark.parametrize(
    "text",
    ["", "€", "\x00", " " * 500, "工资条", "实发工资 1.00"],
    ids=["empty", "euro", "nul", "spaces", "title", "net-only"],
)
def test_junk_never_raises(context, text):
    reading = _reading([text]) if text.strip() else Reading(page=1, words=[], source="ocr")
    page = Page(number=1, width=50, height=50, dpi=300, image=Image.new("RGB", (50, 50), "white"))
    content = Content(readings=(reading,), pages=(page,))
    assert 0.0 <= payslip.detect(content) <= 1.0
    assert isinstance(payslip.check(payslip.extract(content), context), list)


class _TamperedPayroll(income.Payroll):
    """A payroll whose printed net is 1,000 more than gross − deductions."""

    @property
    def net(self) -> Decimal:
        return super().net + 1000


@pytest.mark.ocr
def test_tampered_payslip_image_gives_payslip_arithmetic(tmp_path):
    real = income.payroll(Decimal("25200"))
    tampered = _TamperedPayroll(**{name: getattr(real, name) for name in real.__dataclass_fields__})
    slip = income.PayslipPrint(
        "成都锦程物流服务有限公司", dt.date(2026, 8, 1), "杨俊杰", "E19057", "数据部",
        tampered, dt.date(2026, 8, 10),
    )  # fmt: skip
    path = tmp_path / "payslip_2026-08.png"
    income.render_payslip(slip, random.Random(1)).pages[0].image.save(path, dpi=(300, 300))
    policy = default_policy()
    checked = check_file(path, policy=policy, reader=get_reader(policy.ocr), as_of=AS_OF)
    assert checked.report.kind == "payslip"
    assert [f.code.value for f in checked.report.findings] == ["payslip_arithmetic"]


def test_a_name_read_unsurely_is_read_again_by_the_second_reader(tmp_path):
    """A generated payslip (sample application defect_id_check_digit, seed 14) whose name
    tesseract read as 刘字 at 0.35: the second reader's two crops read the printed name."""
    import json

    from fixtures.application import build_case
    from fixtures.cases import CASES

    case = next(case for case in CASES if case.name == "defect_id_check_digit")
    path = build_case(case, 14, tmp_path) / "payslip_2026-10.png"
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text("utf-8"))
    policy = default_policy()
    report = check_file(
        path, policy=policy, reader=get_reader(policy.ocr), as_of=dt.date(2026, 11, 15)
    ).report
    assert report.fields["employee_name"].value == truth["fields"]["name"]["value"]


def _columns(rows: list[list[str]], width: int = 380, gap: int = 20) -> Reading:
    """A table of `rows`, each cell's text one word filling its column; the columns `gap` px
    apart, less than the 44 px text height (a small photo of a wide sheet)."""
    words = [
        Word(
            text,
            (100 + c * (width + gap), r * 100, 100 + c * (width + gap) + width, r * 100 + 44),
            0.95,
            (1, 1, r),
        )
        for r, row in enumerate(rows, start=1)
        for c, text in enumerate(row)
    ]
    return Reading(page=1, words=words, source="ocr")


def test_a_one_row_table_with_narrow_column_gaps_is_read_column_by_column(context):
    header = ["月份", "姓名", "应发合计", "养老保险", "个人所得税", "扣款合计", "实发工资"]
    row = ["2026-10", "杨晓燕", "34,500.00", "2,760.00", "7,388.00", "10,148.00", "24,352.00"]
    fields = payslip.extract(Content(readings=(_columns([["工资表"], header, row]),)))
    read = {name: fields[name].value for name in ("gross_pay", "deductions_total", "net_pay")}
    assert read == {"gross_pay": "34500.00", "deductions_total": "10148.00", "net_pay": "24352.00"}
    assert payslip.check(fields, context) == []


def test_totals_lost_by_the_page_read_are_taken_from_the_card_readers_reading():
    lost = _reading(slip_lines()[:3])  # the page reader kept the heading, lost the table
    whole = _reading(slip_lines())
    fields = payslip.extract(Content(readings=(lost,), other_readings=(whole,)))
    read = {name: fields[name].value for name in ("gross_pay", "deductions_total", "net_pay")}
    assert read == {"gross_pay": "25200.00", "deductions_total": "6762.80", "net_pay": "18437.20"}
    assert (
        payslip.extract(Content(readings=(whole,), other_readings=(lost,)))["net_pay"].value
        == "18437.20"
    )  # the page reader's reading kept where it reads the totals


@pytest.mark.ocr
def test_a_payslip_photo_whose_ruled_table_tesseract_loses_is_read_whole(tmp_path):
    """The batch bench's random_00017 (seed 1): a phone photo of a ruled payslip on a grey
    cloth, whose table rows tesseract's page read dropped; RapidOCR read them."""
    from fixtures.application import build_case
    from fixtures.cases import random_case

    rng = random.Random("1:random")  # as fixtures.generate draws its cases
    cases = [random_case(rng, index) for index in range(1, 18)]
    build_case(cases[16], 1, tmp_path)
    photo = next(tmp_path.rglob("payslip_2026-08.jpg"))
    truth = json.loads(photo.with_name(photo.name + ".truth.json").read_text())["fields"]
    report = check_file(photo, policy=default_policy(), reader=get_reader(default_policy().ocr),
                        as_of=AS_OF).report  # fmt: skip
    assert report.kind == "payslip"
    read = {
        name: report.fields[name].value for name in ("gross_pay", "deductions_total", "net_pay")
    }
    expected = {"gross_pay": "gross", "deductions_total": "deductions_total", "net_pay": "net"}
    assert read == {name: truth[key]["value"] for name, key in expected.items()}
    assert report.findings == []


def _hk_rows(mpf: str) -> list[str]:
    return [
        "Harbourfront Logistics Limited",
        "Pay Statement",
        "Total Pay 10,000.00",
        f"Employee MPF ({mpf})",
        "Staff Levy (120.00)",
        "Total Deduction (620.00)",
        "Net Amount Payable 9,380.00",
    ]


def test_deductions_under_unknown_labels_that_make_up_the_total_are_items(context):
    fields = payslip.extract(Content(readings=(_reading(_hk_rows("500.00")),)))
    assert fields["deductions_total"].value == "620.00"  # printed in brackets, as deductions
    items = {item["name"]: item["amount"] for item in fields["deductions"].value}
    assert items == {"Employee MPF": "500.00", "StaffLevy": "120.00"}
    assert payslip.check(fields, context) == []


def test_an_altered_item_is_flagged(context):
    """Known labels: the items' sum against the printed total is an error; beside an amount
    under an unknown label it is a retake (the item may be among what was not understood),
    never a pass."""
    known = _hk_rows("400.00")
    known[4] = "Medical Insurance (120.00)"
    fields = payslip.extract(Content(readings=(_reading(known),)))
    assert Code.PAYSLIP_ARITHMETIC in [finding.code for finding in payslip.check(fields, context)]
    fields = payslip.extract(Content(readings=(_reading(_hk_rows("400.00")),)))
    assert [finding.code for finding in payslip.check(fields, context)] == [Code.RETAKE]


def test_items_short_of_the_total_beside_unknown_labels_ask_for_a_retake_not_an_error(context):
    rows = _hk_rows("500.00")
    rows[4] = "Staff Levy (12O.00)"  # an O read for a 0: the item does not parse
    rows.insert(5, "Canteen 88.00")  # and an amount that does not make up the rest
    fields = payslip.extract(Content(readings=(_reading(rows),)))
    severities = {
        finding.code: finding.severity.value for finding in payslip.check(fields, context)
    }
    assert Code.PAYSLIP_ARITHMETIC not in severities
    assert severities.get(Code.RETAKE) == "warning"


def test_a_bracket_read_apart_from_its_amount(context):
    rows = _hk_rows("500.00")
    rows[4] = "Staff Levy ( 120.00)"
    fields = payslip.extract(Content(readings=(_reading(rows),)))
    assert {item["amount"] for item in fields["deductions"].value} == {"500.00", "120.00"}
    assert payslip.check(fields, context) == []


@pytest.mark.parametrize(
    "line",
    ["员工：杨伟明 发薪日：2026-10-10", "Employee 杨伟明"],
    ids=["name-and-next-label", "label-and-name"],
)
def test_a_name_read_in_one_box_with_its_neighbour(line):
    """RapidOCR keeps a printed line's pieces in one box; the name is parted from its label
    and from the next label by the spaces it read."""
    rows = ["成都锦程物流服务有限公司", "2026年10月薪资明细", line, "实发金额 9,380.00"]
    words = [
        Word(text, (100, row * 100, 100 + 40 * len(text), row * 100 + 44), 0.95, (1, 1, row))
        for row, text in enumerate(rows, start=1)
    ]
    fields = payslip.extract(Content(readings=(Reading(page=1, words=words, source="ocr"),)))
    assert fields["employee_name"].value == "杨伟明"


# ------------------------------------------------------------------- a net pay printed, not read
# A payslip whose net pay was not read, though its label is printed, says so: a field_unreadable
# warning on net_pay, never a clean check. A slip with no net line is not flagged.


def _unreadable(findings):
    return [f for f in findings if f.code.value == "field_unreadable"]


HEAD = ["成都锦程物流服务有限公司", "工资条 (2026 年 08 月 )", "姓名 : 杨 俊 杰"]
TOTALS = ["应 发 合计 25,200.00", "扣 款 合计 6,762.80"]


@pytest.mark.parametrize(
    "net_row",
    ["实 发 工资", "Net Pay :", "实发工资 ——"],
    ids=["chinese-label", "english-label", "label-and-dash"],
)
def test_a_net_label_without_its_amount_is_an_unreadable_warning(context, net_row):
    rows = [*HEAD, *TOTALS, net_row]
    fields = payslip.extract(Content(readings=(_reading(rows),)))
    assert fields["net_pay"].value is None
    [finding] = _unreadable(payslip.check(fields, context))
    assert (finding.field, finding.severity.value) == ("net_pay", "warning")
    assert finding.evidence.page == 1
    assert finding.evidence.box[1] == 100 * len(rows)  # the label's own line
    [english] = localize([finding], "en")
    assert "net pay" in english.message


@pytest.mark.parametrize(
    "rows",
    [[*HEAD, *TOTALS], [*HEAD, *TOTALS, "实发大写：壹万捌仟肆佰叁拾柒元贰角整"]],
    ids=["no-net-line", "words-only"],
)
def test_a_slip_without_a_net_line_is_not_flagged(context, rows):
    fields = payslip.extract(Content(readings=(_reading(rows),)))
    assert fields["net_pay"].value is None
    assert _unreadable(payslip.check(fields, context)) == []


def _check(path):
    policy = default_policy()
    return check_file(path, policy=policy, reader=get_reader(policy.ocr), as_of=AS_OF).report


@pytest.fixture(name="slip", scope="module")
def _slip(tmp_path_factory):
    """A generated vertical payslip as a 300 DPI scan, its truth and its report."""
    template = "vertical"
    slip = income_layouts.sample_slip(template, 0)
    data = income_layouts.payslip_file(slip, template, pdf=False)
    path = tmp_path_factory.mktemp("payslip") / "payslip.png"
    path.write_bytes(data)
    return path, income_layouts.payslip_truth(slip), _check(path)


@pytest.mark.ocr
def test_a_payslip_read_whole_has_no_unreadable_net(slip):
    _, truth, report = slip
    assert report.kind == "payslip"
    assert report.fields["net_pay"].value == truth["net_pay"]
    assert _unreadable(report.findings) == []


@pytest.mark.ocr
def test_a_payslip_with_its_net_amount_blanked_warns_the_net_is_unreadable(slip, tmp_path):
    """The net amount's pixels, where the first reading found them, painted paper white; its
    label stays. The reader finds the label with no amount and says so."""
    path, _, report = slip
    amount = report.fields["net_pay"].box
    assert amount is not None
    image = Image.open(io.BytesIO(path.read_bytes())).convert("RGB")
    pad = (amount[3] - amount[1]) // 4
    ImageDraw.Draw(image).rectangle(
        (amount[0] - pad, amount[1] - pad, amount[2] + pad, amount[3] + pad), fill="white"
    )
    blanked = tmp_path / "payslip.png"
    image.save(blanked, dpi=(300, 300))
    report = _check(blanked)
    assert report.kind == "payslip"
    assert report.fields["net_pay"].value is None
    [finding] = _unreadable(report.findings)
    assert (finding.field, finding.severity.value) == ("net_pay", "warning")
    assert finding.evidence.page == 1
    label = finding.evidence.box
    assert label is not None
    assert label[2] < amount[0]  # left of where the amount was
    assert label[1] < amount[3] and amount[1] < label[3]  # on the amount's row
