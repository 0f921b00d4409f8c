"""A licence value as read, cleaned for its field and parsed: None when it fails its own
check (a code of the wrong shape, a name with Latin marks in it, a date that is no date)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from stdnum.cn import uscc as stdnum_uscc

from checker.documents._certificate.values import fix_line_date
from checker.parse import parse_date, parse_money

LONG_TERM = "长期"
CJK = r"\u4e00-\u9fff"
USCC_SHAPE = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
# a date with a digit too many or too few (a seal's ink read as a stroke: 2009年110月31日)
BROKEN_DATE = re.compile(r"\d{3,5}年\d{1,3}月\d{1,3}日")
NAME = re.compile(rf"[{CJK}·]{{2,5}}")  # a person's name
ORGANISATION = re.compile(rf"[{CJK}（）、·]{{3,40}}")  # a business name or type, brackets folded
# a business name standing without its label: ends as a company's or a shop's name does
BUSINESS_NAME = re.compile(
    rf"[{CJK}（）]{{2,38}}(?:公司|企业|中心|商行|店|厂|馆|社|部|坊|铺|站|场|院|室|行)"
)
# the kinds of business a licence registers (its 类型), by the words they are printed in
ENTITY_TYPE = re.compile(
    rf"(?:个体工商户|(?:有限责任|股份有限)(?:公司|分公司)(?:（[{CJK}、·]+）)?"
    r"|(?:个人独资|普通合伙|有限合伙|合伙|全民所有制|集体所有制)企业(?:（[^）]+）)?|农民专业合作社)"
)
# a registration authority: a market regulation (or former industry and commerce) bureau, an
# administrative approval bureau or a development zone's committee, by the names they print
AUTHORITY = re.compile(
    rf"[{CJK}]{{2,24}}(?:市场监督管理局|市场监管局|工商行政管理局|工商局|行政审批局"
    r"|行政审批服务局|市场和质量监督管理委员会|管理委员会)"
)
# what is left of an authority's name that the seal's ink broke (市场监督寧理局, …监督理局):
# where nothing on the page has its whole shape, a row holding one of these is where it stands
AUTHORITY_STEM = re.compile(r"市场监|监督管理|工商行政|行政审批|管理委员会")
ADDRESS = re.compile(rf"[{CJK}0-9A-Za-z（）\-、#]{{4,60}}")
CAPITAL = re.compile(rf"[{CJK}0-9.,（）]{{2,30}}")
WHOLE_WORDS = "元整正"  # how an amount in words ends (壹佰万元整)


def brackets(text: str) -> str:
    """Half-width brackets as the full-width ones a licence prints."""
    return text.replace("(", "（").replace(")", "）")


def uscc_text(text: str) -> str:
    """The 18-character code in a read, or the read folded as it is."""
    compact = re.sub(r"[\s\-]", "", text.upper())
    match = USCC_SHAPE.search(compact)
    return match.group(0) if match else compact


def valid_uscc(text: str) -> bool:
    return bool(stdnum_uscc.is_valid(text))


def text_value(field: str, text: str) -> str | None:
    """A text field's value, when the read has the field's shape."""
    if field == "representative":
        text = re.sub(rf"^[^{CJK}]+|[^{CJK}·]+$", "", text)
        return text if NAME.fullmatch(text) else None
    if field in ("name", "type"):
        text = brackets(text)
        return text if ORGANISATION.fullmatch(text) else None
    if field == "registration_authority":
        return text if AUTHORITY.fullmatch(text) else None
    if field == "address":
        text = brackets(text)
        return text if ADDRESS.fullmatch(text) and re.search(f"[{CJK}]", text) else None
    if field == "registered_capital":
        text = brackets(text)
        return text if CAPITAL.fullmatch(text) and capital_amount(text) is not None else None
    return text or None


def capital_amount(text: str) -> str | None:
    """The registered capital in yuan (`壹佰万元整`, `100万元人民币`, `人民币50.5万元`), as a
    plain decimal; None when it does not parse."""
    bare = re.sub(r"[（(]?人民币[)）]?|[（(]?RMB[)）]?", "", text)
    if bare and bare[-1] in WHOLE_WORDS and not re.search(r"\d", bare):
        amount = parse_money(bare)
        return None if amount is None else str(amount)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(万)?元?", bare)
    if match is None:
        return None
    amount = Decimal(match[1]) * (10000 if match[2] else 1)
    return str(amount.quantize(Decimal("0.01")))


def date_value(text: str) -> tuple[dt.date | None, str]:
    """The first date in a read (`2016年05月12日`; chi_sim's `1]日` repaired), and the text
    it was taken from."""
    fixed = fix_line_date(text)
    match = DATE.search(fixed)
    if match is None:
        return None, text
    return parse_date(match.group(0)), match.group(0)


def term_value(text: str) -> tuple[dt.date | None, dt.date | None, bool] | None:
    """(from, until, long term) of a 营业期限: `2016年05月12日至2036年05月11日`,
    `2016年05月12日至长期`, or `长期` alone (from None); None when it does not parse."""
    fixed = fix_line_date(text)
    dates = [parse_date(match) for match in DATE.findall(fixed)]
    if any(date is None for date in dates):
        return None
    long_term = LONG_TERM in fixed
    if long_term and len(dates) <= 1:
        return (dates[0] if dates else None), None, True
    if len(dates) == 2 and not long_term and dates[0] is not None and dates[1] is not None:
        return (dates[0], dates[1], False) if dates[0] < dates[1] else None
    return None
