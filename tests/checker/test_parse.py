"""Money and date parsers: the written forms documents use, junk, and arbitrary text."""

import datetime as dt
from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.parse import AMOUNT_WORD_CHARS, money_words, parse_date, parse_money


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("¥12,345.67", "12345.67"),
        ("￥12,345.67", "12345.67"),
        ("12345.67元", "12345.67"),
        ("RMB 8,000.00", "8000.00"),
        ("１２，３４５．６７", "12345.67"),
        ("1.2万", "12000.00"),
        ("-35.5", "-35.50"),
        ("壹万贰仟叁佰肆拾伍元陆角柒分", "12345.67"),
        ("人民币壹万贰仟元整", "12000.00"),
        ("壹万零伍元零柒分", "10005.07"),
        ("叁万元伍角", "30000.50"),
        ("壹佰零伍元正", "105.00"),
        ("一万二千", "12000.00"),
        ("人民币 8,550.00 元", "8550.00"),
        ("人民币8,550.00元", "8550.00"),
        ("CNY 102,600.00", "102600.00"),
        ("贰万零伍拾元整", "20050.00"),
        ("捌仟壹佰元玖角肆分", "8100.94"),
    ],
    ids=lambda value: str(value),
)
def test_written_forms(text, amount):
    assert parse_money(text) == Decimal(amount)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "元",
        "角分",
        "12.3.4",
        "壹万贰仟叁佰肆拾伍元陆角柒分八",
        "¥",
        "万",
        "1e400",
        "NaN",
    ],
    ids=[
        "empty",
        "letters",
        "unit-only",
        "units-only",
        "two-points",
        "trailing-digit",
        "symbol-only",
        "wan-only",
        "huge",
        "nan",
    ],
)
def test_junk_gives_none(text):
    assert parse_money(text) is None


def test_parsed_amounts_are_decimals_to_the_cent():
    value = parse_money("壹万贰仟叁佰肆拾伍元陆角柒分")
    assert isinstance(value, Decimal) and value.as_tuple().exponent == -2


@given(st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2))
def test_uppercase_words_round_trip_through_cn2an(amount):
    words = cn2an.an2cn(str(amount), "rmb")
    assert parse_money(words) == amount


@given(st.text())
def test_any_text_gives_a_decimal_or_none(text):
    value = parse_money(text)
    assert value is None or isinstance(value, Decimal)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2026-03-01", dt.date(2026, 3, 1)),
        ("2026.03.01", dt.date(2026, 3, 1)),
        ("2026/3/1", dt.date(2026, 3, 1)),
        ("2026年3月1日", dt.date(2026, 3, 1)),
        ("20260301", dt.date(2026, 3, 1)),
        ("２０２６年３月１日", dt.date(2026, 3, 1)),
    ],
    ids=["iso", "dots", "slashes", "chinese", "compact", "full-width"],
)
def test_date_forms(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize(
    "text",
    ["2026-02-30", "长期", "", "2026-13-01", "26.3.1"],
    ids=["feb-30", "long-term", "empty", "month-13", "short-year"],
)
def test_bad_dates_give_none(text):
    assert parse_date(text) is None


@given(st.text())
def test_any_text_gives_a_date_or_none(text):
    value = parse_date(text)
    assert value is None or isinstance(value, dt.date)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("8550", "捌仟伍佰伍拾元整"),
        ("20050.00", "贰万零伍拾元整"),
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("8100.94", "捌仟壹佰元玖角肆分"),
    ],
    ids=["thousands", "zero-inside", "yuan-jiao-fen", "no-jiao-zero"],
)
def test_money_words(amount, words):
    assert money_words(Decimal(amount)) == words


@given(st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2))
def test_money_words_parse_back_and_use_only_amount_characters(amount):
    words = money_words(amount)
    assert parse_money(words) == amount
    assert set(words) <= AMOUNT_WORD_CHARS
