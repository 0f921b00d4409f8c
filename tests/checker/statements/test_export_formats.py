"""The real export formats of banks and payment apps (CSV, XLSX, legacy XLS), every row read
in the right direction; column roles from their titles; unsure columns are not errors."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest

from checker.document import Table
from checker.documents import CheckContext, Content, bank_statement
from checker.ingest import ingest, sniff
from checker.policy import default_policy
from checker.statements.columns import role_of
from fixtures.exports import FORMATS, build
from schemas.findings import Code, Severity

AS_OF = dt.date(2026, 11, 15)


@pytest.fixture(name="context")
def fixture_context():
    return CheckContext(policy=default_policy(), as_of=AS_OF, file="export")


@pytest.mark.parametrize("name", list(FORMATS))
def test_export_reads_every_row_in_its_direction(name, context):
    export = build(name)
    document = ingest(export.data, name=f"{name}.{export.suffix}", limits=context.policy.limits)
    assert document.findings == []
    content = Content(readings=(), tables=tuple(document.tables))
    fields = bank_statement.extract(content)
    rows = fields["transactions"].value
    assert len(rows) == export.moving
    assert sum(Decimal(row["credit"]) for row in rows if row["credit"]) == export.money_in
    assert sum(Decimal(row["debit"]) for row in rows if row["debit"]) == export.money_out
    findings = bank_statement.check(fields, context)
    assert [f.code for f in findings if f.severity is Severity.ERROR] == []
    assert bank_statement.detect(content) >= 0.9


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("交易金额(收入)", "credit"),
        ("记账金额（支出）", "debit"),
        ("\t余额  \t", "balance"),
        ("联机余额", "balance"),
        ("金额（元）", "amount"),
        ("Amount (HKD)", "amount"),
        ("Withdrawal", "debit"),
        ("Credit / Debit", "direction"),
        ("借贷", "direction"),
        ("交易状态", "status"),
        ("对方卡号/账号", "counterparty_account"),
        ("日 志 号", None),
    ],
)
def test_column_role_from_its_title(title, role):
    assert role_of(title) == role


def test_legacy_office_file_without_a_workbook_is_unsupported():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert sniff(data).kind == "xls"
    document = ingest(data, name="letter.doc", limits=default_policy().limits)
    assert [f.code for f in document.findings] == [Code.FILE_UNSUPPORTED]


def _table(balances: list[str]) -> Table:
    rows = [["户名：张三"], ["起止日期：2026-10-01至2026-10-31"]]
    rows.append(["交易日期", "摘要", "收入", "支出", "余额"])
    for day, balance in enumerate(balances, start=1):
        rows.append([f"2026-10-{day:02d}", "消费", "", "10.00", balance])
    return Table("csv", rows)


def test_an_edited_balance_is_an_error(context):
    table = _table(["90.00", "80.00", "75.00", "60.00", "50.00", "40.00"])
    fields = bank_statement.extract(Content(readings=(), tables=(table,)))
    findings = bank_statement.check(fields, context)
    assert [(f.code, f.severity) for f in findings] == [(Code.BALANCE_BREAK, Severity.ERROR)]


def test_most_rows_breaking_is_a_warning_not_errors(context):
    table = _table(["91.00", "72.00", "53.00", "34.00", "15.00", "6.00"])
    fields = bank_statement.extract(Content(readings=(), tables=(table,)))
    findings = bank_statement.check(fields, context)
    assert [(f.code, f.severity) for f in findings] == [
        (Code.STATEMENT_NOT_RECONCILED, Severity.WARNING)
    ]
    assert findings[0].ctx["breaks"] >= 4


def _card(new_balance: str) -> Table:
    return Table(
        "csv",
        [
            ["招商银行信用卡对账单（2026年10月）"],
            ["户名：张三", "上期账单金额：1,000.00", f"本期应还金额：{new_balance}"],
            ["交易日", "记账日", "交易摘要", "人民币金额", "卡号末四位"],
            ["10/02", "10/03", "超市", "200.00", "1234"],
            ["", "10/05", "掌上生活还款", "-1,000.00", "1234"],
            ["10/09", "10/10", "加油", "300.50", "1234"],
        ],
    )


@pytest.mark.parametrize(
    ("shown", "codes"), [("500.50", []), ("600.50", ["card_statement_totals_mismatch"])]
)
def test_card_statement_totals(shown, codes, context):
    fields = bank_statement.extract(Content(readings=(), tables=(_card(shown),)))
    assert fields["card"].value is True
    findings = bank_statement.check(fields, context)
    assert [f.code.value for f in findings if f.field == "closing_balance"] == codes


ODS = "application/vnd.oasis.opendocument.spreadsheet"
CELL = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
NS = "urn:oasis:names:tc:opendocument:xmlns"


def _ods(rows: list[list[str]]) -> bytes:
    """A minimal OpenDocument spreadsheet: the stored mimetype first, then content.xml."""
    cells = "".join(
        "<table:table-row>" + "".join(CELL.format(cell) for cell in row) + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content xmlns:office="{NS}:office:1.0"'
        f' xmlns:table="{NS}:table:1.0" xmlns:text="{NS}:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="明细">{cells}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        f' xmlns:manifest="{NS}:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODS)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_ods_statement_is_read(context):
    data = _ods(
        [
            ["户名：张三", "起止日期：2026-10-01至2026-10-31"],
            ["交易日期", "摘要", "收入", "支出", "余额"],
            ["2026-10-02", "消费", "", "10.00", "90.00"],
            ["2026-10-03", "工资", "500.00", "", "590.00"],
        ]
    )
    assert sniff(data).kind == "ods"
    document = ingest(data, name="statement.ods", limits=context.policy.limits)
    assert document.findings == []
    fields = bank_statement.extract(Content(readings=(), tables=tuple(document.tables)))
    assert [row["balance"] for row in fields["transactions"].value] == ["90.00", "590.00"]
