"""What is read from a bank statement (银行流水): the header and the transaction rows."""

from __future__ import annotations

from typing import ClassVar, Literal

from schemas.fields import DocumentFields, Facet, Label, facet
from schemas.findings import Code
from schemas.reads import Read

# one transaction as read: date, description, counterparty, debit, credit, balance (decimal
# strings), the source, and each cell's raw text, confidence and box under `cells`
TransactionRow = dict[str, object]
PARAMETRIZED = (Read[list[TransactionRow]],)  # made at module level to pickle (schemas.reads)


class BankStatementFields(DocumentFields):
    """One statement file (or one page of a statement set). Amounts are decimal strings and
    dates ISO dates, as the extraction normalises them."""

    kind: Literal["bank_statement"] = "bank_statement"
    LABEL: ClassVar[Label] = {"zh": "银行流水", "en": "bank statement"}
    HOLDER_MISMATCH: ClassVar[Code] = Code.HOLDER_MISMATCH

    account_holder: Read[str] | None = None
    account_number: Read[str] | None = None
    bank: Read[str] | None = None
    currency: Read[str] | None = None
    period_start: Read[str] | None = None
    period_end: Read[str] | None = None
    opening_balance: Read[str] | None = None
    closing_balance: Read[str] | None = None
    layout: Read[str] | None = None  # the column layout the rows were read with
    columns_certain: Read[bool] | None = None
    card: Read[bool] | None = None  # a credit card's statement
    newest_first: Read[bool] | None = None
    printed_page: Read[str] | None = None  # "2/4"
    continuation: Read[bool] | None = None  # a page that carries on another's rows
    transactions: Read[list[TransactionRow]] | None = None

    def holder_name(self) -> Facet[str] | None:
        return facet("account_holder", self.account_holder)

    def account(self) -> Facet[str] | None:
        return facet("account_number", self.account_number)
