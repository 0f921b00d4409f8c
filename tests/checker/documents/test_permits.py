"""Residence permits: the HMT residents' permit (front, back) and the foreigner's permanent
residence card (2023). Checks on hand-made fields, reading on hand-placed words, and a few
generated cards of every design through the whole pipeline (real RapidOCR and tesseract).

First contact with the held-out designs (`python -m bench.permit_reading --designs
hmt_unseen fpr_unseen --count 4`, crop and photo, before any change they prompted): HMT
permit 100 % (crop) and 97.5 % (photo) of fields exact, foreigner's card 97.5 % and 95.0 %.
"""

import datetime as dt
from dataclasses import replace

import pytest

import checker
from bench.permit_reading import FIELDS, check_card, shown, side_kinds
from checker.application import application_findings
from checker.classify import classify
from checker.document import Reading, Word
from checker.documents import CheckContext, Content
from checker.documents import foreign_permanent_resident_card as fpr
from checker.documents import hmt_residence_permit as hmt
from checker.documents import hmt_residence_permit_back as hmt_back
from checker.findings import localize
from checker.policy import default_policy
from fixtures import permits
from fixtures.people import with_wrong_check_digit
from schemas.declared import DeclaredFields
from schemas.findings import Code, Severity
from schemas.permits import (
    ForeignPermanentResidentCardFields,
    HmtResidencePermitBackFields,
    HmtResidencePermitFields,
)
from schemas.reads import Read
from schemas.report import DocumentReport

AS_OF = permits.AS_OF
HMT_NUMBER = permits.id_number("810000", dt.date(1990, 3, 7), "男", 123)
FPR_NUMBER = permits.id_number("911840", dt.date(1985, 3, 12), "男", 45)
RESIDENT_NUMBER = "110105199003071239"


def _context():
    return CheckContext(policy=default_policy(), as_of=AS_OF, file="card.jpg")


def _read(value, confidence=0.98, method="ocr"):
    if isinstance(value, Read):
        return value
    return Read(value=value, confidence=confidence, page=1, method=method)


def _errors(findings):
    return sorted(f.code for f in findings if f.severity == Severity.ERROR)


def _codes(findings):
    return sorted(f.code for f in findings)


# --- checks on fields ------------------------------------------------------------------------


def _front(**changes):
    values = {
        "name": "陈家豪",
        "sex": "男",
        "birth_date": dt.date(1990, 3, 7),
        "address": "广东省深圳市福田区福华路100号",
        "id_number": HMT_NUMBER,
    }
    values.update(changes)
    return HmtResidencePermitFields.of({name: _read(v) for name, v in values.items()})


def _back(valid_from=dt.date(2024, 3, 1), valid_until=dt.date(2029, 3, 1)):
    values = {
        "issuing_authority": "深圳市公安局福田分局",
        "valid_from": valid_from,
        "valid_until": valid_until,
        "pass_number": "H12345678",
        "issue_count": "01",
    }
    return HmtResidencePermitBackFields.of({name: _read(v) for name, v in values.items()})


def _card(**changes):
    values = {
        "name": "SMITH, JOHN",
        "chinese_name": "史密斯",
        "sex": "男",
        "birth_date": dt.date(1985, 3, 12),
        "nationality": "USA",
        "nationality_name": "美国",
        "valid_from": dt.date(2023, 12, 1),
        "valid_until": dt.date(2033, 11, 30),
        "id_number": FPR_NUMBER,
        "issuing_authority": "国家移民管理局",
    }
    values.update(changes)
    return ForeignPermanentResidentCardFields.of({name: _read(v) for name, v in values.items()})


def test_clean_permit_fields_have_no_findings():
    for module, fields in ((hmt, _front()), (hmt_back, _back()), (fpr, _card())):
        assert module.check(fields, _context()) == []


def test_a_check_digit_read_twice_alike_is_an_invalid_number():
    wrong = with_wrong_check_digit(HMT_NUMBER)
    confirmed = _front(id_number=_read(wrong, method="ocr_confirmed"))
    assert _errors(hmt.check(confirmed, _context())) == [Code.ID_NUMBER_INVALID]
    once = _front(id_number=_read(wrong, confidence=0.6))
    assert _codes(hmt.check(once, _context())) == [Code.ID_NUMBER_UNCLEAR]


def test_a_resident_number_on_a_permit_is_an_error():
    resident = _front(id_number=RESIDENT_NUMBER)
    assert _errors(hmt.check(resident, _context())) == [Code.PERMIT_NUMBER_KIND]
    on_card = _card(id_number=HMT_NUMBER, birth_date=dt.date(1990, 3, 7))
    assert _errors(fpr.check(on_card, _context())) == [Code.PERMIT_NUMBER_KIND]


def test_a_printed_birth_date_other_than_the_numbers_is_an_error():
    front = _front(birth_date=dt.date(1990, 4, 7))
    assert _errors(hmt.check(front, _context())) == [Code.ID_BIRTH_DATE_MISMATCH]
    card = _card(birth_date=dt.date(1985, 3, 21))
    assert _errors(fpr.check(card, _context())) == [Code.ID_BIRTH_DATE_MISMATCH]


def test_an_expired_permit_is_an_error_and_one_expiring_a_warning():
    expired = _back(dt.date(2020, 3, 1), dt.date(2025, 3, 1))
    assert _codes(hmt_back.check(expired, _context())) == [Code.ID_EXPIRED]
    soon = _back(dt.date(2021, 12, 1), dt.date(2026, 12, 1))
    assert _codes(hmt_back.check(soon, _context())) == [Code.ID_EXPIRES_SOON]
    card = _card(valid_from=dt.date(2014, 1, 2), valid_until=dt.date(2024, 1, 1))
    assert _codes(fpr.check(card, _context())) == [Code.ID_EXPIRED]


@pytest.mark.parametrize(
    ("lang", "permit", "card"),
    [
        (
            "zh",
            "港澳台居民居住证已于 2025-03-01 过期。",
            "外国人永久居留身份证已于 2024-01-01 过期。",
        ),
        (
            "en",
            "The Hong Kong, Macao or Taiwan residence permit expired on 2025-03-01.",
            "The foreigner's permanent residence ID card expired on 2024-01-01.",
        ),
    ],
    ids=["zh", "en"],
)
def test_an_expired_permit_is_called_by_its_name_not_an_id_card(lang, permit, card):
    expired_permit = hmt_back.check(_back(dt.date(2020, 3, 1), dt.date(2025, 3, 1)), _context())
    expired_card = fpr.check(
        _card(valid_from=dt.date(2014, 1, 2), valid_until=dt.date(2024, 1, 1)), _context()
    )
    messages = [finding.message for finding in localize(expired_permit + expired_card, lang)]
    assert messages == [permit, card]


def test_a_field_not_read_is_a_warning_naming_it():
    missing = Read(value=None, confidence=0.0, page=1, method="missing")
    findings = fpr.check(_card(sex=missing, valid_until=missing), _context())
    assert {(f.code, f.field, f.severity) for f in findings} == {
        (Code.FIELD_UNREADABLE, "sex", Severity.WARNING),
        (Code.FIELD_UNREADABLE, "valid_until", Severity.WARNING),
    }


def test_facets_name_the_holder():
    front, card = _front(), _card()
    assert (front.holder_name().read.value, front.holder_id_number().read.value) == (
        "陈家豪",
        HMT_NUMBER,
    )
    assert card.holder_name().read.value == "SMITH, JOHN"
    assert card.holder_chinese_name().read.value == "史密斯"
    assert card.holder_birth_date() == dt.date(1985, 3, 12)
    assert _back().travel_permit_number().read.value == "H12345678"


def test_a_certificate_with_another_number_than_the_permits_is_a_mismatch():
    front = DocumentReport(file="permit.jpg", kind="hmt_residence_permit", fields=_front())
    certificate = DocumentReport(
        file="certificate.pdf",
        kind="income_certificate",
        fields={
            "employee_name": _read("陈家豪"),
            "id_number": _read(permits.id_number("810000", dt.date(1990, 3, 7), "男", 125)),
            "monthly_income": _read("12345.67"),
        },
    )
    findings = application_findings(
        [front, certificate],
        DeclaredFields(),
        policy=default_policy(),
        profile="personal_loan",
        as_of=AS_OF,
    )
    mismatches = [f for f in findings if f.code == Code.ID_NUMBER_MISMATCH]
    assert [(f.file, f.ctx["expected"]) for f in mismatches] == [("certificate.pdf", HMT_NUMBER)]


@pytest.mark.parametrize("number", [HMT_NUMBER, FPR_NUMBER], ids=["hmt", "fpr"])
def test_a_typed_permit_number_is_accepted_and_a_wrong_one_said_so(number):
    found = checker.check_fields({"id_number": number}, lang="en")
    # id_number_kind: "this is an HK/Macao/Taiwan residence permit number" / "a foreigner's …"
    assert [(f.code, f.severity) for f in found] == [(Code.ID_NUMBER_KIND, Severity.INFO)]
    assert "residence" in found[0].message
    wrong = checker.check_fields({"id_number": with_wrong_check_digit(number)}, lang="en")
    assert [(f.code, f.severity) for f in wrong] == [(Code.DECLARED_INVALID, Severity.ERROR)]
    assert "check digit" in wrong[0].message


# --- classification and reading on hand-placed words -----------------------------------------


def _content(lines):
    """A reading of `lines` (each a list of words), one line every 60 px, words 20 px apart."""
    words = []
    for row, line in enumerate(lines):
        x = 40
        for text in line:
            width = 24 * len(text)
            words.append(Word(text, (x, 60 * row, x + width, 60 * row + 36), 0.97, (0, 0, row)))
            x += width + 20
    return Content(readings=(Reading(page=1, words=words, source="ocr"),))


HMT_FRONT = [["姓名", "陈家豪"], ["性别", "男"], ["出生", "1990年3月7日"], ["住址", "深圳市福田区"]]
CARDS = {
    "hmt_residence_permit": [*HMT_FRONT, ["公民身份号码", HMT_NUMBER]],
    "cn_id_front": [
        ["姓名", "张伟明"],
        ["性别", "男", "民族", "汉"],
        *HMT_FRONT[2:],
        ["公民身份号码", RESIDENT_NUMBER],
    ],
    "hmt_residence_permit_back": [
        ["中华人民共和国"],
        ["港澳台居民居住证"],
        ["签发机关", "深圳市公安局福田分局"],
        ["有效期限", "2024.03.01-2029.03.01"],
        ["通行证号码", "H12345678"],
        ["签发次数", "01"],
    ],
    "cn_id_back": [
        ["中华人民共和国"],
        ["居民身份证"],
        ["签发机关", "北京市公安局朝阳分局"],
        ["有效期限", "2016.01.21-2036.01.21"],
    ],
    "foreign_permanent_resident_card": [
        ["中华人民共和国外国人永久居留身份证"],
        ["姓名/Name"],
        ["SMITH, JOHN PAUL"],
        ["性别/Sex", "男/M"],
        ["出生日期/Date of Birth", "1985.03.12"],
        ["Nationality 国籍", "美国/USA"],
        ["有效期限/Period of Validity", "2023.12.01-2033.11.30"],
        ["证件号码/Card No.", FPR_NUMBER],
        ["签发机关/Authority", "国家移民管理局"],
    ],
}


@pytest.mark.parametrize("kind", list(CARDS))
def test_each_card_is_told_from_the_others(kind):
    assert classify(_content(CARDS[kind]))[0] == kind


def test_a_permit_whose_address_line_ends_in_a_digit_is_no_id_card():
    """Tesseract read a permit's address line `…30号1` just before the number's line (as
    below, from a generated permit): the lines joined made `1810000…`, whose first 18 digits
    are a resident ID number's form, and the permit an ID card's front."""
    lines = [
        *HMT_FRONT[:3],
        ["住址", "北京市"],
        ["808室"],
        ["公民身份号码"],
        ["丰台区建设东路30号1"],
        [HMT_NUMBER],
    ]
    assert classify(_content(lines))[0] == "hmt_residence_permit"


def test_foreigners_card_fields_are_found_beside_or_under_their_labels():
    fields = fpr.extract(_content(CARDS["foreign_permanent_resident_card"]))
    assert {name: read.value for name, read in fields.items()} == {
        "name": "SMITH, JOHN PAUL",
        "chinese_name": None,
        "sex": "男",
        "birth_date": dt.date(1985, 3, 12),
        "nationality": "USA",
        "nationality_name": "美国",
        "valid_from": dt.date(2023, 12, 1),
        "valid_until": dt.date(2033, 11, 30),
        "id_number": FPR_NUMBER,
        "issuing_authority": "国家移民管理局",
    }


@pytest.mark.parametrize(
    ("text", "sex"),
    [("男/M", "男"), ("女 / F", "女"), ("F", "女"), ("女/厅", "女"), ("男/F", None)],
)
def test_a_sex_is_read_from_its_character_and_letter(text, sex):
    assert fpr.parse_sex(text) == sex


# --- generated cards through the pipeline ----------------------------------------------------

SEED = 31  # not the bench's seed
# one card of each design but hmt_serif (bench.permit_reading measures every design)
SHOWN = {
    ("hmt_sans", "crop"),
    ("hmt_unseen", "photo"),
    ("fpr_inline", "photo"),
    ("fpr_stacked", "crop"),
    ("fpr_unseen", "photo"),
}


@pytest.fixture(name="checked", scope="module")
def fixture_checked():
    """(truth, reports by side) of one card of each design."""
    checked = {}
    for design, presentation in sorted(SHOWN):
        card = permits.generate_permit(design, SEED, 0, presentation)
        checked[design] = (card.truth, check_card(card, AS_OF))
    return checked


@pytest.mark.ocr
@pytest.mark.parametrize("design", sorted(design for design, _ in SHOWN))
def test_every_field_of_each_design_is_read_as_printed(checked, design):
    truth, reports = checked[design]
    for side, kind in side_kinds(truth).items():
        assert reports[side].kind == kind
        read = {name: shown(reports[side], name) for name in FIELDS[kind]}
        assert read == {name: truth[name] for name in FIELDS[kind]}


@pytest.mark.ocr
@pytest.mark.parametrize("design", sorted(design for design, _ in SHOWN))
def test_a_clean_card_of_each_design_has_no_error(checked, design):
    _, reports = checked[design]
    assert [
        (f.code, f.field) for r in reports.values() for f in r.findings if f.severity == "error"
    ] == []


@pytest.mark.ocr
def test_a_planted_check_digit_is_read_twice_and_called_invalid():
    card = permits.generate_permit("hmt_sans", SEED, 1, "crop", defect="id_check_digit")
    front = check_card(replace(card, back=None), AS_OF)["front"]
    assert front.fields["id_number"].value == card.truth["id_number"]
    assert _errors(front.findings) == [Code.ID_NUMBER_INVALID]
