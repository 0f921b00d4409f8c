"""The payslip's fields and their labels (data: `labels/payslip.yaml`, Chinese and English),
how a printed label is matched to a field: ignoring spaces, colons, brackets and case; and
the line that prints a total's label."""

from __future__ import annotations

import difflib
from decimal import Decimal

from checker.labelled import label_file
from checker.rows.lines import Line, label_score, plain
from schemas.labels import FieldLabels


def payslip_labels() -> dict[str, FieldLabels]:
    """Each payslip field's labels (`labels/payslip.yaml`, validated)."""
    return label_file("payslip")


TOTALS = ("gross_pay", "deductions_total", "net_pay")
ITEMS = ("deduction_items", "earning_items")
HEADER_FIELDS = (*TOTALS, *ITEMS, "pay_period", "employee_name")  # a header row's labels
TITLES = payslip_labels()["title"].labels
AMOUNT_LABELS = {field: payslip_labels()[field].labels for field in TOTALS}
DEDUCTION_NAMES = payslip_labels()["deduction_items"].labels
# longest first, so that 实发大写 goes before 大写 and leaves no 实发 behind
WORDS_LABELS = sorted(payslip_labels()["amount_in_words"].labels, key=len, reverse=True)
HEADER_LABELS = ("工号", "部门", "发放日期", "岗位")
MATCH = 0.75  # a label matches a variant from this similarity on (difflib ratio)
CENT = Decimal("0.01")


def norm(text: str) -> str:
    return plain(text).casefold()


def label_field(text: str, fields: tuple[str, ...] = (*TOTALS, *ITEMS)) -> tuple[str, str] | None:
    """(field, the variant matched) for a printed label, or None when nothing is close."""
    text = norm(text)
    if not text:
        return None
    scored = [
        (difflib.SequenceMatcher(None, text, norm(variant), autojunk=False).ratio(), field, variant)
        for field in fields
        for variant in payslip_labels()[field].labels
    ]
    score, field, variant = max(scored)
    return (field, variant) if score >= MATCH else None


def label_line(lines: list[Line], field: str) -> Line | None:
    """The first line that prints one of a total's labels, or None. The amount in words'
    labels are taken out first: 实发大写 names the words, not a net line."""
    for line in lines:
        text = norm(line.text)
        for words_label in WORDS_LABELS:
            text = text.replace(norm(words_label), "")
        if any(norm(label) in text for label in AMOUNT_LABELS[field]):
            return line
    return None


def _match(label: str, variants: tuple[str, ...]) -> float:
    return max(label_score(label, variant) for variant in variants)
