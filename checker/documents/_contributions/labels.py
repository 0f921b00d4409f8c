"""The labels of contribution records (data: `labels/contributions.yaml`) and value shapes."""

from __future__ import annotations

import re
from functools import cache

from checker.labelled import label_file
from checker.rows.lines import label_score, plain
from schemas.catalogue import field_label

SUMMARY_FIELDS = ("name", "id_number", "employer", "account_number", "status", "contribution_base")
TITLE_ENTRIES = ("housing_fund_title", "social_insurance_title", "record_title")
# columns whose cells are amounts; the others are text (type, insurance, status)
AMOUNT_COLUMNS = ("base", "employer_amount", "personal_amount", "total", "balance")
INSURANCE_COLUMNS = ("pension", "medical", "unemployment", "injury", "maternity")
TEXT_COLUMNS = ("business_type", "insurance", "status")
# what findings call each field
# what findings call these fields (schemas.catalogue's one table)
FIELD_LABELS = {
    name: field_label(name, "contribution_record")
    for name in (
        "name",
        "id_number",
        "employer",
        "account_number",
        "status",
        "contribution_base",
        "rows",
    )
}
FUZZY_LABEL = 0.8  # a header cell read with a character wrong still names its column
QUALIFIER = 4  # characters a label may have before it (查询人 姓名, 人员 参保状态)

MONTH = re.compile(r"(?P<y>(?:19|20)\d{2})\s*(?:[-./年]\s*(?P<m>\d{1,2})\s*月?|(?P<m2>\d{2}))")
ID_SHAPE = re.compile(r"[1-9]\d{5}(?:\d{8}|\*{8})\d{3}[\dXx]|[1-9]\d{3}\*{10}\d{3}[\dXx]")
MASKED_ID = re.compile(r"[\dXx*]{15,18}")
NAME_SHAPE = re.compile(r"[\u4e00-\u9fff·]{2,6}")
ACCOUNT_SHAPE = re.compile(r"[0-9A-Za-z*]{6,24}")
CJK_TEXT = re.compile(r"[\u4e00-\u9fff（）()·]{2,40}")
# an organisation's name ends so (a name OCR lost characters of often does not)
ORG_SUFFIX = re.compile(
    r"(公司|集团|中心|研究院|研究所|医院|学校|大学|银行|事务所|委员会|局|厅|厂|店|所|处|社|会|院|站|部)$"
)
# an account's status words: 正常缴存, 参保缴费, 暂停缴费, 封存, 销户 …
STATUS_WORDS = re.compile(
    r"(?:正常|暂停|停止|中断|终止|在职|退休)?(?:参保)?(?:缴存|缴费|参保)|封存|销户|冻结|停保|终止|正常|中断|暂停"
)
# a row's status that says the month was not paid
ARREARS = re.compile(r"欠缴|未缴|欠费|未到账|未足额")


@cache
def labels() -> dict[str, tuple[str, ...]]:
    """Each entry's label variants, as plain text (no spaces, colons or bracketed notes)."""
    return {
        field: tuple(dict.fromkeys(plain(label) for label in spec.labels))
        for field, spec in label_file("contributions").items()
    }


def summary_labels() -> dict[str, tuple[str, ...]]:
    """The summary block's fields, and `other` (labels whose values are not read)."""
    return {field: labels()[field] for field in (*SUMMARY_FIELDS, "other")}


def column_labels() -> dict[str, tuple[str, ...]]:
    """The table's columns by their field name (`month`, `personal_amount` …)."""
    return {
        field.removeprefix("col_"): variants
        for field, variants in labels().items()
        if field.startswith("col_")
    }


def match_label(text: str, fields: dict[str, tuple[str, ...]]) -> str | None:
    """The field whose label `text` is: exactly; else a known label with a short qualifier
    before it (查询人姓名, 参保单位名称, 本期合计: the longest label wins); else the best label
    matched with at most one character wrong (a header misread). A longer text holding a
    label in its middle is no label."""
    text = re.sub(r"[A-Za-z|]+$", "", plain(text))  # （元） misread as Latin letters
    if not text:
        return None
    for field, variants in fields.items():
        if text in variants:
            return field
    qualified = [
        (len(variant), field)
        for field, variants in fields.items()
        for variant in variants
        if len(variant) >= 2 and text.endswith(variant) and len(text) - len(variant) <= QUALIFIER
    ]
    if qualified:
        return max(qualified)[1]
    scored = [
        (label_score(text, variant), len(variant), field)
        for field, variants in fields.items()
        for variant in variants
        if len(variant) >= 3 and abs(len(variant) - len(text)) <= 1
    ]
    best = max(scored, default=(0.0, 0, ""))
    return best[2] if best[0] >= FUZZY_LABEL else None


def month_of(text: str) -> str | None:
    """`2026-10`, `2026.10`, `202610`, `2026年10月`, `2026/10` -> `2026-10`; None for anything
    else (a full date is no month)."""
    compact = re.sub(r"\s", "", text)
    match = MONTH.fullmatch(compact)
    if match is None:
        return None
    month = int(match["m"] or match["m2"])
    return f"{match['y']}-{month:02d}" if 1 <= month <= 12 else None
