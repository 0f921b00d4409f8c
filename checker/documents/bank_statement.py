"""Bank statement (银行流水): header fields and the transaction table, reconciled.

Pages (a PDF text layer, or OCR of scans and photos) are rebuilt into a table from word
positions (`checker.statements.table`); CSV and XLSX exports map by column titles
(`checker.statements.exports`). Both go through the issuer's layout, a data file. The
transactions are validated with the pandera schema in `schemas.transactions`; how a break
is told from a misread is in `checker.statements.reconcile`. Checks across several
statements (gaps, coverage, recency, duplicates) are `checker.statements.sets`.
"""

from __future__ import annotations

from typing import Any

from checker.documents import CheckContext, Content
from checker.findings import new_finding
from checker.statements.account import account_issue
from checker.statements.exports import read_export
from checker.statements.header import header_fields
from checker.statements.layout import layouts, pick_layout
from checker.statements.lines import Line, page_lines, table_lines
from checker.statements.reconcile import transaction_findings
from checker.statements.table import read_pages
from schemas.findings import Code, Evidence, Finding
from schemas.layout import Layout
from schemas.report import FieldValue

KIND = "bank_statement"
KEYWORDS = ("交易明细", "流水", "对账单", "账单明细", "余额", "账号", "户名", "交易记录")
REQUIRED = {  # field -> its label in findings
    "account_holder": {"zh": "户名", "en": "account holder"},
    "period_start": {"zh": "起止日期", "en": "statement period"},
}
_PREAMBLE_ROWS = 40  # rows of an export searched for the issuer's name
# a page with transactions but none of these is a later page of a statement sent as files
STATEMENT_HEAD = ("period_start", "opening_balance", "account_holder")
# more balance breaks than this on an OCR read: the read is at fault, not the statement
MAX_OCR_BREAKS = 1  # a planted break shows as one; a poor read as several


def detect(content: Content) -> float:
    """0..1: a transaction table with titles is near certain; statement words add up."""
    text = _text(content)
    score = min(0.6, 0.12 * sum(word in text for word in KEYWORDS))
    layout = pick_layout(text)
    if any(read_export(table, layout).rows for table in content.tables):
        return 0.95
    if content.readings and any(page.rows for page in read_pages(list(content.readings), layout)):
        score += 0.35
    return round(min(score, 0.95), 3)


def extract(content: Content) -> dict[str, FieldValue]:
    """Header fields, `layout` and `transactions` (one JSON-ready dict per row)."""
    layout = pick_layout(_text(content))
    if content.tables:
        rows, others = _from_tables(content, layout)
        method = "table"
    else:
        pages = read_pages(list(content.readings), layout)
        rows = [row for page in pages for row in page.rows]
        others = [line for page in pages for line in page.header_lines]
        method = _method(content)
    fields = header_fields(others, layout)
    for number, row in enumerate(rows, start=1):
        row["row"] = number
    fields["layout"] = FieldValue(value=layout.name, method="layout")
    if rows and not any(name in fields for name in STATEMENT_HEAD):
        fields["continuation"] = FieldValue(value=True, method="layout")
    fields["transactions"] = FieldValue(
        value=rows,
        page=rows[0].get("page") if rows else None,
        confidence=_lowest_confidence(rows),
        method=method,
    )
    return fields


def check(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """Missing fields, the account number, and the transactions against their balances."""
    continuation = is_continuation(fields)
    findings = [
        new_finding(Code.FIELD_UNREADABLE, file=context.file, field=name, label=label)
        for name, label in REQUIRED.items()
        if name not in fields and not continuation
    ]
    rows = fields.get("transactions")
    if rows is None or not rows.value:
        label = {"zh": "交易明细", "en": "transactions"}
        return [
            *findings,
            new_finding(
                Code.FIELD_UNREADABLE, file=context.file, field="transactions", label=label
            ),
        ]
    findings += _account_findings(fields, context)
    layout = _layout(fields)
    findings += _unless_too_many_breaks(
        transaction_findings(
            fields, file=context.file, policy=context.policy, unsigned=layout.amounts_non_negative
        ),
        rows,
        context,
    )
    return findings


def is_continuation(fields: dict[str, FieldValue]) -> bool:
    """A later page of a statement uploaded page by page (no period, no holder, no opening)."""
    flag = fields.get("continuation")
    return bool(flag and flag.value)


def _unless_too_many_breaks(
    findings: list[Finding], rows: FieldValue, context: CheckContext
) -> list[Finding]:
    """On an OCR read, many breaks mean a poor read: one retake instead of a list of breaks."""
    breaks = [f for f in findings if f.code in (Code.BALANCE_BREAK, Code.RETAKE)]
    if rows.method in ("text_layer", "table") or len(breaks) <= MAX_OCR_BREAKS:
        return findings
    others = [finding for finding in findings if finding not in breaks]
    retake = new_finding(
        Code.RETAKE,
        file=context.file,
        field="transactions",
        label={"zh": "交易明细（余额无法核对）", "en": "transactions (balances cannot be checked)"},
        evidence=Evidence(file=context.file, page=rows.page),
        breaks=len(breaks),
    )
    return [*others, retake]


def _account_findings(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """An implausible account number; a failed Luhn digit is only a warning."""
    field = fields.get("account_number")
    issue = account_issue(str(field.value)) if field else None
    if field is None or issue is None:
        return []
    evidence = Evidence(
        file=context.file, page=field.page, box=field.box, confidence=field.confidence
    )
    return [
        new_finding(
            Code.ACCOUNT_NUMBER_INVALID,
            file=context.file,
            field="account_number",
            severity=issue.severity,
            loc=(context.file, "account_number"),
            evidence=evidence,
            reason=issue.reason,
        )
    ]


def _from_tables(content: Content, layout: Layout) -> tuple[list[dict[str, Any]], list[Line]]:
    rows: list[dict[str, Any]] = []
    others: list[Line] = []
    for table in content.tables:
        export = read_export(table, layout)
        rows += export.rows
        others += export.other_lines
    return rows, others


def _text(content: Content) -> str:
    """The text layouts are picked by: the first page, or the top of each export."""
    parts = [line.text for reading in content.readings[:1] for line in page_lines(reading)]
    for table in content.tables:
        parts += [line.text for line in table_lines(table)[:_PREAMBLE_ROWS]]
    return "\n".join(parts)


def _method(content: Content) -> str:
    sources = {reading.source for reading in content.readings}
    return sources.pop() if len(sources) == 1 else "mixed"


def _lowest_confidence(rows: list[dict[str, Any]]) -> float | None:
    values = [
        cell["confidence"]
        for row in rows
        for cell in row.get("cells", {}).values()
        if "confidence" in cell
    ]
    return min(values) if values else None


def _layout(fields: dict[str, FieldValue]) -> Layout:
    name = fields.get("layout")
    chosen = next((item for item in layouts() if name and item.name == name.value), None)
    return chosen or pick_layout("")
