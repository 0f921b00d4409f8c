"""Masking: personal values never reach a masked report in the clear."""

import datetime as dt

import pytest

from checker.findings import new_finding
from checker.privacy import Scrubber, mask_account, mask_id_number, mask_name, mask_phone
from checker.report import finish_report
from schemas.declared import DeclaredFields
from schemas.findings import Code, Evidence
from schemas.reads import Read
from schemas.report import DocumentReport


@pytest.mark.parametrize(
    ("mask", "value", "masked"),
    [
        (mask_id_number, "110105199003071239", "110105********1239"),
        (mask_account, "6222021234567890128", "6222 **** **** 0128"),
        (mask_account, "6222 0212 3456 7890 128", "6222 **** **** 0128"),
        (mask_name, "张伟明", "张**"),
        (mask_phone, "13812345678", "138****5678"),
    ],
    ids=["id", "account", "account-spaced", "name", "phone"],
)
def test_mask_styles(mask, value, masked):
    assert mask(value) == masked


def test_scrubber_replaces_values_inside_free_text():
    scrubber = Scrubber.for_fields([("name", "张伟明"), ("id_number", "110105199003071239")])
    text = "name 张伟明 id 110105199003071239 end"
    assert scrubber.text(text) == "name 张** id 110105********1239 end"


def test_masked_report_holds_no_personal_value_anywhere():
    document = DocumentReport(
        file="id_front.jpg",
        kind="cn_id_front",
        fields={
            "name": Read(value="张伟明", raw="姓名 张伟明"),
            "id_number": Read(value="110105199003071239"),
            "sex": Read(value="男"),
        },
    )
    finding = new_finding(
        Code.NAME_MISMATCH,
        file="id_front.jpg",
        document="certificate",
        found="张伟名",
        expected="张伟明",
        evidence=Evidence(file="id_front.jpg", text="公民身份号码 110105199003071239"),
    )
    document.findings = [finding]
    declared = DeclaredFields(name="张伟名", bank_account="6222021234567890128")
    report = finish_report(
        [document],
        [finding],
        declared=declared,
        as_of=dt.date(2026, 11, 15),
        profile="personal_loan",
        lang="en",
        mask=True,
    )
    dumped = report.model_dump_json()
    for secret in ("张伟明", "张伟名", "110105199003071239", "6222021234567890128"):
        assert secret not in dumped
    assert report.documents[0].fields["sex"].value == "男"
    assert report.documents[0].fields["id_number"].value == "110105********1239"


def test_unmasked_report_keeps_values():
    document = DocumentReport(
        file="a.jpg", kind="cn_id_front", fields={"name": Read(value="张伟明")}
    )
    report = finish_report(
        [document],
        [],
        declared=DeclaredFields(),
        as_of=dt.date(2026, 11, 15),
        profile="personal_loan",
        lang="zh",
        mask=False,
    )
    assert report.documents[0].fields["name"].value == "张伟明"


def test_a_passport_number_is_masked_not_shown_whole():
    from checker.privacy import mask_value

    masked = mask_value("document_number", "E12345678")
    assert masked == "E******78"
    assert "2345" not in masked


def _masked(documents, findings=()):
    for document in documents:
        document.findings = [f for f in findings if f.file == document.file]
    return finish_report(
        documents,
        list(findings),
        declared=DeclaredFields(),
        as_of=dt.date(2026, 11, 15),
        profile="business_loan",
        lang="zh",
        mask=True,
    )


def test_a_business_licence_shows_the_business_name_and_masks_its_representative():
    licence = DocumentReport(
        file="licence.png",
        kind="business_licence",
        fields={
            "name": Read(value="北京星河数据科技有限公司"),
            "representative": Read(value="陈佳慧", raw="法定代表人 陈佳慧"),
        },
    )
    payer = new_finding(
        Code.EMPLOYER_MISMATCH,
        file="licence.png",
        document="营业执照",
        certified="北京星河数据科技有限公司",
        payer="北京星河科技有限公司",
    )
    report = _masked([licence], [payer])
    fields = report.documents[0].fields
    assert fields["name"].value == "北京星河数据科技有限公司"
    assert fields["representative"].value == "陈**"
    assert "北京星河数据科技有限公司" in report.findings[0].message
    assert "陈佳慧" not in report.model_dump_json()


def test_a_personal_field_read_without_a_value_keeps_no_raw_text():
    # a contribution record's number printed unlike a number: the value is None, the raw kept
    record = DocumentReport(
        file="fund.pdf",
        kind="housing_fund",
        fields={"id_number": Read(value=None, raw="44030519961207O327")},
    )
    unreadable = new_finding(
        Code.FIELD_UNREADABLE,
        file="fund.pdf",
        field="id_number",
        label="证件号码",
        evidence=Evidence(file="fund.pdf", text="44030519961207O327"),
    )
    report = _masked([record], [unreadable])
    assert "0519961207" not in report.model_dump_json()


@pytest.mark.parametrize(
    ("kind", "field", "value", "raw"),
    [
        ("tax_record", "id_number", "440305199612070327", "44030519961207O327"),
        ("social_insurance", "name", "杨秀兰", "杨 秀 兰"),  # tesseract spaces Chinese out
        ("foreign_permanent_resident_card", "name", "MUELLER, YUKI", "MUELLER. YUKI"),
        ("hmt_residence_permit_back", "pass_number", "H54396184", "H5439618A"),
    ],
    ids=["tax-id-number", "insurance-name", "permanent-resident-name", "permit-pass-number"],
)
def test_a_finding_on_a_personal_field_masks_its_text_as_read(kind, field, value, raw):
    # the text as read differs from the value: the values' scrubber does not know it
    document = DocumentReport(file="doc.png", kind=kind, fields={field: Read(value=value)})
    retake = new_finding(
        Code.RETAKE,
        file="doc.png",
        field=field,
        label=field,
        evidence=Evidence(file="doc.png", text=raw),
    )
    report = _masked([document], [retake])
    dumped = report.model_dump_json()
    assert raw not in dumped
    assert value not in dumped
    assert report.findings[0].evidence.text != raw


# each newer kind's personal values, as its reader gives them
PERSONAL_BY_KIND = {
    "tax_record": {"name": "陈秀英", "id_number": "440305199612070327"},
    "housing_fund": {
        "name": "赵志强",
        "id_number": "440304199001018341",
        "account_number": "6461200012344210",
    },
    "social_insurance": {"name": "杨秀兰", "id_number": "310104198805058163"},
    "business_licence": {"representative": "陈佳慧", "address": "北京市朝阳区文一西路199号"},
    "hmt_residence_permit": {
        "name": "薛生绍",
        "id_number": "810000200507312650",
        "address": "北京市丰台区建设东路30号1808室",
    },
    "hmt_residence_permit_back": {"pass_number": "H54396184"},
    "foreign_permanent_resident_card": {
        "name": "MUELLER, YUKI",
        "chinese_name": "安娜",
        "id_number": "951250195909243806",
    },
}


@pytest.mark.parametrize("kind", list(PERSONAL_BY_KIND))
def test_a_newer_kinds_personal_values_reach_no_masked_report(kind):
    values = PERSONAL_BY_KIND[kind]
    document = DocumentReport(
        file="doc.pdf", kind=kind, fields={name: Read(value=v) for name, v in values.items()}
    )
    careless = new_finding(  # a rule that put the values in a message and its evidence
        Code.EMPLOYER_MISMATCH,
        file="doc.pdf",
        document=kind,
        certified=" ".join(values.values()),
        payer="北京星河科技有限公司",
        evidence=Evidence(file="doc.pdf", text=" / ".join(values.values())),
    )
    dumped = _masked([document], [careless]).model_dump_json()
    assert [value for value in values.values() if value in dumped] == []
