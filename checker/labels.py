"""Words for people: verdicts, severities, document kinds and profiles in zh and en, so no
report shows an internal code (`not_ready`, `cn_id_back`, `personal_loan`) as its text."""

from __future__ import annotations

from checker.documents import fields_model, module_for
from checker.policy import Policy, default_policy
from schemas.catalogue import Lang
from schemas.findings import Severity
from schemas.report import SUMMARY_TEXT, Verdict

SEVERITY_LABELS = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "提醒", Severity.INFO: "说明"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"},
}
UNKNOWN_KIND = {"zh": "未能识别的文件", "en": "not recognised"}


def verdict_label(verdict: Verdict | str, lang: Lang) -> str:
    return SUMMARY_TEXT[lang][Verdict(verdict)]


def severity_label(severity: Severity | str, lang: Lang) -> str:
    return SEVERITY_LABELS[lang][Severity(severity)]


def kind_label_pair(kind: str) -> dict[str, str]:
    """A document kind's name in zh and en, from its fields model (`LABEL`)."""
    return fields_model(kind).LABEL


def kind_label(kind: str, lang: Lang) -> str:
    """A document kind's name in `lang`; an unknown kind's says it was not recognised."""
    if module_for(kind) is None:
        return UNKNOWN_KIND[lang]
    return kind_label_pair(kind)[lang]


def profile_label(profile: str, lang: Lang, policy: Policy | None = None) -> str:
    """The profile's label in `lang` from the policy, else its description, else its name."""
    found = (policy or default_policy()).profiles.get(profile)
    if found is None:
        return profile
    return found.label.get(lang) or found.description or profile
