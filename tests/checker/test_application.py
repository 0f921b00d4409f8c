"""Application rules on hand-made document reports: consistency, age, declared vs read."""

import datetime as dt

import pytest

from checker.application import application_findings
from checker.policy import default_policy
from checker.reading.glyphs import Shown
from schemas.declared import DeclaredFields
from schemas.findings import Code, Severity
from schemas.reads import Read
from schemas.report import DocumentReport, PageQuality

AS_OF = dt.date(2026, 11, 15)
NAME = "张伟明"
ID_NUMBER = "110105199003071239"


def _doc(kind, file=None, **fields):
    values = {
        name: value if isinstance(value, Read) else Read(value=value, confidence=0.95)
        for name, value in fields.items()
    }
    return DocumentReport(file=file or f"{kind}.jpg", kind=kind, kind_confidence=0.9, fields=values)


def _complete(**overrides):
    documents = {
        "front": _doc("cn_id_front", name=NAME, id_number=ID_NUMBER, birth_date="1990-03-07"),
        "back": _doc("cn_id_back", valid_until="2036-03-01"),
        "certificate": _doc(
            "income_certificate",
            employee_name=NAME,
            id_number=ID_NUMBER,
            employer="北京星河数据科技有限公司",
            monthly_income="12345.67",
        ),
        "statement": _doc(
            "bank_statement",
            "statement.pdf",
            account_holder=NAME,
            account_number="6222021234567890128",
        ),
    }
    documents.update(overrides)
    return [document for document in documents.values() if document is not None]


def _codes(documents, declared=None, as_of=AS_OF):
    findings = application_findings(
        documents,
        declared or DeclaredFields(),
        policy=default_policy(),
        profile="personal_loan",
        as_of=as_of,
    )
    return [(finding.code, finding.severity) for finding in findings]


def test_a_consistent_application_has_no_findings():
    assert _codes(_complete()) == []


def test_each_missing_requirement_is_an_error():
    codes = _codes(_complete(certificate=None, statement=None))
    assert codes == [(Code.DOCUMENT_MISSING, Severity.ERROR)] * 2


def test_id_front_without_back_is_missing_the_identity_document():
    assert _codes(_complete(back=None)) == [(Code.DOCUMENT_MISSING, Severity.ERROR)]


def test_a_passport_replaces_the_id_card():
    passport = _doc("passport", surname="ZHANG", given_names="WEIMING", birth_date="1990-03-07")
    assert _codes(_complete(front=passport, back=None)) == []


@pytest.mark.parametrize(
    ("document", "field", "value", "confidence", "code"),
    [
        ("certificate", "employee_name", "张伟名", 0.95, Code.NAME_MISMATCH),
        ("certificate", "employee_name", "张伟名", 0.40, Code.NAME_LIKELY_MISREAD),
        # one character lost and one misread (刘宇航 read as 刘字 at 0.35)
        ("certificate", "employee_name", "张传", 0.35, Code.NAME_LIKELY_MISREAD),
        ("certificate", "employee_name", "李静怡", 0.40, Code.NAME_MISMATCH),
        ("statement", "account_holder", "李静怡", 1.0, Code.HOLDER_MISMATCH),
        ("certificate", "id_number", "110105199003071247", 0.95, Code.ID_NUMBER_MISMATCH),
        ("certificate", "id_number", "110105199003071289", 0.30, Code.RETAKE),
    ],
    ids=[
        "name-one-char-clean",
        "name-one-char-unclear",
        "name-two-chars-unclear",
        "name-other-unclear",
        "holder-other",
        "id-number-other",
        "id-number-unclear",
    ],
)
def test_cross_document_disagreements(document, field, value, confidence, code):
    documents = _complete()
    index = {"certificate": 2, "statement": 3}[document]
    documents[index].fields[field] = Read(value=value, confidence=confidence)
    assert [found for found, _ in _codes(documents)] == [code]


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        ("1990-03-07", []),
        ("2009-11-16", [Code.AGE_OUT_OF_RANGE]),
        ("1955-01-01", [Code.AGE_OUT_OF_RANGE]),
        ("2008-11-15", []),
    ],
    ids=["adult", "one-day-short-of-18", "over-65", "18-today"],
)
def test_age_range(birth, expected):
    front = _doc("cn_id_front", name=NAME, id_number=ID_NUMBER, birth_date=birth)
    assert [code for code, _ in _codes(_complete(front=front))] == expected


@pytest.mark.parametrize(
    ("field", "value", "mismatch"),
    [
        ("name", NAME, False),
        ("name", "李静怡", True),
        ("id_number", ID_NUMBER, False),
        ("id_number", "110105199003071247", True),
        ("employer", "北京星河数据科技有限公司", False),
        ("employer", "上海云帆贸易有限公司", True),
        ("monthly_income", "12000", False),
        ("monthly_income", "30000", True),
        ("bank_account", "6222021234567890128", False),
        ("bank_account", "6222029999999990128", True),
    ],
    ids=[
        "name-same",
        "name-other",
        "id-same",
        "id-other",
        "employer-same",
        "employer-other",
        "income-close",
        "income-far",
        "account-same",
        "account-other",
    ],
)
def test_declared_fields_against_documents(field, value, mismatch):
    codes = _codes(_complete(), DeclaredFields(**{field: value}))
    assert codes == ([(Code.DECLARED_MISMATCH, Severity.ERROR)] if mismatch else [])


def test_masked_statement_account_accepts_the_typed_account():
    statement = _doc(
        "bank_statement", "s.pdf", account_holder=NAME, account_number="6222 **** 0128"
    )
    declared = DeclaredFields(bank_account="6222021234567890128")
    assert _codes(_complete(statement=statement), declared) == []


def test_the_same_image_twice_is_a_duplicate():
    documents = _complete()
    copy = documents[0].model_copy(update={"file": "id_front_copy.jpg"})
    documents.append(copy)
    for document in (documents[0], copy):
        document.quality = [PageQuality(page=1, width=10, height=10, source="ocr", phash="ab12")]
    assert _codes(documents) == [(Code.DUPLICATE_FILE, Severity.WARNING)]


def test_pages_of_one_template_with_different_reads_are_not_duplicates():
    documents = _complete()
    for document in documents[:2]:
        document.quality = [PageQuality(page=1, width=10, height=10, source="ocr", phash="ab12")]
    assert _codes(documents) == []


def _statement_paying(amount, payer="北京星河数据科技有限公司"):
    rows = [
        {
            "date": f"2026-{month:02d}-15",
            "description": "代发工资",
            "counterparty": payer,
            "debit": "",
            "credit": amount,
            "balance": "50000.00",
        }
        for month in range(5, 11)
    ]
    return _doc(
        "bank_statement",
        "statement.pdf",
        account_holder=NAME,
        account_number="6222021234567890128",
        period_start="2026-05-01",
        period_end="2026-10-31",
        transactions=rows,
    )


@pytest.mark.parametrize(
    ("credited", "payer", "expected"),
    [
        ("9200.00", "北京星河数据科技有限公司", []),
        ("12345.67", "北京星河数据科技有限公司", []),
        ("3641.10", "北京星河数据科技有限公司", [Code.INCOME_MISMATCH]),
        ("25000.00", "北京星河数据科技有限公司", [Code.INCOME_MISMATCH]),
        ("9200.00", "上海云帆贸易有限公司", [Code.EMPLOYER_MISMATCH]),
    ],
    ids=["net-of-gross", "equal", "far-below", "far-above", "other-payer"],
)
def test_certified_income_against_salary_credits(credited, payer, expected):
    documents = _complete(statement=_statement_paying(credited, payer))
    assert [code for code, _ in _codes(documents)] == expected


def test_later_pages_uploaded_as_files_join_the_statement_before_them():
    from checker.rules.statements import statements_of

    first = _statement_paying("9200.00")
    later = _doc(
        "bank_statement",
        "statement_p2.jpg",
        continuation=True,
        transactions=[{"date": "2026-10-20", "debit": "10.00", "credit": "", "balance": "1"}],
    )
    ((file, fields),) = statements_of([first, later])
    assert file == first.file
    assert len(fields["transactions"].value) == len(first.fields["transactions"].value) + 1


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "expected"),
    [
        ("2016-03-01", "2026-03-01", []),
        ("2016-03-01", "2036-03-01", [Code.ID_VALIDITY_UNUSUAL]),
        ("2006-03-01", "2011-03-01", []),
    ],
    ids=["10-years-at-25", "20-years-at-25", "5-years-at-15"],
)
def test_validity_length_fits_the_age_at_issue(valid_from, valid_until, expected):
    back = _doc("cn_id_back", valid_from=valid_from, valid_until=valid_until)
    codes = [code for code, _ in _codes(_complete(back=back), as_of=dt.date(2010, 1, 1))]
    assert [code for code in codes if code == Code.ID_VALIDITY_UNUSUAL] == expected


@pytest.mark.parametrize(
    ("on_certificate", "on_card", "expected"),
    [
        (Shown.FIRST, Shown.FIRST, [Code.NAME_MISMATCH]),  # both images show their own name
        (Shown.SECOND, Shown.UNDECIDED, []),  # the certificate shows the card's name: misread
        (Shown.FIRST, Shown.UNDECIDED, [Code.NAME_LIKELY_MISREAD]),  # the card is unclear
        (Shown.FIRST, Shown.SECOND, [Code.NAME_LIKELY_MISREAD]),  # the card may be misread
        (Shown.UNDECIDED, Shown.FIRST, [Code.NAME_LIKELY_MISREAD]),
    ],
    ids=[
        "both-clear",
        "certificate-shows-card-name",
        "card-undecided",
        "card-shows-other",
        "undecided",
    ],
)
def test_an_unsure_near_miss_is_settled_by_the_images(on_certificate, on_card, expected):
    documents = _complete()
    documents[2].fields["employee_name"] = Read(value="张伟名", confidence=0.40)
    asked = []

    def judge(document, field, other):
        asked.append((document.kind, field.value, other))
        return on_card if document.kind == "cn_id_front" else on_certificate

    findings = application_findings(
        documents,
        DeclaredFields(),
        policy=default_policy(),
        profile="personal_loan",
        as_of=AS_OF,
        judge=judge,
    )
    assert [finding.code for finding in findings] == expected
    assert asked[0] == ("income_certificate", "张伟名", NAME)
    if on_certificate is Shown.FIRST:
        assert asked[1] == ("cn_id_front", NAME, "张伟名")


def _page_files(second_first_balance, closing):
    """A statement uploaded as two files: the header page and a later page (whose second row
    follows its first)."""

    def row(day, debit, balance):
        return {"date": f"2026-10-{day:02d}", "debit": debit, "credit": "", "balance": balance}

    head = _doc(
        "bank_statement",
        "statement_p1.jpg",
        account_holder=NAME,
        closing_balance=closing,
        transactions=[row(1, "100.00", "900.00"), row(2, "100.00", "800.00")],
    )
    later = _doc(
        "bank_statement",
        "statement_p2.jpg",
        continuation=True,
        transactions=[
            row(3, "50.00", second_first_balance),
            row(4, "50.00", f"{float(second_first_balance) - 50:.2f}"),
        ],
    )
    return [head, later]


@pytest.mark.parametrize(
    ("second_first_balance", "closing", "expected"),
    [
        ("750.00", "700.00", []),
        ("750.00", "650.00", [(Code.STATEMENT_TOTALS_MISMATCH, "statement_p2.jpg")]),
    ],
    ids=["consistent", "closing-differs"],
)
def test_the_seams_between_page_files_are_checked(second_first_balance, closing, expected):
    from checker.rules.statements import seam_findings

    findings = seam_findings(_page_files(second_first_balance, closing), policy=default_policy())
    assert [(finding.code, finding.file) for finding in findings] == expected


def test_a_break_at_the_seam_between_page_files_points_at_the_later_file():
    from checker.rules.statements import seam_findings

    documents = _page_files("760.00", "710.00")  # 800 − 50 is 750, not 760; the rest follows
    [finding] = seam_findings(documents, policy=default_policy())
    assert (finding.code, finding.file, finding.severity) == (
        Code.BALANCE_BREAK,
        "statement_p2.jpg",
        Severity.ERROR,
    )


def test_no_break_at_a_seam_after_a_row_whose_figures_were_not_read():
    """The header file's last row lost its figures (a photo's line read without them): what
    the later file starts from is unknown, which is that row's own warning, not a break."""
    from checker.rules.statements import seam_findings

    documents = _page_files("760.00", "710.00")  # 800 − 50 is 750: the lost row moved 10.00
    documents[0].fields["transactions"].value.append(
        {"date": "2026-10-02", "debit": "", "credit": "", "balance": "", "source": "ocr"}
    )
    assert seam_findings(documents, policy=default_policy()) == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ({"confidence": 0.95}, Code.BALANCE_BREAK),
        ({"confidence": 0.40}, Code.RETAKE),
        ({"confidence": 0.40, "confirmed": True}, Code.BALANCE_BREAK),
    ],
    ids=["clear", "unclear", "unclear-but-confirmed"],
)
def test_a_seam_break_after_an_unsure_ocr_balance_is_a_retake(cell, expected):
    from checker.rules.statements import seam_findings

    documents = _page_files("760.00", "710.00")
    last = documents[0].fields["transactions"].value[-1]
    last.update(source="ocr", cells={"balance": {"raw": "800.00", **cell}})
    [finding] = seam_findings(documents, policy=default_policy())
    assert (finding.code, finding.file) == (expected, "statement_p2.jpg")
