"""Layouts are data: every shipped file loads, a bad file fails with file, line and field."""

import pytest

from checker.statements.layout import LayoutError, layouts, load_layout, parse_layout, pick_layout

GOOD = "name: x\ncolumns:\n  date: [日期]\n  amount: [金额]\n"


def test_shipped_layouts_load_with_a_generic_one():
    names = [layout.name for layout in layouts()]
    assert "generic" in names
    assert len(names) >= 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "name: x\ncolumns:\n  date: [日期]\n", "need debit and credit", id="no-amount"
        ),
        pytest.param(
            "name: x\ncolumns:\n  date: [日期]\n  amount: []\n",
            "bad.yaml:3: columns",
            id="empty-titles",
        ),
        pytest.param(GOOD + "colour: red\n", "bad.yaml:5: colour", id="unknown-key"),
        pytest.param(GOOD + "skip_rows: ['(']\n", "bad.yaml:5: skip_rows", id="bad-regex"),
        pytest.param("name: x\ncolumns: [\n", "not valid YAML", id="broken-yaml"),
        pytest.param("- a\n- b\n", "expected a mapping", id="a-list"),
        pytest.param(GOOD.replace("name: x", "name: Bad Name"), "bad.yaml:1: name", id="bad-name"),
    ],
)
def test_bad_layout_fails_at_load_with_file_line_and_field(text, expected):
    with pytest.raises(LayoutError, match=expected):
        parse_layout(text, "bad.yaml")


def test_load_layout_reads_a_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_layout(path).name == "x"


def test_missing_layout_file_is_a_layout_error(tmp_path):
    with pytest.raises(LayoutError, match="cannot read"):
        load_layout(tmp_path / "none.yaml")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param("# 招商银行交易记录", "cmb", id="cmb"),
        pytest.param("中国工商银行 借记卡账户历史明细", "icbc", id="icbc"),
        pytest.param("支付宝交易明细", "alipay", id="alipay"),
        pytest.param("微信支付账单明细", "wechat", id="wechat"),
        pytest.param("长川银行 个人账户交易明细", "generic", id="unknown-bank"),
    ],
)
def test_pick_layout(text, name):
    assert pick_layout(text).name == name
