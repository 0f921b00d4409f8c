"""The rules across the newer kinds (`checker.rules.employment`, `checker.rules.business`):
one employer across income proofs, tax and contribution records (a near miss a likely
misread), certified income against the tax record's wages, the declared income against the
housing fund's base, a business loan's business on its statements, a foreign resident's
Chinese name, a sole trader's operator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checker.application import application_findings
from checker.policy import default_policy
from checker.rules.employment import Employer, same_employer
from schemas.business import BusinessLicenceFields
from schemas.contributions import HousingFundFields, SocialInsuranceFields
from schemas.declared import DeclaredFields
from schemas.findings import Code
from schemas.identity import CnIdBackFields, CnIdFrontFields, PassportFields
from schemas.income import IncomeCertificateFields
from schemas.permits import ForeignPermanentResidentCardFields
from schemas.reads import Read
from schemas.report import DocumentReport
from schemas.statement import BankStatementFields
from schemas.tax import TaxRecordFields, TaxRow

POLICY = default_policy()
# the codes of the rules across documents (the statements' own checks are elsewhere)
ACROSS = {
    Code.EMPLOYER_DIFFERS,
    Code.EMPLOYER_LIKELY_MISREAD,
    Code.EMPLOYER_MISMATCH,
    Code.TAX_INCOME_MISMATCH,
    Code.INCOME_MISMATCH,
    Code.INCOME_ABOVE_CONTRIBUTION_BASE,
    Code.BUSINESS_NOT_ON_STATEMENTS,
    Code.NAME_MISMATCH,
    Code.NAME_LIKELY_MISREAD,
    Code.HOLDER_MISMATCH,
    Code.ID_NUMBER_MISMATCH,
}
EMPLOYER = "北京星河数据科技有限公司"
NAME = "王晓明"
ID_NUMBER = "11010519900307123X"


def _read(value: object, confidence: float = 1.0) -> Read:
    return Read(value=value, confidence=confidence, page=1)


def _id_card() -> list[DocumentReport]:
    front = CnIdFrontFields(name=_read(NAME), id_number=_read(ID_NUMBER))
    return [
        DocumentReport(file="id_front.jpg", kind="cn_id_front", fields=front),
        DocumentReport(file="id_back.jpg", kind="cn_id_back", fields=CnIdBackFields()),
    ]


def _certificate(employer: str = EMPLOYER, income: str = "20000.00") -> DocumentReport:
    fields = IncomeCertificateFields(
        employee_name=_read(NAME), employer=_read(employer), monthly_income=_read(income)
    )
    return DocumentReport(file="certificate.png", kind="income_certificate", fields=fields)


def _tax(employer: str = EMPLOYER, wage: str = "20000.00") -> DocumentReport:
    months = [f"2026-{month:02d}" for month in range(1, 11)]
    rows = [TaxRow(month=m, item="工资薪金", withholder=employer, income=wage) for m in months]
    fields = TaxRecordFields(name=_read(NAME), rows=_read(rows))
    return DocumentReport(file="tax.pdf", kind="tax_record", fields=fields)


def _fund(employer: str = EMPLOYER, base: str = "18000.00", kind=HousingFundFields):
    fields = kind(name=_read(NAME), employer=_read(employer), contribution_base=_read(base))
    return DocumentReport(file=f"{kind.__name__}.pdf", kind=fields.kind, fields=fields)


def _codes(documents, declared=None, profile="personal_loan") -> list[tuple[str, str | None]]:
    import datetime as dt

    findings = application_findings(
        documents,
        declared or DeclaredFields(),
        policy=POLICY,
        profile=profile,
        as_of=dt.date(2026, 11, 15),
    )
    return sorted((f.code.value, f.file) for f in findings if f.code in ACROSS)


@pytest.mark.parametrize(
    ("found", "expected", "agreement"),
    [
        (EMPLOYER, EMPLOYER, Employer.SAME),
        ("北京星河数据科技有限公司 ", "北京星河数据科技有限公司", Employer.SAME),
        ("星河数据科技", EMPLOYER, Employer.SAME),  # the short name within the full one
        ("北京星河数据科技（集团）有限公司", "北京星河数据科技(集团)有限公司", Employer.SAME),
        ("北京星河数椐科技有限公司", EMPLOYER, Employer.NEAR_MISS),
        ("北京星河数据科技有限公", EMPLOYER, Employer.SAME),  # the last character lost
        ("北京星河数据科枝有限公司", EMPLOYER, Employer.NEAR_MISS),
        ("上海云帆物流有限公司", EMPLOYER, Employer.DIFFERENT),
    ],
)
def test_same_employer(found, expected, agreement):
    assert same_employer(found, expected) is agreement


def test_one_employer_across_the_documents_gives_nothing():
    documents = [*_id_card(), _certificate(), _tax(), _fund(), _fund(kind=SocialInsuranceFields)]
    assert _codes(documents) == []


def test_another_employer_is_named_and_a_near_miss_is_a_likely_misread():
    documents = [
        *_id_card(),
        _fund(employer="北京星河数椐科技有限公司"),  # one character misread
        _certificate(),
        _fund(employer="上海云帆物流有限公司", kind=SocialInsuranceFields),
    ]
    assert _codes(documents) == [
        ("employer_differs", "SocialInsuranceFields.pdf"),
        ("employer_likely_misread", "HousingFundFields.pdf"),
    ]


def test_certified_income_against_the_tax_records_wages():
    assert _codes([*_id_card(), _certificate(income="21000.00"), _tax()]) == []
    assert _codes([*_id_card(), _certificate(income="30000.00"), _tax()]) == [
        ("tax_income_mismatch", "certificate.png")
    ]


def test_a_bonus_month_does_not_move_the_taxed_wage():
    tax = _tax()
    rows = tax.fields.rows.value
    rows[-1] = rows[-1].model_copy(update={"income": "80000.00"})
    assert tax.fields.recent_monthly_wage() == Decimal("20000.00")


def test_declared_income_far_above_the_housing_fund_base():
    declared = DeclaredFields(monthly_income="30000")
    assert _codes([*_id_card(), _fund(base="18000.00")], declared) == []
    assert _codes([*_id_card(), _fund(base="9000.00")], declared) == [
        ("income_above_contribution_base", "HousingFundFields.pdf")
    ]
    # a base above the income says nothing against the applicant; social insurance is left
    assert _codes([*_id_card(), _fund(base="90000.00")], declared) == []
    assert _codes([*_id_card(), _fund(base="9000.00", kind=SocialInsuranceFields)], declared) == []


def _licence(type_: str = "个体工商户", operator: str = NAME) -> DocumentReport:
    fields = BusinessLicenceFields(
        name=_read("朝阳区王记便利店"), type=_read(type_), representative=_read(operator)
    )
    return DocumentReport(file="licence.png", kind="business_licence", fields=fields)


def _statement(holder: str, counterparty: str) -> DocumentReport:
    rows = [{"date": "2026-10-05", "counterparty": counterparty, "credit": "5000.00"}]
    fields = BankStatementFields(account_holder=_read(holder), transactions=_read(rows))
    return DocumentReport(file=f"statement_{holder}.pdf", kind="bank_statement", fields=fields)


def test_business_on_the_statements_for_a_business_loan():
    shown = [*_id_card(), _licence(), _statement(NAME, "朝阳区王记便利店")]
    assert _codes(shown, profile="business_loan") == []
    hidden = [*_id_card(), _licence(), _statement(NAME, "李四")]
    assert _codes(hidden, profile="business_loan") == [
        ("business_not_on_statements", "licence.png")
    ]
    assert _codes(hidden, profile="personal_loan") == []  # the product does not ask for it


def test_the_business_own_account_is_no_other_holder():
    documents = [*_id_card(), _licence(), _statement("朝阳区王记便利店", "李四")]
    assert _codes(documents, profile="business_loan") == []


def test_a_sole_traders_operator_is_held_to_the_applicant_a_companys_not():
    assert _codes([*_id_card(), _licence(operator="李建国")]) == [("name_mismatch", "licence.png")]
    company = _licence(type_="有限责任公司（自然人独资）", operator="李建国")
    assert _codes([*_id_card(), company]) == []


def test_a_foreign_residents_chinese_name_is_held_to_the_documents_in_characters():
    card = ForeignPermanentResidentCardFields(
        name=_read("SMITH, JOHN"), chinese_name=_read("史密斯"), id_number=_read(ID_NUMBER)
    )
    documents = [
        DocumentReport(file="fpr.jpg", kind="foreign_permanent_resident_card", fields=card),
        _certificate(),  # printed 王晓明, not the card holder's 史密斯
        _statement("史密斯", "李四"),
    ]
    assert _codes(documents) == [("name_mismatch", "certificate.png")]


def test_an_income_read_unsurely_is_held_to_nothing():
    """人民币 17,700.40 read as 817700.40 at confidence 0: the certificate itself asks for a
    clearer copy; no rule calls the income wrong on that read."""
    unsure = _certificate(income="817700.40")
    unsure.fields.monthly_income = _read("817700.40", confidence=0.0)
    declared = DeclaredFields(monthly_income="20000.00")
    assert _codes([*_id_card(), unsure, _tax()], declared) == []
    assert _codes([*_id_card(), _certificate(income="817700.40"), _tax()], declared) == [
        ("tax_income_mismatch", "certificate.png")
    ]


def _passport(chinese_name: str | None) -> DocumentReport:
    fields = PassportFields(
        surname=_read("WANG"),
        given_names=_read("XIAOMING"),
        chinese_name=_read(chinese_name) if chinese_name else None,
    )
    return DocumentReport(file="passport.jpg", kind="passport", fields=fields)


def test_a_chinese_passports_name_in_characters_is_held_to_the_documents_in_characters():
    """王晓明 printed on the passport beside WANG XIAOMING: the certificate's 王晓明 is the
    holder's, a statement of 李四's is not; without it, neither is compared."""
    documents = [_certificate(), _statement("李四", "张三")]
    assert _codes([_passport("王晓明"), *documents]) == [("holder_mismatch", "statement_李四.pdf")]
    assert _codes([_passport(None), *documents]) == []
