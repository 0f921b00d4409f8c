"""Housing fund record (住房公积金 个人缴存明细 / 缴存证明): whose account, which employer pays
in, the account's status and the months paid."""

from __future__ import annotations

from checker.documents import CheckContext, Content
from checker.documents._contributions import checks
from checker.documents._contributions import detect as detect_record
from checker.documents._contributions import extract as read
from schemas.contributions import HousingFundFields
from schemas.findings import Finding
from schemas.kinds import DocumentKind

KIND = DocumentKind.HOUSING_FUND
FIELDS = HousingFundFields
# labels only a housing-fund record prints
BODY_WORDS = (
    "缴存基数",
    "缴存比例",
    "汇缴",
    "公积金账号",
    "个人账号",
    "账户状态",
    "缴存额",
    "缴存年月",
)


def detect(content: Content) -> float:
    """0..1: a title naming the housing fund and a record (住房公积金个人缴存明细), and the
    fund's own labels (缴存基数, 汇缴 …)."""
    return detect_record(content, "housing_fund_title", BODY_WORDS)


def extract(content: Content) -> HousingFundFields:
    """Name, ID number, employer, account number, status, base and the months' rows."""
    return FIELDS.of(read(content, tuple(FIELDS.model_fields)))


def check(fields: HousingFundFields, context: CheckContext) -> list[Finding]:
    """ID number, account status, months continuous and recent, arrears."""
    return checks.check(fields, context)
