"""check_fields: the intake form's fields validated alone."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

import checker
from schemas.findings import Code, Severity

VALID = {
    "name": "张伟明",
    "id_number": "110105199003071239",
    "phone": "138 1234 5678",
    "employer": "北京星河数据科技有限公司",
    "monthly_income": "12,345.67",
    "bank_account": "6222021234567890128",
}


def test_a_valid_form_has_no_findings():
    from stdnum.cn import ric

    assert ric.is_valid(VALID["id_number"])
    assert checker.check_fields(VALID) == []


@pytest.mark.parametrize(
    ("field", "value", "severity"),
    [
        ("id_number", "110105199003071235", Severity.ERROR),
        ("id_number", "1101051990", Severity.ERROR),
        ("phone", "12345", Severity.ERROR),
        ("monthly_income", "a lot", Severity.ERROR),
        ("monthly_income", "-100", Severity.ERROR),
        ("bank_account", "62220212345", Severity.ERROR),
        ("bank_account", "6222021234567890123", Severity.WARNING),
        ("name", "张伟明123", Severity.ERROR),
    ],
    ids=[
        "id-check-digit",
        "id-short",
        "phone",
        "income-text",
        "income-negative",
        "account-short",
        "account-luhn",
        "name-digits",
    ],
)
def test_each_bad_field_is_named(field, value, severity):
    findings = checker.check_fields({**VALID, field: value}, lang="en")
    assert [(f.code, f.field, f.severity) for f in findings] == [
        (Code.DECLARED_INVALID, field, severity)
    ]
    assert findings[0].message and findings[0].hint


def test_check_fields_is_fast_enough_for_typing():
    checker.check_fields(VALID)
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        checker.check_fields(VALID)
    per_call = (time.perf_counter() - start) / rounds
    assert per_call < 0.01  # generous bound against a hang; the figure lives in the bench


@given(st.dictionaries(st.sampled_from(sorted(VALID)), st.text()))
def test_any_text_gives_findings_never_an_exception(form):
    findings = checker.check_fields(form)
    assert all(finding.code == Code.DECLARED_INVALID for finding in findings)
