"""Income-and-tax records (个人所得税 收入纳税明细) drawn in every template (`fixtures.tax_record`),
read from text PDFs through the pipeline: classified, every field exact (the unseen template
included), nothing reported that is not printed, no error on a clean record, each planted
defect caught; the checks on unsure reads; a 300 DPI scan; junk never raises."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache

import pypdfium2 as pdfium
import pytest

from checker.check import Checked, check_file
from checker.document import Reading, Word
from checker.documents import CheckContext, Content, module_for, tax_record
from checker.ocr import get_reader
from checker.policy import default_policy
from fixtures import tax_record as records
from schemas.findings import Code, Severity
from schemas.reads import Read
from schemas.tax import TaxRecordFields, TaxRow

TEMPLATES = (*records.TEMPLATES, records.UNSEEN)
FULL_ID = tuple(template for template in TEMPLATES if template != "pages")  # pages masks it


def _check(record: records.TaxRecord, template: str, *, scan: bool = False) -> Checked:
    data = records.record_scan(record, template) if scan else records.record_pdf(record, template)
    policy = default_policy()
    reader = get_reader(policy.ocr)
    return check_file((f"{template}.pdf", data), policy=policy, reader=reader, as_of=records.AS_OF)


@cache
def _clean(template: str) -> tuple[records.TaxRecord, Checked]:
    record = records.sample_record(template, 7)
    return record, _check(record, template)


def _read(fields: TaxRecordFields) -> dict[str, object]:
    """The fields in the truth's shape."""

    def value(read: Read[str] | None) -> str | None:
        return None if read is None else read.value

    employer = fields.employer_name()
    return {
        "name": value(fields.name),
        "id_number": value(fields.id_number),
        "period_start": value(fields.period_start),
        "period_end": value(fields.period_end),
        "rows": sorted(
            (row.month, row.item, row.withholder, row.income, row.tax) for row in fields.table()
        ),
        "total_income": value(fields.total_income),
        "total_tax": value(fields.total_tax),
        "employer": None if employer is None else employer.read.value,
    }


def _codes(checked: Checked) -> set[Code]:
    return {finding.code for finding in checked.report.findings}


@pytest.mark.parametrize("template", TEMPLATES)
def test_fields_exact(template):
    """Every field of every template read exactly. `ledger` is the unseen template: first
    contact 48 of 48 fields over seeds 0-5 when extracted, but 0 of 6 classified (bank
    statement, TD1 card and income certificate readers within the margin); 6 of 6 after
    `checker.classify` stopped taking them as the tax record's rivals."""
    record, checked = _clean(template)
    assert checked.report.kind == "tax_record"
    fields = checked.report.fields
    assert isinstance(fields, TaxRecordFields)
    assert _read(fields) == records.record_truth(record, template)


@pytest.mark.parametrize("template", TEMPLATES)
def test_clean_record_has_no_finding(template):
    _record, checked = _clean(template)
    assert checked.report.findings == []


def _page_text(template: str) -> str:
    record, _checked = _clean(template)
    document = pdfium.PdfDocument(records.record_pdf(record, template))
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    return re.sub(r"[\s,，]", "", text)


@pytest.mark.parametrize("template", TEMPLATES)
def test_nothing_reported_that_is_not_printed(template):
    _record, checked = _clean(template)
    fields = checked.report.fields
    assert isinstance(fields, TaxRecordFields)
    text = _page_text(template)
    printed = [fields.name, fields.id_number, fields.total_income, fields.total_tax]
    for read in printed:
        if read is not None and read.value:
            assert read.raw is not None and re.sub(r"[\s,，]", "", read.raw) in text
            assert read.box is not None and read.page is not None
    for row in fields.table():
        for cell in (row.item, row.withholder, row.withholder_uscc):
            assert cell is None or cell in text
        for amount in (row.income, row.tax):
            assert amount is not None and amount.removesuffix(".00") in text


@pytest.mark.parametrize("template", TEMPLATES)
def test_gap_months_are_named(template):
    record = records.sample_record(template, 3, gap=2)
    checked = _check(record, template)
    gaps = [f for f in checked.report.findings if f.code == Code.TAX_RECORD_GAP]
    assert len(gaps) == 1
    missing = sorted(
        {f"{month:%Y-%m}" for month in records.period_months(record)}
        - {f"{row.month:%Y-%m}" for row in record.rows}
    )
    assert len(missing) == 2
    assert gaps[0].ctx["months"]["en"] == ", ".join(missing)
    assert gaps[0].severity == Severity.WARNING


@pytest.mark.parametrize("template", FULL_ID)
def test_invalid_full_id_number_is_an_error(template):
    checked = _check(records.sample_record(template, 3, invalid_id=True), template)
    invalid = [f for f in checked.report.findings if f.code == Code.ID_NUMBER_INVALID]
    assert [f.severity for f in invalid] == [Severity.ERROR]


def test_masked_id_number_is_not_checked():
    record = records.sample_record("pages", 3, invalid_id=True)
    checked = _check(record, "pages")
    fields = checked.report.fields
    assert isinstance(fields, TaxRecordFields)
    assert fields.id_number is not None and fields.id_number.value == record.id_number
    assert "*" in record.id_number
    assert fields.holder_id_number() is None
    assert not {Code.ID_NUMBER_INVALID, Code.ID_NUMBER_UNCLEAR} & _codes(checked)


@pytest.mark.parametrize("template", TEMPLATES)
def test_stale_record_is_an_error(template):
    checked = _check(records.sample_record(template, 3, stale=True), template)
    stale = [f for f in checked.report.findings if f.code == Code.TAX_RECORD_STALE]
    assert [(f.severity, f.ctx["month"]) for f in stale] == [(Severity.ERROR, "2026-04")]


@pytest.mark.parametrize("template", records.TOTALS)
def test_total_not_matching_rows_is_an_error(template):
    checked = _check(records.sample_record(template, 3, total_off=Decimal("100")), template)
    found = [f for f in checked.report.findings if f.code == Code.TAX_RECORD_TOTALS_MISMATCH]
    assert len(found) == 1
    assert (found[0].field, found[0].severity) == ("total_income", Severity.ERROR)
    assert Decimal(found[0].ctx["shown"]) - Decimal(found[0].ctx["expected"]) == 100


def test_invalid_withholder_uscc_is_an_error():
    checked = _check(records.sample_record("landscape", 3, invalid_uscc=True), "landscape")
    invalid = [f for f in checked.report.findings if f.code == Code.USCC_INVALID]
    assert [f.severity for f in invalid] == [Severity.ERROR]


def test_another_persons_record_gives_the_printed_name():
    """The name rule (checker.rules) compares the holder_name facet: it is the printed one."""
    checked = _check(records.sample_record("app", 3, holder="欧阳娜娜"), "app")
    fields = checked.report.fields
    assert isinstance(fields, TaxRecordFields)
    facet = fields.holder_name()
    assert facet is not None and (facet.field, facet.read.value) == ("name", "欧阳娜娜")


def test_series_for_the_cross_document_rules():
    record, checked = _clean("landscape")
    fields = checked.report.fields
    assert isinstance(fields, TaxRecordFields)
    wages: dict[str, Decimal] = {}
    for row in record.rows:
        if row.item == "工资薪金":
            month = f"{row.month:%Y-%m}"
            wages[month] = wages.get(month, Decimal(0)) + row.income
    assert fields.monthly_wage_income() == wages
    latest_first = sorted(record.rows, key=lambda row: row.month, reverse=True)
    assert fields.withholders() == list(dict.fromkeys(row.withholder for row in latest_first))
    number = fields.holder_id_number()
    assert number is not None and number.read.value == record.id_number
    employer = fields.employer_name()
    assert employer is not None and employer.read.box is not None


# ----------------------------------------------------------------------------- unsure reads


@pytest.fixture(name="context")
def fixture_context() -> CheckContext:
    return CheckContext(policy=default_policy(), as_of=records.AS_OF, file="t.pdf")


def _fields(method: str, confidence: float, total: str) -> TaxRecordFields:
    rows = [
        TaxRow(month=f"2026-{month:02d}", item="工资薪金", withholder="某公司", income="100.00",
               tax="1.00", confidence=confidence)
        for month in (8, 9, 10)
    ]  # fmt: skip
    read = {"confidence": confidence, "page": 1, "method": method}
    return TaxRecordFields(
        name=Read[str](value="张三", **read),
        id_number=Read[str](value="1101**********1234", **read),
        rows=Read[list[TaxRow]](value=rows, **read),
        total_income=Read[str](value=total, raw=total, **read),
    )


def test_totals_mismatch_on_an_ocr_read_asks_for_a_retake(context):
    findings = tax_record.check(_fields("ocr", 0.95, "400.00"), context)
    assert [(f.code, f.severity) for f in findings] == [(Code.RETAKE, Severity.WARNING)]


def test_totals_that_add_up_pass_on_any_read(context):
    assert tax_record.check(_fields("ocr", 0.6, "300.00"), context) == []


def test_future_month_on_a_clean_read(context):
    fields = _fields("text_layer", 1.0, "300.00")
    fields.period_end = Read[str](value="2027-02", page=1, method="text_layer", confidence=1.0)
    codes = [f.code for f in tax_record.check(fields, context)]
    assert Code.DATE_IN_FUTURE in codes


# ----------------------------------------------------------------------------- scans and junk


def _agrees(read: tuple[object, ...], truth: list[tuple[object, ...]]) -> bool:
    """A row read agrees with a printed one in every cell it holds (None: not read)."""
    return any(
        all(cell is None or cell == printed for cell, printed in zip(read, row, strict=True))
        for row in truth
    )


@pytest.mark.parametrize("template", ["app", records.UNSEEN])
def test_scan_reports_only_printed_values(template):
    """A 300 DPI scan through tesseract: classified, the header fields exact, every row cell
    read the printed one (an amount or a month misread is left unread, never reported), a
    table not read whole is a retake warning, no error."""
    record = records.sample_record(template, 0)
    checked = _check(record, template, scan=True)
    assert checked.report.kind == "tax_record"
    fields = checked.report.fields
    assert isinstance(fields, TaxRecordFields)
    read, truth = _read(fields), records.record_truth(record, template)
    header = ("name", "id_number", "period_start", "period_end", "employer")
    assert {name: read[name] for name in header} == {name: truth[name] for name in header}
    rows = read["rows"]
    assert isinstance(rows, list) and len(rows) >= len(truth["rows"]) - 3
    assert all(_agrees(row, truth["rows"]) for row in rows)
    if rows != truth["rows"]:
        assert Code.RETAKE in _codes(checked)
    assert not [f for f in checked.report.findings if f.severity == Severity.ERROR]


JUNK = {
    "empty": Content(readings=()),
    "euro": Content(readings=(Reading(1, [Word("€", (0, 0, 10, 10), 1.0)], "ocr"),)),
    "nul": Content(readings=(Reading(1, [Word("\x00", (0, 0, 0, 0), 0.0)], "ocr"),)),
    "spaces": Content(readings=(Reading(1, [Word(" " * 500, (0, 0, 5, 5), 1.0)], "ocr"),)),
    "blank-page": Content(readings=(Reading(1, [], "ocr"),)),
    "label-only": Content(
        readings=(Reading(1, [Word("纳税人姓名：", (0, 0, 90, 20), 1.0)], "text_layer"),)
    ),
}


def test_module_is_found_by_kind():
    assert module_for("tax_record") is tax_record


@pytest.mark.parametrize("name", list(JUNK), ids=list(JUNK))
def test_junk_gives_findings_never_an_exception(name, context):
    content = JUNK[name]
    assert 0.0 <= tax_record.detect(content) < 0.5
    findings = tax_record.check(tax_record.extract(content), context)
    assert Code.FIELD_UNREADABLE in {finding.code for finding in findings}


def test_month_cells():
    from checker.documents._tax_record.text import parse_month

    assert [parse_month(text) for text in ("2026-10", "2026.1", "2026年10月", "202610")] == [
        "2026-10",
        "2026-01",
        "2026-10",
        "2026-10",
    ]
    assert [parse_month(text) for text in ("2026-13", "合计", "", "2026-10-07")] == [
        None,
        None,
        None,
        "2026-10",
    ]


def test_as_of_month_is_not_in_the_future(context):
    fields = _fields("text_layer", 1.0, "300.00")
    fields.period_end = Read[str](value="2026-11", page=1, method="text_layer", confidence=1.0)
    late = CheckContext(policy=context.policy, as_of=dt.date(2026, 11, 30), file="t.pdf")
    assert Code.DATE_IN_FUTURE not in {f.code for f in tax_record.check(fields, late)}


def _ocr_page(lines: list[list[tuple[int, str]]], confidence: float = 0.95) -> Reading:
    """An OCR reading of text lines, each a list of (left x, text), 60 px apart."""
    words = [
        Word(text, (x, 100 + 60 * number, x + 30 * len(text), 140 + 60 * number), confidence,
             (0, 0, number))
        for number, line in enumerate(lines)
        for x, text in line
    ]  # fmt: skip
    return Reading(1, words, "ocr")


def test_untitled_amount_column_found_by_what_it_holds():
    """The tax column's title misread (和本): its cells are amounts right of the income."""
    header = [(100, "税款所属期"), (500, "所得项目"), (800, "扣缴义务人"), (1500, "收入"),
              (1800, "和本")]  # fmt: skip
    rows = [
        [(100, f"2026-{month:02d}"), (500, "工资薪金"), (800, "北京星河数据科技有限公司"),
         (1500, "9,000.00"), (1800, "45.00")]
        for month in (8, 9, 10)
    ]  # fmt: skip
    fields = tax_record.extract(Content(readings=(_ocr_page([header, *rows]),)))
    assert [(row.month, row.income, row.tax) for row in fields.table()] == [
        (f"2026-{month:02d}", "9000.00", "45.00") for month in (8, 9, 10)
    ]


def test_ocr_cells_out_of_shape_are_left_unread(context):
    header = [(100, "税款所属期"), (500, "所得项目"), (800, "扣缴义务人"), (1500, "收入"),
              (1800, "已申报税额")]  # fmt: skip
    row = [(100, "2026-10"), (500, "工资薪金"), (800, "text"), (1500, "2550100"), (1800, "1.00")]
    fields = tax_record.extract(Content(readings=(_ocr_page([header, row]),)))
    (read,) = fields.table()
    assert (read.withholder, read.income, read.tax) == (None, None, "1.00")
    assert fields.employer_name() is None
    assert Code.RETAKE in {finding.code for finding in tax_record.check(fields, context)}
