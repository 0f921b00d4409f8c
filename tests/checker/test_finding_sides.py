"""Every finding code of the catalogue, by what it compares.

A comparison finding names both values and where each was read, in zh and en. A masked
report masks both sides by one rule (`mask_pair`) and never shows a value in clear that it
masks elsewhere; the applicant's own view (mask=False) shows the values whole.

Every code is listed below as a comparison (with its sides and sources as a reader should
see them) or as a finding about one value; a new code fails here until it is listed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import string
from dataclasses import dataclass
from typing import Any

import pytest

from checker.application import application_findings
from checker.documents import CheckContext, cn_id_front
from checker.findings import localize, new_finding
from checker.policy import default_policy
from checker.report import finish_report
from schemas.catalogue import catalogue
from schemas.declared import DeclaredFields
from schemas.findings import Code
from schemas.reads import Read, Reads
from schemas.report import DocumentReport

AS_OF = dt.date(2026, 11, 15)
ID_NUMBER = "110105198811271234"  # born 1988-11-27, male (17th digit odd)
CERTIFICATE = {"zh": "收入证明", "en": "income certificate"}
ID_FRONT = {"zh": "身份证人像面", "en": "ID card (front)"}
SOCIAL = {"zh": "社会保险参保记录", "en": "social insurance record"}
EMPLOYER = "北京星河数据科技有限公司"


@dataclass(frozen=True)
class Sides:
    """A comparison as a reader must see it: the finding's ctx, the two values as the
    message shows them, and words naming where each value was read."""

    ctx: dict[str, Any]
    values: dict[str, tuple[str, ...]]  # lang -> the compared values, as shown
    sources: dict[str, tuple[str, ...]]  # lang -> words naming each value's source


def _both(*values: str) -> dict[str, tuple[str, ...]]:
    return {"zh": values, "en": values}


COMPARISONS: dict[Code, Sides] = {
    Code.NAME_MISMATCH: Sides(
        {"document": CERTIFICATE, "found": "周志明", "expected": "周志鸣", "source": ID_FRONT},
        _both("周志明", "周志鸣"),
        {"zh": ("收入证明上", "身份证人像面上"), "en": ("income certificate", "ID card (front)")},
    ),
    Code.NAME_LIKELY_MISREAD: Sides(
        {"document": CERTIFICATE, "found": "周志明", "expected": "周志鸣", "source": ID_FRONT},
        _both("周志明", "周志鸣"),
        {"zh": ("收入证明上", "身份证人像面上"), "en": ("income certificate", "ID card (front)")},
    ),
    Code.HOLDER_MISMATCH: Sides(
        {"found": "李静怡", "expected": "周志鸣", "source": ID_FRONT},
        _both("李静怡", "周志鸣"),
        {"zh": ("银行流水户名", "身份证人像面上"), "en": ("statement", "ID card (front)")},
    ),
    Code.ID_NUMBER_MISMATCH: Sides(
        {
            "document": CERTIFICATE,
            "found": "110105198811271247",
            "expected": ID_NUMBER,
            "source": ID_FRONT,
        },
        _both("110105198811271247", ID_NUMBER),
        {"zh": ("收入证明上", "身份证人像面上"), "en": ("income certificate", "ID card (front)")},
    ),
    Code.ID_BIRTH_DATE_MISMATCH: Sides(
        {"printed": "1988-11-28", "from_number": "1988-11-27"},
        _both("1988-11-28", "1988-11-27"),
        {"zh": ("身份证上印的", "身份证号码中"), "en": ("printed on the ID card", "ID number")},
    ),
    Code.ID_SEX_MISMATCH: Sides(
        {"printed": {"zh": "女", "en": "female"}, "from_number": {"zh": "男", "en": "male"}},
        {"zh": ("女", "男"), "en": ("female", "male")},
        {"zh": ("身份证上印的", "身份证号码"), "en": ("printed on the ID card", "ID number")},
    ),
    Code.MRZ_PAGE_MISMATCH: Sides(
        {"fields": {"zh": "出生日期", "en": "birth date"}},
        {"zh": ("出生日期",), "en": ("birth date",)},  # the field; the page's value is not located
        {"zh": ("资料页上印的", "机读区"), "en": ("data page prints", "machine-readable zone")},
    ),
    Code.ID_VALIDITY_UNUSUAL: Sides(
        {"years": {"zh": "20 年", "en": "20 years"}, "expected": {"zh": "10 年", "en": "10 years"}},
        {"zh": ("20 年", "10 年"), "en": ("20 years", "10 years")},
        {"zh": ("国徽面的有效期", "人像面的出生日期"), "en": ("back of the ID card", "front")},
    ),
    Code.AGE_OUT_OF_RANGE: Sides(
        {"source": ID_FRONT, "age": 17, "min_age": 18, "max_age": 65},
        _both("17", "18–65"),
        {"zh": ("身份证人像面上的出生日期", "本产品"), "en": ("ID card (front)", "product's")},
    ),
    Code.INCOME_WORDS_MISMATCH: Sides(
        {"document": {"zh": "证明", "en": "certificate"}, "figures": "8000", "words": "柒仟元整"},
        _both("8000", "柒仟元整"),
        {
            "zh": ("证明上的小写金额", "大写金额"),
            "en": ("in figures on the certificate", "in words"),
        },
    ),
    Code.INCOME_ANNUAL_MISMATCH: Sides(
        {"monthly": "8000", "annual": "150000"},
        _both("8000", "150000"),
        {"zh": ("证明上的月收入", "年收入"), "en": ("monthly income on the certificate", "annual")},
    ),
    Code.PAYSLIP_ARITHMETIC: Sides(
        {"gross": "9000.00", "deductions": "1000.00", "net": "7500.00"},
        _both("9000.00", "1000.00", "7500.00"),
        {"zh": ("工资条", "应发", "实发"), "en": ("payslip", "gross", "net")},
    ),
    Code.BALANCE_BREAK: Sides(
        {"row": 14, "expected": "571.73", "shown": "497.59"},
        _both("571.73", "497.59"),
        {"zh": ("上一笔余额", "流水上印的余额"), "en": ("balance before it", "statement prints")},
    ),
    Code.STATEMENT_TOTALS_MISMATCH: Sides(
        {"expected": "1200.00", "shown": "1100.00"},
        _both("1200.00", "1100.00"),
        {
            "zh": ("期初余额加收支合计", "流水上印的期末余额"),
            "en": ("opening balance plus its transactions", "closing balance it prints"),
        },
    ),
    Code.CARD_STATEMENT_TOTALS_MISMATCH: Sides(
        {"expected": "3200.00", "shown": "3100.00"},
        _both("3200.00", "3100.00"),
        {
            "zh": ("上期余额加本期交易", "本期应还金额"),
            "en": ("previous balance plus this period's transactions", "new balance"),
        },
    ),
    Code.STATEMENT_DISCONTINUITY: Sides(
        {"previous": "may.pdf", "closing": "150.00", "following": "june.pdf", "opening": "151.00"},
        _both("150.00", "151.00"),
        _both("may.pdf", "june.pdf"),
    ),
    Code.STATEMENT_GAP: Sides(
        {
            "previous": "may.pdf",
            "following": "july.pdf",
            "start": "2026-06-01",
            "end": "2026-06-30",
        },
        _both("2026-06-01", "2026-06-30"),
        _both("may.pdf", "july.pdf"),
    ),
    Code.STATEMENT_OVERLAP: Sides(
        {
            "previous": "may.pdf",
            "following": "june.pdf",
            "start": "2026-06-01",
            "end": "2026-06-15",
        },
        _both("2026-06-01", "2026-06-15"),
        _both("may.pdf", "june.pdf"),
    ),
    Code.DUPLICATE_TRANSACTION: Sides(
        {"row": 12, "other_row": 7},
        _both("12", "7"),
        {"zh": ("第 12 笔", "第 7 笔"), "en": ("Transaction 12", "transaction 7")},
    ),
    Code.DUPLICATE_FILE: Sides(
        {"first": "id_front.jpg", "second": "id_back.jpg"},
        _both("id_front.jpg", "id_back.jpg"),
        _both("id_front.jpg", "id_back.jpg"),
    ),
    Code.INCOME_MISMATCH: Sides(
        {"document": CERTIFICATE, "certified": "20000", "credited": "7800", "tolerance": "10%"},
        _both("20000", "7800"),
        {
            "zh": ("收入证明上的月收入", "银行流水中的工资入账"),
            "en": ("income certificate", "salary credited on the bank statements"),
        },
    ),
    Code.EMPLOYER_MISMATCH: Sides(
        {
            "document": CERTIFICATE,
            "certified": "北京星河科技有限公司",
            "payer": "上海云帆贸易有限公司",
        },
        _both("北京星河科技有限公司", "上海云帆贸易有限公司"),
        {
            "zh": ("收入证明上的单位", "银行流水上的工资付款方"),
            "en": ("employer on the income certificate", "salary payer on the bank statement"),
        },
    ),
    Code.DECLARED_MISMATCH: Sides(
        {
            "label": {"zh": "月收入", "en": "monthly income"},
            "declared": "12000",
            "found": "8000.00",
            "source": CERTIFICATE,
        },
        _both("12000", "8000.00"),
        {
            "zh": ("表单中填写的月收入", "收入证明上"),
            "en": ("typed in the form", "income certificate"),
        },
    ),
    Code.EMPLOYER_DIFFERS: Sides(
        {
            "document": SOCIAL,
            "found": "上海云帆物流有限公司",
            "expected": EMPLOYER,
            "source": CERTIFICATE,
        },
        _both("上海云帆物流有限公司", EMPLOYER),
        {
            "zh": ("社会保险参保记录上", "收入证明上"),
            "en": ("social insurance", "income certificate"),
        },
    ),
    Code.EMPLOYER_LIKELY_MISREAD: Sides(
        {
            "document": SOCIAL,
            "found": "北京星河数椐科技有限公司",
            "expected": EMPLOYER,
            "source": CERTIFICATE,
        },
        _both("北京星河数椐科技有限公司", EMPLOYER),
        {
            "zh": ("社会保险参保记录上", "收入证明上"),
            "en": ("social insurance", "income certificate"),
        },
    ),
    Code.TAX_INCOME_MISMATCH: Sides(
        {
            "document": CERTIFICATE,
            "certified": "30000.00",
            "taxed": "20000.00",
            "months": 6,
            "tolerance": "20%",
        },
        _both("30000.00", "20000.00"),
        {"zh": ("收入证明上", "纳税记录"), "en": ("income certificate", "tax record")},
    ),
    Code.INCOME_ABOVE_CONTRIBUTION_BASE: Sides(
        {
            "document": {"zh": "住房公积金缴存记录", "en": "housing fund record"},
            "source": {"zh": "申请表", "en": "application form"},
            "income": "30000",
            "base": "9000.00",
            "tolerance": "100%",
        },
        _both("30000", "9000.00"),
        {"zh": ("申请表上", "住房公积金缴存记录上"), "en": ("application form", "housing fund")},
    ),
}

# codes about one value, or one value against a fixed rule, a limit or the check date
SINGLE = {
    Code.FILE_EMPTY, Code.FILE_TOO_LARGE, Code.FILE_UNSUPPORTED, Code.FILE_CORRUPT,
    Code.PDF_ENCRYPTED, Code.TOO_MANY_PAGES, Code.TABLE_TOO_LONG, Code.TABLE_TOO_WIDE,
    Code.IMAGE_TOO_LARGE, Code.UNREADABLE, Code.OCR_TIMEOUT, Code.OCR_FAILED, Code.RETAKE,
    Code.IMAGE_BLURRY, Code.IMAGE_LOW_RESOLUTION, Code.IMAGE_GLARE, Code.IMAGE_CUT_OFF,
    Code.IMAGE_TOO_DARK, Code.DOCUMENT_UNKNOWN, Code.DOCUMENT_MISSING, Code.SEVERAL_DOCUMENTS,
    Code.ID_NUMBER_INVALID, Code.ID_NUMBER_UNCLEAR, Code.ID_REGION_UNKNOWN, Code.ID_NUMBER_KIND,
    Code.ID_NUMBER_NORMALISED, Code.ID_EXPIRED, Code.ID_EXPIRES_SOON, Code.FIELD_UNREADABLE,
    Code.MRZ_CHECK_FAILED, Code.PASSPORT_EXPIRED, Code.MRZ_ZONE_CHECK_FAILED,
    Code.MRZ_ID_CARD_EXPIRED, Code.VISA_EXPIRED, Code.SEAL_MISSING, Code.SEAL_UNVERIFIED,
    Code.SEAL_MISPLACED, Code.CERTIFICATE_STALE, Code.DATE_IN_FUTURE, Code.USCC_INVALID,
    Code.PHONE_INVALID, Code.STATEMENT_COVERAGE_SHORT, Code.STATEMENT_STALE,
    Code.TRANSACTION_OUT_OF_ORDER, Code.STATEMENT_NOT_RECONCILED, Code.ACCOUNT_NUMBER_INVALID,
    Code.DECLARED_INVALID, Code.PERMIT_NUMBER_KIND, Code.TAX_RECORD_GAP, Code.TAX_RECORD_STALE,
    Code.TAX_RECORD_TOTALS_MISMATCH, Code.CONTRIBUTION_GAP, Code.CONTRIBUTION_ACCOUNT_INACTIVE,
    Code.CONTRIBUTION_STALE, Code.CONTRIBUTION_ARREARS, Code.LICENCE_EXPIRED,
    Code.LICENCE_EXPIRES_SOON, Code.BUSINESS_NOT_ON_STATEMENTS,
}  # fmt: skip

# the applicant's personal values as the documents and the form hold them
NAME, OTHER_NAME = "周志鸣", "李静怡"
BIRTH_DATE = "1988-11-27"
ACCOUNT = "6222021234567890128"
PHONE = "13812345678"
PERSONAL = (NAME, ID_NUMBER, BIRTH_DATE, ACCOUNT, OTHER_NAME, PHONE)


@pytest.mark.parametrize("code", list(Code), ids=[code.value for code in Code])
def test_every_code_is_listed_once(code):
    assert (code in COMPARISONS) != (code in SINGLE), code


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("code", list(COMPARISONS), ids=[code.value for code in COMPARISONS])
def test_a_comparison_names_both_sides_and_their_sources(code, lang):
    sides = COMPARISONS[code]
    (finding,) = localize([new_finding(code, file="a.pdf", **sides.ctx)], lang)
    for value in sides.values[lang]:
        assert value in finding.message, (value, finding.message)
    for source in sides.sources[lang]:
        assert source in finding.message, (source, finding.message)
    assert "{" not in finding.message, finding.message


def _documents() -> list[DocumentReport]:
    def doc(kind: str, file: str, **fields: str) -> DocumentReport:
        values = {name: Read(value=value, confidence=0.99) for name, value in fields.items()}
        return DocumentReport(file=file, kind=kind, kind_confidence=0.9, fields=values, pages=1)

    return [
        doc("cn_id_front", "id_front.jpg", name=NAME, id_number=ID_NUMBER, birth_date=BIRTH_DATE),
        doc("bank_statement", "statement.pdf", account_holder=OTHER_NAME, account_number=ACCOUNT),
    ]


def _masked(findings, *, lang="en", declared=None):
    return finish_report(
        _documents(),
        findings,
        declared=declared or DeclaredFields(phone=PHONE),
        as_of=AS_OF,
        profile="identity_only",
        lang=lang,
        mask=True,
    )


def _placeholders(code: Code) -> list[str]:
    entry = catalogue()[code]
    texts = (entry.zh.message, entry.zh.hint, entry.en.message, entry.en.hint)
    names = {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}
    return sorted(names)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("code", list(Code), ids=[code.value for code in Code])
def test_a_masked_report_shows_no_personal_value_it_masks_elsewhere(code, lang):
    """Each placeholder of the code's wording given a personal value the report masks in
    the documents' fields or the form (as a careless rule might pass one): none in clear."""
    values = itertools.cycle(PERSONAL)
    ctx = {name: next(values) for name in _placeholders(code)}
    finding = new_finding(code, file="id_front.jpg", field="name", **ctx)
    report = _masked([finding], lang=lang)
    dumped = report.model_dump_json()
    assert report.documents[0].fields["name"].value == "周**"  # the control: masked there
    for value in PERSONAL:
        assert value not in dumped, (value, report.findings[0].message)


MASKED = [
    (
        Code.NAME_MISMATCH,
        "name",
        {"document": CERTIFICATE, "found": "周志明", "expected": NAME, "source": ID_FRONT},
        'The name on the income certificate, "周*明", differs from the name on the '
        'ID card (front), "周*鸣".',
    ),
    (
        Code.HOLDER_MISMATCH,
        "account_holder",
        {"found": OTHER_NAME, "expected": NAME, "source": ID_FRONT},
        'The statement\'s account holder, "李**", differs from the name on the '
        'ID card (front), "周**".',
    ),
    (
        Code.ID_NUMBER_MISMATCH,
        "id_number",
        {
            "document": CERTIFICATE,
            "found": "110105198811271247",
            "expected": ID_NUMBER,
            "source": ID_FRONT,
        },
        "The ID number on the income certificate, 110105********1247, differs from the one on "
        "the ID card (front), 110105********1234.",
    ),
    (
        Code.ID_BIRTH_DATE_MISMATCH,
        "birth_date",
        {"printed": "1988-11-28", "from_number": BIRTH_DATE},
        "The birth date printed on the ID card, ****-**-*8, differs from the one in the "
        "ID number, ****-**-*7.",
    ),
    (
        Code.DECLARED_MISMATCH,
        "name",
        {"label": {"en": "name"}, "declared": "周志明", "found": NAME, "source": ID_FRONT},
        "The name typed in the form, 周*明, differs from the one on the ID card (front), 周*鸣.",
    ),
    (
        Code.DECLARED_MISMATCH,
        "bank_account",
        {
            "label": {"en": "bank account"},
            "declared": "6222021234567790128",
            "found": ACCOUNT,
            "source": {"en": "bank statement"},
        },
        "The bank account typed in the form, 6222*********7*0128, differs from the one on the "
        "bank statement, 6222*********8*0128.",
    ),
    (
        Code.DECLARED_MISMATCH,
        "monthly_income",  # not personal: shown as typed and as printed
        {"label": {"en": "monthly income"}, "declared": "12000", "found": "8000.00",
         "source": CERTIFICATE},
        "The monthly income typed in the form, 12000, differs from the one on the "
        "income certificate, 8000.00.",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "field", "ctx", "message"),
    MASKED,
    ids=[f"{code.value}-{field}" for code, field, _, _ in MASKED],
)
def test_a_masked_comparison_masks_both_sides_alike(code, field, ctx, message):
    finding = new_finding(code, file="id_front.jpg", field=field, **ctx)
    report = _masked([finding])
    assert report.findings[0].message == message
    dumped = report.model_dump_json()
    for value in (*PERSONAL, "周志明", "110105198811271247", "1988-11-28", "6222021234567790128"):
        assert value not in dumped, value


@pytest.mark.parametrize(
    ("code", "field", "ctx", "message"),
    MASKED,
    ids=[f"{code.value}-{field}" for code, field, _, _ in MASKED],
)
def test_the_applicants_own_view_shows_both_values(code, field, ctx, message):
    finding = new_finding(code, file="id_front.jpg", field=field, **ctx)
    report = finish_report(
        _documents(),
        [finding],
        declared=DeclaredFields(),
        as_of=AS_OF,
        profile="identity_only",
        lang="en",
        mask=False,
    )
    shown = report.findings[0].message
    sides = [value for key, value in ctx.items() if isinstance(value, str)]
    assert len(sides) == 2 and all(value in shown for value in sides), shown


# the rules themselves pass both sides and their sources


def _front(**fields: Any) -> Reads:
    values = {"name": NAME, "sex": "男", "ethnicity": "汉", "address": "北京市朝阳区建国路 1 号"}
    values |= {"birth_date": dt.date(1988, 11, 27), "id_number": ID_NUMBER} | fields
    return {
        name: Read(value=value, confidence=0.99, method="ocr_confirmed")
        for name, value in values.items()
    }


def _front_report(fields: Reads, lang: str, *, mask: bool = True):
    context = CheckContext(policy=default_policy(), as_of=AS_OF, file="id_front.jpg")
    findings = cn_id_front.check(cn_id_front.FIELDS.of(fields), context)
    document = DocumentReport(
        file="id_front.jpg", kind="cn_id_front", kind_confidence=0.9, fields=fields, pages=1
    )
    return finish_report(
        [document],
        findings,
        declared=DeclaredFields(),
        as_of=AS_OF,
        profile="identity_only",
        lang=lang,
        mask=mask,
    )


def test_the_id_card_rule_names_both_birth_dates_masked_alike():
    report = _front_report(_front(birth_date=dt.date(1988, 11, 28)), "zh")
    (finding,) = [f for f in report.findings if f.code == Code.ID_BIRTH_DATE_MISMATCH]
    assert finding.message == (
        "身份证上印的出生日期 ****-**-*8 与身份证号码中的出生日期 ****-**-*7 不一致。"
    )
    assert "1988-11-2" not in report.model_dump_json()


def test_the_id_card_rule_names_both_sexes_in_the_readers_language():
    report = _front_report(_front(sex="女"), "en")
    (finding,) = [f for f in report.findings if f.code == Code.ID_SEX_MISMATCH]
    assert finding.message == (
        "The sex printed on the ID card, female, differs from the one the ID number encodes, male."
    )


def test_the_form_rule_names_the_typed_value_the_read_one_and_the_document():
    documents = [
        DocumentReport(
            file="id_front.jpg",
            kind="cn_id_front",
            kind_confidence=0.9,
            fields=_front(),
            pages=1,
        )
    ]
    declared = DeclaredFields(name="周志明", id_number="11010519881128123X")
    findings = application_findings(
        documents, declared, policy=default_policy(), profile="identity_only", as_of=AS_OF
    )
    report = finish_report(
        documents,
        findings,
        declared=declared,
        as_of=AS_OF,
        profile="identity_only",
        lang="en",
        mask=True,
    )
    messages = sorted(f.message for f in report.findings if f.code == Code.DECLARED_MISMATCH)
    assert messages == [
        "The ID number typed in the form, 110105*******8123X, differs from the one on the "
        "ID card (front), 110105*******71234.",
        "The name typed in the form, 周*明, differs from the one on the ID card (front), 周*鸣.",
    ]
