"""Salary signals: keyword credits or a regular payer, with the monthly median."""

from decimal import Decimal

from checker.statements.income import salary_signal
from schemas.reads import Read


def _credit(date, amount, description, party):
    return {
        "date": date,
        "credit": amount,
        "debit": "",
        "description": description,
        "counterparty": party,
    }


def test_keyword_salary_with_monthly_median():
    rows = [
        _credit("2026-08-15", "16624.95", "代发工资", "武汉东湖光电"),
        _credit("2026-09-15", "16624.95", "代发工资", "武汉东湖光电"),
        _credit("2026-10-15", "18000.00", "代发工资", "武汉东湖光电"),
        _credit("2026-10-20", "300.00", "转账", "赵磊"),
    ]
    signal = salary_signal({"transactions": Read(value=rows)})
    assert signal is not None
    assert (signal.payer, signal.monthly_median, signal.months, signal.credits) == (
        "武汉东湖光电",
        Decimal("16624.95"),
        3,
        (1, 2, 3),
    )


def test_regular_payer_without_keyword():
    rows = [_credit(f"2026-0{m}-10", "9000.00", "转账", "某某科技有限公司") for m in (6, 7, 8)]
    signal = salary_signal({"transactions": Read(value=rows)})
    assert signal is not None and not signal.keyword
    assert signal.monthly_median == Decimal("9000.00")


def test_irregular_transfers_are_not_salary():
    rows = [
        _credit(f"2026-0{m}-10", amount, "转账", "赵磊")
        for m, amount in ((6, "100"), (7, "5000"), (8, "900"))
    ]
    assert salary_signal({"transactions": Read(value=rows)}) is None


def test_no_transactions_no_signal():
    assert salary_signal({}) is None
