"""Words for people: verdicts, severities, document kinds and profiles in zh and en, so no
report shows an internal code (`not_ready`, `cn_id_back`, `personal_loan`) as its text."""

from __future__ import annotations

from checker.policy import Policy, default_policy
from schemas.catalogue import Lang
from schemas.findings import Severity
from schemas.report import SUMMARY_TEXT, Verdict

KIND_LABELS = {
    "cn_id_front": {"zh": "身份证人像面", "en": "ID card (front)"},
    "cn_id_back": {"zh": "身份证国徽面", "en": "ID card (back)"},
    "passport": {"zh": "护照", "en": "passport"},
    "mrz_id_card": {"zh": "身份证件（机读区）", "en": "ID card (machine-readable zone)"},
    "visa": {"zh": "签证", "en": "visa"},
    "income_certificate": {"zh": "收入证明", "en": "income certificate"},
    "employment_certificate": {"zh": "在职证明", "en": "employment certificate"},
    "payslip": {"zh": "工资条", "en": "payslip"},
    "bank_statement": {"zh": "银行流水", "en": "bank statement"},
    "unknown": {"zh": "文件", "en": "file"},
}
SEVERITY_LABELS = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "提醒", Severity.INFO: "说明"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"},
}
UNKNOWN_KIND = {"zh": "未能识别的文件", "en": "not recognised"}


def verdict_label(verdict: Verdict | str, lang: Lang) -> str:
    return SUMMARY_TEXT[lang][Verdict(verdict)]


def severity_label(severity: Severity | str, lang: Lang) -> str:
    return SEVERITY_LABELS[lang][Severity(severity)]


def kind_label(kind: str, lang: Lang) -> str:
    if kind == "unknown" or kind not in KIND_LABELS:
        return UNKNOWN_KIND[lang]
    return KIND_LABELS[kind][lang]


def profile_label(profile: str, lang: Lang, policy: Policy | None = None) -> str:
    """The profile's label in `lang` from the policy, else its description, else its name."""
    found = (policy or default_policy()).profiles.get(profile)
    if found is None:
        return profile
    return found.label.get(lang) or found.description or profile
