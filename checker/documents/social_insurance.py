"""Social insurance record (社会保险 个人参保证明 / 参保缴费明细 / 个人权益记录): whose, which
employer pays in, the insured's status and the months paid, per 险种 or all together."""

from __future__ import annotations

from checker.documents import CheckContext, Content
from checker.documents._contributions import checks
from checker.documents._contributions import detect as detect_record
from checker.documents._contributions import extract as read
from schemas.contributions import SocialInsuranceFields
from schemas.findings import Finding
from schemas.kinds import DocumentKind

KIND = DocumentKind.SOCIAL_INSURANCE
FIELDS = SocialInsuranceFields
# labels only a social-insurance record prints (a payslip lists 养老保险 … too: left out)
BODY_WORDS = (
    "缴费基数",
    "费款所属期",
    "险种",
    "参保状态",
    "单位缴费",
    "个人缴费",
    "社会保障号码",
    "参保单位",
    "缴费年月",
    "实缴",
)


def detect(content: Content) -> float:
    """0..1: a title naming social insurance and a record (社会保险个人参保证明), and the
    record's own labels (缴费基数, 费款所属期, 险种 …)."""
    return detect_record(content, "social_insurance_title", BODY_WORDS)


def extract(content: Content) -> SocialInsuranceFields:
    """Name, ID number, employer, status, base and the months' rows."""
    return FIELDS.of(read(content, tuple(FIELDS.model_fields)))


def check(fields: SocialInsuranceFields, context: CheckContext) -> list[Finding]:
    """ID number, insured status, months continuous and recent, arrears."""
    return checks.check(fields, context)
