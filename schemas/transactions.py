"""The transactions of one bank statement as a pandera DataFrameModel.

Amounts are `decimal.Decimal` (object dtype, coerced to two places): the running balance is
checked to the cent, never with floats. Statement-wide values the checks need (opening and
closing balance, the period) travel in `DataFrame.attrs`, set by `transactions_frame`.
Validate with `lazy=True` so every failing row is listed, not only the first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

Money = pandas_engine.Decimal(20, 2)
Date = pandas_engine.Date

RUNNING_BALANCE = "running_balance"
CLOSING_BALANCE = "closing_balance"
IN_PERIOD = "date_in_period"
IN_ORDER = "date_in_order"


class Transactions(pa.DataFrameModel):
    """One row per transaction; debit and credit are the amounts out and in."""

    date: Series[Date] = pa.Field(nullable=True)
    description: Series[str]
    counterparty: Series[str]
    debit: Series[Money] = pa.Field(nullable=True)  # type: ignore[valid-type]
    credit: Series[Money] = pa.Field(nullable=True)  # type: ignore[valid-type]
    balance: Series[Money] = pa.Field(nullable=True)  # type: ignore[valid-type]

    class Config:
        coerce = True
        strict = False

    @pa.dataframe_check(name=RUNNING_BALANCE)
    def running_balance(cls, df: pd.DataFrame) -> pd.Series:
        """Each shown balance is the one before it plus this row's credit minus its debit."""
        previous = [df.attrs.get("opening_balance"), *df["balance"].iloc[:-1]]
        return pd.Series(
            [
                not _known(before, credit, debit, shown) or before + credit - debit == shown
                for before, credit, debit, shown in zip(
                    previous, df["credit"], df["debit"], df["balance"], strict=True
                )
            ],
            index=df.index,
        )

    @pa.dataframe_check(name=CLOSING_BALANCE)
    def closing_balance(cls, df: pd.DataFrame) -> pd.Series:
        """Opening balance plus every movement is the closing balance (checked on the last row)."""
        ok = pd.Series(True, index=df.index)
        opening, closing = df.attrs.get("opening_balance"), df.attrs.get("closing_balance")
        movements = [*df["credit"], *df["debit"]]
        if len(df) and _known(opening, closing, *movements):
            ok.iloc[-1] = opening + sum(df["credit"]) - sum(df["debit"]) == closing
        return ok

    @pa.dataframe_check(name=IN_PERIOD)
    def date_in_period(cls, df: pd.DataFrame) -> pd.Series:
        start, end = df.attrs.get("period_start"), df.attrs.get("period_end")
        return df["date"].map(
            lambda day: (
                not _known(day) or ((start is None or day >= start) and (end is None or day <= end))
            )
        )

    @pa.dataframe_check(name=IN_ORDER)
    def date_in_order(cls, df: pd.DataFrame) -> pd.Series:
        previous = [None, *df["date"].iloc[:-1]]
        return pd.Series(
            [
                not _known(before, day) or day >= before
                for before, day in zip(previous, df["date"], strict=True)
            ],
            index=df.index,
        )


def _known(*values: Any) -> bool:
    """Whether every value was read (an unreadable cell is reported once, by itself)."""
    return not any(value is None or pd.isna(value) for value in values)


class UnsignedTransactions(Transactions):
    """Transactions of a layout whose debit and credit are never negative once read."""

    debit: Series[Money] = pa.Field(ge=0)  # type: ignore[valid-type]
    credit: Series[Money] = pa.Field(ge=0)  # type: ignore[valid-type]


def transactions_frame(
    rows: Iterable[Mapping[str, Any]],
    *,
    opening: Decimal | None = None,
    closing: Decimal | None = None,
    period: tuple[dt.date | None, dt.date | None] = (None, None),
) -> pd.DataFrame:
    """The rows (dicts of strings, as extracted) as a frame to validate, with its attrs.

    An empty debit or credit is zero; an empty balance is missing (not every export has one).
    """
    columns = ("date", "description", "counterparty", "debit", "credit", "balance")
    records = []
    for row in rows:
        record = {column: row.get(column, "") for column in columns}
        record["debit"] = record["debit"] or "0"
        record["credit"] = record["credit"] or "0"
        record["balance"] = record["balance"] or None
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    frame.attrs.update(
        opening_balance=opening,
        closing_balance=closing,
        period_start=period[0],
        period_end=period[1],
    )
    return frame
