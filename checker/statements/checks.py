"""One statement's checks besides its balance chain (`checker.statements.reconcile`): the
account number, a card statement's totals, and the breaks turned into one warning or one
retake where the columns were unsure or the read was poor."""

from __future__ import annotations

from typing import Any

from checker.documents import CheckContext
from checker.findings import new_finding
from checker.parse import parse_money
from checker.statements.account import account_issue
from schemas.findings import Code, Evidence, Finding
from schemas.reads import Read, Reads

# more balance breaks than this on an OCR read: the read is at fault, not the statement
MAX_OCR_BREAKS = 1  # a planted break shows as one; a poor read as several
MAX_TEXT_BREAKS = 3  # on a text layer, more breaks than this and half the rows: columns misread


def is_card(fields: Reads) -> bool:
    flag = fields.get("card")
    return bool(flag and flag.value)


def card_totals(fields: Reads, context: CheckContext) -> list[Finding]:
    """A card statement: the previous balance plus spending less repayments and refunds is
    the new balance (本期应还金额), when both are printed and the rows carry no balance."""
    rows = list(fields["transactions"].value or [])
    before, after = (fields.get(name) for name in ("opening_balance", "closing_balance"))
    if before is None or after is None or any(row.get("balance") for row in rows):
        return []
    amounts = [
        (parse_money(str(r.get("debit") or 0)), parse_money(str(r.get("credit") or 0)))
        for r in rows
    ]
    start, end = parse_money(str(before.value)), parse_money(str(after.value))
    if start is None or end is None or any(a is None for pair in amounts for a in pair):
        return []
    expected = start + sum(d for d, _ in amounts) - sum(c for _, c in amounts)  # type: ignore[misc]
    if expected == end:
        return []
    return [
        new_finding(
            Code.CARD_STATEMENT_TOTALS_MISMATCH,
            file=context.file,
            field="closing_balance",
            loc=(context.file, "closing_balance"),
            evidence=Evidence(file=context.file, page=after.page, box=after.box, text=after.raw),
            expected=f"{expected:.2f}",
            shown=f"{end:.2f}",
        )
    ]


def unless_unsure(
    findings: list[Finding], fields: Reads, rows: Read[Any], context: CheckContext
) -> list[Finding]:
    """Balance breaks are errors only when the columns are certain. On a text layer or an
    export whose amount columns were not all found by their titles, or where most rows break
    (a column read as the wrong one breaks every row; an edited figure breaks one), the
    breaks become one warning that the statement could not be reconciled, and why."""
    if rows.method not in ("text_layer", "table"):
        return findings  # OCR: a break is told from a misread in checker.statements.reconcile
    codes = (Code.BALANCE_BREAK, Code.STATEMENT_TOTALS_MISMATCH)
    breaks = [finding for finding in findings if finding.code in codes]
    if not breaks:
        return findings
    certain = fields.get("columns_certain")
    count = len(rows.value or [])
    if certain is not None and not certain.value:
        reason = {
            "zh": "表头未能确定哪一列是金额、哪一列是余额",
            "en": "the column titles did not say which column is the amount and which the balance",
        }
    elif len(breaks) > max(MAX_TEXT_BREAKS, count // 2):
        reason = {
            "zh": f"{len(breaks)} 笔交易的余额都对不上，更可能是列读错了",
            "en": f"{len(breaks)} of {count} rows do not carry the balance: "
            "the columns were more likely misread than the statement edited",
        }
    else:
        return findings
    warning = new_finding(
        Code.STATEMENT_NOT_RECONCILED,
        file=context.file,
        field="transactions",
        loc=(context.file, "transactions"),
        evidence=Evidence(file=context.file, page=rows.page),
        reason=reason,
        breaks=len(breaks),
    )
    return [*(finding for finding in findings if finding not in breaks), warning]


def unless_too_many_breaks(
    findings: list[Finding], rows: Read[Any], context: CheckContext
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


def account_findings(fields: Reads, context: CheckContext) -> list[Finding]:
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
