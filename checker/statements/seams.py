"""A statement uploaded page by page: the file with its header, then later pages as files of
their own. Which file is a later page (`is_continuation`), which ends before its statement
does (`continues`), and the balances across the seams between the files."""

from __future__ import annotations

import itertools
from typing import Any

from checker.findings import new_finding
from checker.policy import Policy
from checker.statements.layout import layout_of
from checker.statements.reconcile import transaction_findings
from schemas.findings import Code, Finding
from schemas.reads import Read, Reads


def continues(fields: Reads) -> bool:
    """Whether the file ends before the statement does: its last page prints a page number
    below the page count (`第 1 页 / 共 4 页`), so later pages were sent as other files."""
    printed = fields.get("printed_page")
    if printed is None:
        return False
    page, _, pages = str(printed.value).partition("/")
    return page.isdigit() and pages.isdigit() and int(page) < int(pages)


def page_file_findings(files: list[tuple[str, Reads]], policy: Policy) -> list[Finding]:
    """A statement uploaded page by page (the file with its header, then later pages as files
    of their own): each later file's first row against the balance the file before it ended
    on, and the header's closing balance against the last file's last row. Each file's own
    rows were checked with the file; these are the seams between them."""
    findings: list[Finding] = []
    layout = layout_of(files[0][1])
    for (_, before), (file, after) in itertools.pairwise(files):
        last, first = _rows(before)[-1:], _rows(after)[:1]
        if last and first:
            seam = {"transactions": Read(value=first), "opening_balance": _balance(last[0])}
            found = transaction_findings(
                seam, file=file, policy=policy, unsigned=layout.amounts_non_negative
            )
            if _doubtful_balance(last[0], policy):  # the break may be the other file's misread
                found = [_retake(f) if f.code is Code.BALANCE_BREAK else f for f in found]
            findings += found
    file, fields = files[-1]
    closing, rows = files[0][1].get("closing_balance"), _rows(fields)
    if len(files) > 1 and closing is not None and len(rows) >= 2:
        end = {
            "transactions": Read(value=rows[-1:]),
            "opening_balance": _balance(rows[-2]),
            "closing_balance": closing,
        }
        findings += [  # a break inside the last file was reported with that file
            finding
            for finding in transaction_findings(
                end, file=file, policy=policy, unsigned=layout.amounts_non_negative
            )
            if finding.code is Code.STATEMENT_TOTALS_MISMATCH
        ]
    return findings


def _rows(fields: Reads) -> list[dict[str, Any]]:
    rows = fields.get("transactions")
    return list(rows.value or []) if rows is not None else []


def _doubtful_balance(row: dict[str, Any], policy: Policy) -> bool:
    """An OCR'd balance neither confirmed by a second read nor read clearly."""
    cell = (row.get("cells") or {}).get("balance") or {}
    clear = cell.get("confidence", 0.0) >= policy.quality.clean_read_confidence
    return row.get("source") == "ocr" and not cell.get("confirmed") and not clear


def _retake(found: Finding) -> Finding:
    """A seam's break as a request for a clearer copy of the first row."""
    label = {"zh": "第1笔交易金额", "en": "amount of transaction 1"}
    return new_finding(
        Code.RETAKE,
        file=found.file,
        field=found.field,
        loc=found.loc,
        evidence=found.evidence,
        label=label,
    )


def _balance(row: dict[str, Any]) -> Read[Any]:
    return Read(value=row.get("balance") or None)


def is_continuation(fields: Reads) -> bool:
    """A later page of a statement uploaded page by page (no period, no holder, no opening)."""
    flag = fields.get("continuation")
    return bool(flag and flag.value)
