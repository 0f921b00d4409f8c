"""A payslip whose net pay was not read, though its label is printed, says so: a
field_unreadable warning on net_pay, never a clean check. A slip with no net line is not
flagged."""

import datetime as dt
import io

import pytest
from PIL import Image, ImageDraw

from checker.check import check_file
from checker.document import Reading, Word
from checker.documents import CheckContext, Content, payslip
from checker.findings import localize
from checker.ocr import get_reader
from checker.policy import default_policy
from fixtures import income_layouts

AS_OF = dt.date(2026, 11, 15)


@pytest.fixture(name="context")
def _context():
    return CheckContext(policy=default_policy(), as_of=AS_OF, file="payslip.png")


def _reading(rows: list[str]) -> Reading:
    """A page of `rows`, words split at spaces, one row every 100 px."""
    words = []
    for number, row in enumerate(rows, start=1):
        x = 100
        for part in row.split(" "):
            box = (x, number * 100, x + 40 * len(part), number * 100 + 44)
            words.append(Word(part, box, 0.95, (1, 1, number)))
            x += 40 * len(part) + 20
    return Reading(page=1, words=words, source="ocr")


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
