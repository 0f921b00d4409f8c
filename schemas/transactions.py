"""The transactions of one bank statement as a pandera schema.

Amounts are `decimal.Decimal` (object dtype, coerced to two places): the running balance is
checked to the cent, never with floats. Statement-wide values the checks need (opening and
closing balance, the period) travel in `DataFrame.attrs`, set by `transactions_frame`.
Validate with `lazy=True` so every failing row is listed, not only the first.

Written with pandera's object API (`DataFrameSchema`): a `DataFrameModel` asks pandera for
every installed dataframe library's types, and with dask installed (the batch's cluster
executor) that imported dask's dataframe modules into every worker, 12 MB each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

Money = pandas_engine.Decimal(20, 2)
Date = pandas_engine.Date

RUNNING_BALANCE = "running_balance"
CLOSING_BALANCE = "closing_balance"
IN_PERIOD = "date_in_period"
IN_ORDER = "date_in_order"


def running_balance(df: pd.DataFrame) -> pd.Series:
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


def closing_balance(df: pd.DataFrame) -> pd.Series:
    """Opening balance plus every movement is the closing balance (checked on the last row)."""
    ok = pd.Series(True, index=df.index)
    opening, closing = df.attrs.get("opening_balance"), df.attrs.get("closing_balance")
    movements = [*df["credit"], *df["debit"]]
    if len(df) and _known(opening, closing, *movements):
        ok.iloc[-1] = opening + sum(df["credit"]) - sum(df["debit"]) == closing
    return ok


def date_in_period(df: pd.DataFrame) -> pd.Series:
    """Each read date within the statement's period, where the period is known."""
    start, end = df.attrs.get("period_start"), df.attrs.get("period_end")
    return df["date"].map(
        lambda day: (
            not _known(day) or ((start is None or day >= start) and (end is None or day <= end))
        )
    )


def date_in_order(df: pd.DataFrame) -> pd.Series:
    """Each read date on or after the one above it."""
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


# One row per transaction; debit and credit are the amounts out and in.
TRANSACTIONS = pa.DataFrameSchema(
    {
        "date": pa.Column(Date, nullable=True),
        "description": pa.Column(str),
        "counterparty": pa.Column(str),
        "debit": pa.Column(Money, nullable=True),
        "credit": pa.Column(Money, nullable=True),
        "balance": pa.Column(Money, nullable=True),
    },
    checks=[
        pa.Check(running_balance, name=RUNNING_BALANCE),
        pa.Check(closing_balance, name=CLOSING_BALANCE),
        pa.Check(date_in_period, name=IN_PERIOD),
        pa.Check(date_in_order, name=IN_ORDER),
    ],
    coerce=True,
    strict=False,
    name="Transactions",
)

# A layout whose debit and credit are never negative once read. Not nullable: an empty amount
# is zero (`transactions_frame`); a cell set aside as unreadable then fails `not_nullable`,
# which the reconciler leaves alone (it reported that cell already).
UNSIGNED_TRANSACTIONS = TRANSACTIONS.update_columns(
    {
        "debit": {"nullable": False, "checks": [pa.Check.ge(0)]},
        "credit": {"nullable": False, "checks": [pa.Check.ge(0)]},
    }
)
UNSIGNED_TRANSACTIONS.name = "UnsignedTransactions"


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
