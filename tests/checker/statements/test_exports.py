"""CSV and XLSX exports in the shapes Chinese banks and payment apps produce them."""

import io

import openpyxl
import pytest

from checker.documents import Content, bank_statement
from checker.ingest import ingest
from checker.policy import default_policy

CMB_CSV = """# 招商银行交易记录
# 户    名: [王小明]
# 账    号: [6214********1234]
# 币    种: [人民币]
# 起始日期: [20260501]   终止日期: [20260531]
# 导出时间: [2026-06-02 10:00:00]

交易日期,交易时间,收入,支出,余额,交易类型,交易备注
20260503,10:21:33,,105.37,9894.63,快捷支付,财付通-美团外卖
20260515,09:00:00,"16,624.95",,"26,519.58",代发工资,武汉东湖光电器件有限公司
20260520,18:30:12,,"4,200.00","22,319.58",转账,黄秀兰

# 收入合计: 16624.95
# 支出合计: 4305.37
"""

ICBC_CSV = """中国工商银行 借记卡账户历史明细
户名：王小明,卡号：6222021234567890128
起止日期：2026-05-01 至 2026-05-31
交易日期,摘要,对方户名,发生额,余额,币种
2026-05-03,消费,永辉超市,-88.50,"1,911.50",人民币
2026-05-15,工资,北京星河数据科技有限公司,"+12,000.00","13,911.50",人民币
2026-05-16,转账,李四,-500.00,"13,411.50",人民币
合计,,,,,
"""

ALIPAY_CSV = """------------------------------------------------------------------------------------
导出信息：
姓名：王小明
支付宝账户：wxm@example.com
起始时间：[2026-05-01 00:00:00]    终止时间：[2026-05-31 23:59:59]
导出交易类型：[全部]
共3笔记录
支付宝（中国）网络技术有限公司  电子客户回单
------------------------支付宝交易明细列表------------------------
交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态
2026-05-02 12:01:09,餐饮美食,饿了么,ele***@alipay.com,外卖订单,支出,35.50,余额宝,交易成功
2026-05-10 08:00:00,转账红包,李四,li***@qq.com,还钱,收入,200.00,,交易成功
2026-05-11 09:12:00,投资理财,余额宝,,转入,不计收支,1000.00,余额,交易成功
"""

WECHAT_CSV = """微信支付账单明细,,,,,,,,,,
微信昵称：[小明],,,,,,,,,,
起始时间：[2026-05-01 00:00:00] 终止时间：[2026-05-31 23:59:59],,,,,,,,,,
导出类型：[全部],,,,,,,,,,
共2笔记录,,,,,,,,,,
----------------------微信支付账单明细列表--------------------,,,,,,,,,,
交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注
2026-05-04 19:20:11,商户消费,星巴克,拿铁,支出,¥38.00,零钱,支付成功,4200001,1001,/
2026-05-06 10:00:00,转账,张三,/,收入,¥500.00,/,已存入零钱,1000050,/,/
"""

CASES = {
    "cmb-gbk-preamble-income-expense": (
        CMB_CSV.encode("gbk"),
        "cmb.csv",
        {"account_number": "6214********1234", "period_start": "2026-05-01", "bank": "招商银行"},
        [
            ("2026-05-03", "105.37", "", "9894.63", "财付通-美团外卖"),
            ("2026-05-15", "", "16624.95", "26519.58", "武汉东湖光电器件有限公司"),
            ("2026-05-20", "4200.00", "", "22319.58", "黄秀兰"),
        ],
    ),
    "icbc-gbk-signed-amount": (
        ICBC_CSV.encode("gbk"),
        "icbc.csv",
        {
            "account_holder": "王小明",
            "account_number": "6222021234567890128",
            "period_end": "2026-05-31",
        },
        [
            ("2026-05-03", "88.50", "", "1911.50", "永辉超市"),
            ("2026-05-15", "", "12000.00", "13911.50", "北京星河数据科技有限公司"),
            ("2026-05-16", "500.00", "", "13411.50", "李四"),
        ],
    ),
    "alipay-gbk-direction": (
        ALIPAY_CSV.encode("gbk"),
        "alipay.csv",
        {"account_holder": "王小明", "period_start": "2026-05-01", "bank": "支付宝"},
        [
            ("2026-05-02", "35.50", "", "", "饿了么"),
            ("2026-05-10", "", "200.00", "", "李四"),
        ],
    ),
    "wechat-utf8-bom-direction": (
        WECHAT_CSV.encode("utf-8-sig"),
        "wechat.csv",
        {"account_holder": "小明", "period_end": "2026-05-31", "bank": "微信支付"},
        [
            ("2026-05-04", "38.00", "", "", "星巴克"),
            ("2026-05-06", "", "500.00", "", "张三"),
        ],
    ),
}


def _content(data: bytes, name: str) -> Content:
    document = ingest(data, name=name, limits=default_policy().limits)
    assert document.tables, document.findings
    return Content(readings=(), tables=tuple(document.tables))


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_export_transactions(case):
    data, name, _, expected = CASES[case]
    rows = bank_statement.extract(_content(data, name))["transactions"].value
    got = [(r["date"], r["debit"], r["credit"], r["balance"], r["counterparty"]) for r in rows]
    assert got == expected


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_export_header_fields(case):
    data, name, header, _ = CASES[case]
    fields = bank_statement.extract(_content(data, name))
    assert {key: fields[key].value for key in header} == header


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_export_detected_as_statement(case):
    data, name, _, _ = CASES[case]
    assert bank_statement.detect(_content(data, name)) >= 0.9


@pytest.mark.parametrize("case", ["cmb-gbk-preamble-income-expense", "icbc-gbk-signed-amount"])
def test_clean_export_has_no_error(case, ctx):
    data, name, _, _ = CASES[case]
    fields = bank_statement.extract(_content(data, name))
    findings = bank_statement.check(fields, ctx)
    assert [f.code for f in findings if f.severity == "error"] == []


@pytest.fixture(name="xlsx_export")
def fixture_xlsx_export():
    """An XLSX with a preamble, real dates and numbers, 收入/支出 columns."""
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某某银行个人账户交易明细"])
    sheet.append(["户名", "赵六", "账号", "6217000010001234569"])
    sheet.append(["起始日期", dt.date(2026, 5, 1), "截止日期", dt.date(2026, 5, 31)])
    sheet.append(["期初余额", 100, "期末余额", 90.5])
    sheet.append([])
    sheet.append(["交易日期", "摘要", "对方户名", "收入", "支出", "余额"])
    sheet.append([dt.date(2026, 5, 2), "消费", "超市", None, 9.5, 90.5])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_export(xlsx_export, ctx):
    fields = bank_statement.extract(_content(xlsx_export, "s.xlsx"))
    row = fields["transactions"].value[0]
    assert (row["date"], row["debit"], row["balance"]) == ("2026-05-02", "9.50", "90.50")
    assert fields["account_holder"].value == "赵六"
    assert fields["closing_balance"].value == "90.50"
    assert bank_statement.check(fields, ctx) == []


@pytest.fixture(name="ctx")
def fixture_ctx():
    import datetime as dt

    from checker.documents import CheckContext

    return CheckContext(policy=default_policy(), as_of=dt.date(2026, 6, 10), file="s.csv")
