"""The finding catalogue: default severity and bilingual message and fix for every code."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, RootModel

from schemas.findings import Code, Severity

Lang = Literal["zh", "en"]


class Wording(BaseModel):
    message: str
    hint: str


class Entry(BaseModel):
    severity: Severity
    zh: Wording
    en: Wording


class Catalogue(RootModel[dict[Code, Entry]]):
    """Every code with its wording; loading fails if a code has no entry."""


@cache
def catalogue() -> dict[Code, Entry]:
    """Load and validate `catalogue.yaml` once."""
    text = resources.files("schemas").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    entries = Catalogue.model_validate(yaml.safe_load(text)).root
    missing = set(Code) - set(entries)
    if missing:
        raise RuntimeError(f"catalogue.yaml lacks codes: {sorted(missing)}")
    return entries


Label = dict[str, str]  # {"zh": …, "en": …}

# What the findings call each field, by the field's name (a document's field or the form's);
# "kind.field" where a kind prints a field under a name of its own.
FIELD_LABELS: dict[str, Label] = {
    "name": {"zh": "姓名", "en": "name"},
    "employee_name": {"zh": "姓名", "en": "name"},
    "account_holder": {"zh": "户名", "en": "account holder"},
    "id_number": {"zh": "身份证号码", "en": "ID number"},
    "cn_id_front.id_number": {"zh": "公民身份号码", "en": "ID number"},
    "sex": {"zh": "性别", "en": "sex"},
    "ethnicity": {"zh": "民族", "en": "ethnicity"},
    "birth_date": {"zh": "出生日期", "en": "birth date"},
    "address": {"zh": "住址", "en": "address"},
    "issuing_authority": {"zh": "签发机关", "en": "issuing authority"},
    "validity": {"zh": "有效期限", "en": "validity period"},
    "document_number": {"zh": "证件号码", "en": "document number"},
    "expiry_date": {"zh": "有效期", "en": "expiry date"},
    "personal_number": {"zh": "个人号码", "en": "personal number"},
    "composite": {"zh": "总校验位", "en": "composite check"},
    "mrz_lines": {"zh": "机读区", "en": "machine-readable zone"},
    "employer": {"zh": "工作单位", "en": "employer"},
    "employer_uscc": {"zh": "统一社会信用代码", "en": "unified social credit code"},
    "position": {"zh": "职务", "en": "position"},
    "employed_since": {"zh": "入职日期", "en": "employment start date"},
    "monthly_income": {"zh": "月收入", "en": "monthly income"},
    "income_in_words": {"zh": "收入大写金额", "en": "amount in words"},
    "annual_income": {"zh": "年收入", "en": "annual income"},
    "contact_phone": {"zh": "联系电话", "en": "contact phone"},
    "issue_date": {"zh": "开具日期", "en": "issue date"},
    "has_seal": {"zh": "单位公章", "en": "company seal"},
    "net_pay": {"zh": "实发金额", "en": "net pay"},
    "amount_in_words": {"zh": "大写金额", "en": "amount in words"},
    "period_start": {"zh": "起止日期", "en": "statement period"},
    "transactions": {"zh": "交易明细", "en": "transactions"},
    "nationality": {"zh": "国籍", "en": "nationality"},
    "pass_number": {"zh": "通行证号码", "en": "travel permit number"},
    "issue_count": {"zh": "签发次数", "en": "issue count"},
    "business_licence.uscc": {"zh": "统一社会信用代码", "en": "unified social credit code"},
    "business_licence.name": {"zh": "名称", "en": "business name"},
    "business_licence.type": {"zh": "类型", "en": "business type"},
    "business_licence.representative": {
        "zh": "法定代表人（经营者）",
        "en": "legal representative (operator)",
    },
    "business_licence.established": {"zh": "成立日期", "en": "date of establishment"},
    "business_licence.valid_until": {"zh": "营业期限", "en": "term of operation"},
    "business_licence.issue_date": {"zh": "发照日期", "en": "issue date"},
    "tax_record.name": {"zh": "纳税人姓名", "en": "taxpayer name"},
    "tax_record.id_number": {"zh": "身份证件号码", "en": "ID number"},
    "tax_record.rows": {"zh": "收入纳税明细表", "en": "table of income and tax"},
    "tax_record.period_end": {"zh": "税款所属期", "en": "tax period"},
    "tax_record.total_income": {"zh": "合计收入", "en": "total income"},
    "tax_record.total_tax": {"zh": "合计税额", "en": "total tax"},
    "tax_record.withholder_uscc": {
        "zh": "扣缴义务人纳税人识别号",
        "en": "withholder's taxpayer number",
    },
    # housing-fund and social-insurance records (one reader for both)
    "contribution_record.id_number": {"zh": "证件号码", "en": "ID number"},
    "contribution_record.employer": {"zh": "单位名称", "en": "employer"},
    "contribution_record.account_number": {"zh": "个人账号", "en": "account number"},
    "contribution_record.status": {"zh": "账户状态", "en": "account status"},
    "contribution_record.contribution_base": {"zh": "缴费基数", "en": "contribution base"},
    "contribution_record.rows": {"zh": "缴费明细（按月）", "en": "monthly contribution rows"},
    "phone": {"zh": "手机号码", "en": "phone number"},
    "bank_account": {"zh": "银行账号", "en": "bank account"},
}


def field_label(field: str, kind: str | None = None) -> Label:
    """What findings call a field, in zh and en (the kind's own name for it, if it has one);
    an unlisted field is called by its name."""
    return (
        FIELD_LABELS.get(f"{kind}.{field}")
        or FIELD_LABELS.get(field)
        or {
            "zh": field,
            "en": field.replace("_", " "),
        }
    )
