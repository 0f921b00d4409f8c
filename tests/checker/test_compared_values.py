"""A finding that compares two values names both, and where each was read; a masked report
masks both sides by one rule that keeps what differs visible; the applicant's own view
(mask=False) shows them whole."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.application import application_findings
from checker.policy import default_policy
from checker.privacy import mask_pair
from checker.report import COMPARED, finish_report
from schemas.declared import DeclaredFields
from schemas.reads import Read
from schemas.report import DocumentReport

ID_NUMBER = "110105199003071239"


def _doc(kind: str, file: str, **fields: str) -> DocumentReport:
    values = {name: Read(value=value, confidence=0.95) for name, value in fields.items()}
    return DocumentReport(file=file, kind=kind, kind_confidence=0.9, fields=values, pages=1)


def _report(certificate_name: str, certificate_id: str, *, lang: str, mask: bool):
    documents = [
        _doc("cn_id_front", "id_front.jpg", name="周志鸣", id_number=ID_NUMBER),
        _doc("cn_id_back", "id_back.jpg", valid_until="2036-03-01"),
        _doc(
            "income_certificate",
            "income.png",
            employee_name=certificate_name,
            id_number=certificate_id,
        ),
    ]
    findings = application_findings(
        documents,
        DeclaredFields(),
        policy=default_policy(),
        profile="identity_only",
        as_of=dt.date(2026, 11, 15),
    )
    return finish_report(
        documents,
        findings,
        declared=DeclaredFields(),
        as_of=dt.date(2026, 11, 15),
        profile="identity_only",
        lang=lang,
        mask=mask,
    )


@pytest.mark.parametrize(
    ("field", "first", "second", "expected"),
    [
        ("name", "周志明", "周志鸣", ("周*明", "周*鸣")),
        ("name", "周明", "周志明", ("周*", "周**")),  # two of three differ: a plain mask
        ("name", "李静怡", "张伟明", ("李**", "张**")),  # another person: a plain mask
        ("name", "李静怡", "李静怡", ("李**", "李**")),
        (
            "id_number",
            ID_NUMBER,
            "110105199003071247",
            ("110105********1239", "110105********1247"),
        ),
        (
            "id_number",
            ID_NUMBER,
            "110105198003071239",
            ("110105**9*****1239", "110105**8*****1239"),
        ),
    ],
    ids=["one-char", "longer", "other-person", "same", "id-last-digits", "id-birth-year"],
)
def test_mask_pair_shows_only_what_differs(field, first, second, expected):
    assert mask_pair(field, first, second) == expected


def test_name_mismatch_names_both_sides_and_their_documents():
    report = _report("周志明", ID_NUMBER, lang="en", mask=True)
    (finding,) = [f for f in report.findings if f.code in COMPARED]
    assert finding.message == (
        'The name on the income certificate, "周*明", differs from the name on the '
        'ID card (front), "周*鸣".'
    )
    assert (finding.ctx["found"], finding.ctx["expected"]) == ("周*明", "周*鸣")
    assert "周志" not in report.to_json()


def test_a_traditional_form_read_for_a_simplified_character_is_the_same_name():
    # 鳴 is 鸣's traditional form: a reader gives it where a font draws 鸣 so
    report = _report("周志鳴", ID_NUMBER, lang="en", mask=True)
    assert not [f for f in report.findings if f.code in COMPARED]


def test_the_applicants_view_shows_both_values():
    report = _report("周志明", ID_NUMBER, lang="zh", mask=False)
    (finding,) = [f for f in report.findings if f.code in COMPARED]
    assert finding.message == "收入证明上的姓名“周志明”与身份证人像面上的姓名“周志鸣”不一致。"


def test_id_number_mismatch_names_both_numbers_masked_alike():
    report = _report("周志鸣", "110105199003071247", lang="en", mask=True)
    (finding,) = [f for f in report.findings if f.code in COMPARED]
    assert finding.message == (
        "The ID number on the income certificate, 110105********1247, differs from the one on "
        "the ID card (front), 110105********1239."
    )
    assert "19900307" not in report.to_json()
