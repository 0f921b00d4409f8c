"""Reconciling a statement's transactions: the pandera schema's failures become findings.

`TRANSACTIONS` (schemas/transactions.py) is validated with `lazy=True`, so every failing
cell and row is listed. A cell that cannot be read as a date or an amount is reported on its
own and left out of the arithmetic; so is a row on which no figure was read at all (its
movement unknown, the chain is not checked across it). A running-balance failure is then
explained:

- A wrong balance cell breaks its own row and the next one (which starts from it); when the
  expected balance makes the next row reconcile, the two failures are one break, at the
  balance cell. When only one row fails, its amount is the suspect cell.
- Misread or real? On a text layer or an export the statement says what it says: a break is
  `balance_break`. On an OCR read (scan, photo) every cell a break involves (the row's
  debit, credit and balance, and the balance above it) has been read a second time, as a
  digits-only crop (`checker.statements.reread`), and the break is a `retake` (ask for a
  clearer copy) when the read is at fault:
  - the row shows no amount at all (a transaction always moves money: a cell not read),
  - a gap above the row where a whole printed row fits (a row the read lost),
  - a cell whose two reads disagree, or that only one read saw (`confirmed` false),
  - a cell not confirmed by a second read and read with low confidence (below the policy's
    `quality.min_ocr_confidence`), or a suspect cell not confirmed, not read cleanly (below
    `quality.clean_read_confidence`), which one changed digit would make reconcile,
  - an amount that reconciles moving the balance the other way: its direction was misread
    (a thin minus sign lost on a photo of a signed-amount column, or a figure put in the
    other amount column), which a second read of its digits cannot confirm.
  A break whose cells two independent reads agree on is a `balance_break`: the figures are
  the statement's, so the break is too (a planted break of 100 is a one-digit difference,
  which the slip rule alone would have excused). A clean read is trusted, and a real break
  is reported.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd
import pandera.pandas as pa

from checker.findings import new_finding
from checker.policy import Policy
from schemas.findings import Code, Evidence, Finding
from schemas.reads import Read
from schemas.transactions import (
    CLOSING_BALANCE,
    IN_ORDER,
    IN_PERIOD,
    RUNNING_BALANCE,
    TRANSACTIONS,
    UNSIGNED_TRANSACTIONS,
    transactions_frame,
)

AMOUNT_CELLS = ("debit", "credit", "balance")
LOST_ROW_PITCH = 1.7  # a row this many usual row distances below the one above: one lost
Row = Mapping[str, Any]


@dataclass(frozen=True)
class Break:
    """One running-balance break: the row (0-based), the suspect cell, what was expected."""

    index: int
    cell: str
    expected_balance: Decimal
    shown_balance: Decimal
    candidate: Decimal  # the suspect cell's value that would reconcile


def transaction_findings(
    fields: Mapping[str, Read[Any]], *, file: str, policy: Policy, unsigned: bool = True
) -> list[Finding]:
    """Every finding the transaction schema raises for one statement."""
    rows: Sequence[Row] = fields["transactions"].value or []
    frame = transactions_frame(
        rows,
        opening=_money(_value(fields, "opening_balance")),
        closing=_money(_value(fields, "closing_balance")),
        period=(_day(_value(fields, "period_start")), _day(_value(fields, "period_end"))),
    )
    schema = UNSIGNED_TRANSACTIONS if unsigned else TRANSACTIONS
    unreadable, cases = _failures(frame, schema)
    report = _Reporter(rows, file, policy)
    findings = [report.unreadable(index, column) for index, column in unreadable]
    findings += [
        report.unreadable(index, "amount")
        for index, row in enumerate(rows)
        if not any(row.get(cell) for cell in AMOUNT_CELLS)
    ]
    failing = sorted(_indexes(cases, RUNNING_BALANCE))
    breaks = explain_breaks(rows, failing, opening=frame.attrs["opening_balance"])
    findings += [report.balance_break(item) for item in breaks]
    if _indexes(cases, CLOSING_BALANCE) and not breaks:
        findings.append(report.totals(frame))
    for index in sorted(_indexes(cases, IN_PERIOD) | _indexes(cases, IN_ORDER)):
        findings.append(report.out_of_order(index))
    return findings


def _failures(
    frame: pd.DataFrame, schema: pa.DataFrameSchema
) -> tuple[list[tuple[int, str]], pd.DataFrame]:
    """Cells that could not be coerced, and the failure cases of the checks once those
    cells are set aside as missing (so one unreadable cell is not also a break)."""
    unreadable: list[tuple[int, str]] = []
    for _ in range(2):
        try:
            schema.validate(frame, lazy=True)
            return unreadable, pd.DataFrame(columns=["check", "index", "column"])
        except pa.errors.SchemaErrors as errors:
            cases = errors.failure_cases
        bad = cases[cases["check"].astype(str).str.startswith(("coerce_dtype", "greater_than"))]
        if bad.empty:
            return unreadable, cases
        for _, case in bad.iterrows():
            if case["index"] is not None and not pd.isna(case["index"]):
                unreadable.append((int(case["index"]), str(case["column"])))
                frame.at[int(case["index"]), case["column"]] = None
    return sorted(set(unreadable)), cases


def _indexes(cases: pd.DataFrame, check: str) -> set[int]:
    """The rows (0-based) a dataframe-wide check failed on."""
    if cases.empty:
        return set()
    hits = cases[cases["check"].astype(str) == check]
    return {int(index) for index in hits["index"] if index is not None and not pd.isna(index)}


def explain_breaks(
    rows: Sequence[Row], failing: list[int], *, opening: Decimal | None
) -> list[Break]:
    """Failing rows grouped into breaks, each with its suspect cell."""
    breaks, consumed = [], set()
    for index in failing:
        if index in consumed:
            continue
        before = _before(rows, index, opening)
        debit, credit, shown = (_money(rows[index].get(key)) for key in AMOUNT_CELLS)
        if before is None or shown is None:
            continue
        expected = before + (credit or 0) - (debit or 0)
        if index + 1 in failing and _reconciles(rows, index + 1, expected):
            consumed.add(index + 1)
            breaks.append(Break(index, "balance", expected, shown, expected))
        else:
            cell = "credit" if credit else "debit"
            moved = shown - before
            candidate = moved if cell == "credit" else -moved
            breaks.append(Break(index, cell, expected, shown, candidate))
    return breaks


def _before(rows: Sequence[Row], index: int, opening: Decimal | None) -> Decimal | None:
    return opening if index == 0 else _money(rows[index - 1].get("balance"))


def _reconciles(rows: Sequence[Row], index: int, before: Decimal) -> bool:
    row = rows[index]
    debit, credit, shown = (_money(row.get(key)) for key in AMOUNT_CELLS)
    return shown is not None and before + (credit or 0) - (debit or 0) == shown


def one_digit_apart(shown: str, candidate: Decimal) -> bool:
    """Whether the figures differ in exactly one digit (same length): a typical OCR slip."""
    a = "".join(char for char in shown if char.isdigit())
    b = "".join(char for char in f"{candidate:.2f}" if char.isdigit())
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


class _Reporter:
    """Turns failures into findings that point at the row and cell."""

    def __init__(self, rows: Sequence[Row], file: str, policy: Policy) -> None:
        self.rows, self.file, self.policy = rows, file, policy

    def _ocr(self, *indexes: int) -> bool:
        return any(self.rows[i].get("source") == "ocr" for i in indexes if 0 <= i < len(self.rows))

    def _cell(self, index: int, column: str) -> dict[str, Any]:
        return dict(self.rows[index].get("cells", {}).get(column, {}))

    def _evidence(self, index: int, column: str) -> Evidence:
        cell, row = self._cell(index, column), self.rows[index]
        box = cell.get("box") or row.get("box")
        return Evidence(
            file=self.file,
            page=row.get("page"),
            box=tuple(box) if box else None,
            text=cell.get("raw"),
            confidence=cell.get("confidence"),
        )

    def _loc(self, index: int, column: str) -> tuple[str | int, ...]:
        return (self.file, "transactions", index + 1, column)

    def _retake(self, index: int, column: str) -> Finding:
        number = index + 1
        return new_finding(
            Code.RETAKE,
            file=self.file,
            field="transactions",
            loc=self._loc(index, column),
            evidence=self._evidence(index, column),
            label={"zh": f"第{number}笔交易金额", "en": f"amount of transaction {number}"},
        )

    def unreadable(self, index: int, column: str) -> Finding:
        if self._ocr(index):
            return self._retake(index, column)
        number = index + 1
        return new_finding(
            Code.FIELD_UNREADABLE,
            file=self.file,
            field="transactions",
            loc=self._loc(index, column),
            evidence=self._evidence(index, column),
            label={"zh": f"第{number}笔交易的{column}", "en": f"{column} of transaction {number}"},
        )

    def balance_break(self, item: Break) -> Finding:
        if self._ocr(item.index - 1, item.index) and self._misread(item):
            return self._retake(item.index, item.cell)
        return new_finding(
            Code.BALANCE_BREAK,
            file=self.file,
            field="transactions",
            loc=self._loc(item.index, "balance"),
            evidence=self._evidence(item.index, "balance"),
            row=item.index + 1,
            expected=f"{item.expected_balance:.2f}",
            shown=f"{item.shown_balance:.2f}",
        )

    def _misread(self, item: Break) -> bool:
        """Whether an OCR break is more likely a misread than the statement's own (see the
        module's docstring): no amount read, a row lost above, two reads that disagree, low
        confidence on a cell not confirmed, an amount's direction, or a one-digit slip in a
        cell not read cleanly."""
        row = self.rows[item.index]
        if not (row.get("debit") or row.get("credit")) or self._lost_row_above(item.index):
            return True
        involved = [(item.index, cell) for cell in AMOUNT_CELLS]
        if item.index > 0:
            involved.append((item.index - 1, "balance"))
        cells = [self._cell(i, c) for i, c in involved]
        if any(cell.get("confirmed") is False for cell in cells):
            return True
        floor = self.policy.quality.min_ocr_confidence
        if any(c.get("confidence", 1.0) < floor for c in cells if not c.get("confirmed")):
            return True
        amount = _money(row.get(item.cell)) if item.cell != "balance" else None
        if amount is not None and item.candidate == -amount:
            return True  # the amount moved the balance the other way: its sign or column
        suspect = self._cell(item.index, item.cell)
        if suspect.get("confirmed"):
            return False
        slip = one_digit_apart(str(suspect.get("raw", "")), item.candidate)
        return slip and suspect.get("confidence", 1.0) < self.policy.quality.clean_read_confidence

    def _lost_row_above(self, index: int) -> bool:
        """A gap above the row where a whole printed row fits: OCR may have lost one."""
        if index == 0 or self.rows[index].get("page") != self.rows[index - 1].get("page"):
            return False
        pitch = median_pitch(self.rows, self.rows[index].get("page"))
        above, here = (self._cell(i, "date").get("box") for i in (index - 1, index))
        if pitch is None or not above or not here:
            return False
        return bool(here[1] - above[1] > LOST_ROW_PITCH * pitch)

    def totals(self, frame: pd.DataFrame) -> Finding:
        opening, closing = frame.attrs["opening_balance"], frame.attrs["closing_balance"]
        credits = sum(_money(row.get("credit")) or 0 for row in self.rows)
        debits = sum(_money(row.get("debit")) or 0 for row in self.rows)
        expected = opening + credits - debits
        last = len(self.rows) - 1
        if self._ocr(last):
            return self._retake(last, "balance")
        return new_finding(
            Code.STATEMENT_TOTALS_MISMATCH,
            file=self.file,
            field="closing_balance",
            loc=(self.file, "closing_balance"),
            expected=f"{expected:.2f}",
            shown=f"{closing:.2f}",
        )

    def out_of_order(self, index: int) -> Finding:
        return new_finding(
            Code.TRANSACTION_OUT_OF_ORDER,
            file=self.file,
            field="transactions",
            loc=self._loc(index, "date"),
            evidence=self._evidence(index, "date"),
            row=index + 1,
        )


def _value(fields: Mapping[str, Read[Any]], name: str) -> Any:
    field = fields.get(name)
    return field.value if field is not None else None


def _money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def median_pitch(rows: Sequence[Mapping[str, Any]], page: Any) -> float | None:
    """The usual distance between the tops of consecutive rows' dates on a page."""
    boxes = [
        row.get("cells", {}).get("date", {}).get("box") for row in rows if row.get("page") == page
    ]
    tops = [box[1] for box in boxes if box]
    steps = [b - a for a, b in itertools.pairwise(tops) if b > a]
    return statistics.median(steps) if steps else None
