"""Statement layouts: one issuer's column titles, date formats and sign conventions, as data.

A layout file (`checker/statements/layouts/*.yaml`) is validated into `Layout` when it is
loaded; a bad file fails then, naming the file, the line and the field.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Column = Literal[
    "date",
    "value_date",
    "description",
    "counterparty",
    "counterparty_account",
    "debit",
    "credit",
    "amount",
    "direction",
    "balance",
    "currency",
    "channel",
    "status",
]
HeaderField = Literal[
    "bank",
    "account_holder",
    "account_number",
    "currency",
    "period",
    "period_start",
    "period_end",
    "opening_balance",
    "closing_balance",
]
AMOUNT_COLUMNS: tuple[Column, ...] = ("debit", "credit", "amount", "balance")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Directions(_Strict):
    """What a 收/支 direction cell says: money in, money out, or neither (不计收支)."""

    credit: list[str] = Field(default_factory=lambda: ["收入", "收", "贷", "存入", "Cr", "Credit"])
    debit: list[str] = Field(default_factory=lambda: ["支出", "支", "借", "支取", "Dr", "Debit"])
    skip: list[str] = Field(default_factory=lambda: ["不计收支", "/"])


class Layout(_Strict):
    """How one issuer prints or exports a statement."""

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    description: str = ""
    issuer: str | None = None  # the bank or app, when the layout belongs to one
    match: list[str] = Field(default_factory=list)  # any of these in the text selects it
    priority: int = 0  # among matching layouts the highest wins; the generic one is lowest
    # column -> header titles it may carry; the key order is the printed column order
    columns: dict[Column, list[str]]
    date_formats: list[str] = Field(default_factory=list)  # strptime formats, tried first
    signed_amount: Literal["credit_positive", "debit_positive"] = "credit_positive"
    debit_shown_negative: bool = False  # the 支出 column prints debits as -123.45
    amounts_non_negative: bool = True  # debit and credit, once read, are never negative
    directions: Directions = Field(default_factory=Directions)
    currency: str | None = None  # the currency when the statement does not print one
    skip_rows: list[str] = Field(default_factory=list)  # regexes: subtotal and carry lines
    header_fields: dict[HeaderField, list[str]] = Field(default_factory=dict)  # label regexes

    @field_validator("columns")
    @classmethod
    def _titles_given(cls, columns: dict[Column, list[str]]) -> dict[Column, list[str]]:
        empty = [name for name, titles in columns.items() if not titles]
        if empty:
            raise ValueError(f"columns without a title: {', '.join(empty)}")
        return columns

    @field_validator("skip_rows")
    @classmethod
    def _regexes_compile(cls, patterns: list[str]) -> list[str]:
        return _compiled(patterns)

    @field_validator("header_fields")
    @classmethod
    def _labels_compile(cls, fields: dict[str, list[str]]) -> dict[str, list[str]]:
        for patterns in fields.values():
            _compiled(patterns)
        return fields

    @model_validator(mode="after")
    def _amounts_readable(self) -> Layout:
        names = set(self.columns)
        if "date" not in names:
            raise ValueError("columns: a date column is required")
        if not ({"debit", "credit"} <= names or "amount" in names):
            raise ValueError("columns: need debit and credit, or amount")
        return self


class Qualifiers(_Strict):
    """What a bracketed part of a column title says (`交易金额(收入)`, `金额(元)`)."""

    unit: list[str]
    credit: list[str]
    debit: list[str]


class ColumnTitles(_Strict):
    """Column titles by role, for every issuer (`checker/statements/columns.yaml`)."""

    roles: dict[Column, list[str]]
    qualifiers: Qualifiers
    no_money_statuses: list[str] = Field(default_factory=list)
    refund_statuses: list[str] = Field(default_factory=list)
    credit_descriptions: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _titles_unique(self) -> ColumnTitles:
        seen: dict[str, str] = {}
        for role, titles in self.roles.items():
            for title in titles:
                if title in seen:
                    raise ValueError(f"roles: {title!r} is both {seen[title]} and {role}")
                seen[title] = role
        return self


def _compiled(patterns: list[str]) -> list[str]:
    """The patterns, once each is known to be a valid regular expression."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"not a valid regular expression {pattern!r}: {error}") from None
    return patterns
