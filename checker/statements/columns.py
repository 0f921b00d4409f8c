"""Column roles from a table's header: date, amounts, balance, text columns, by their titles.

One list of titles per role (`columns.yaml`, data) serves text PDFs, scans and exports of
every issuer; a layout's own titles are tried first. Titles are compared folded (NFKC, no
whitespace, lower case), so tab padding, full-width brackets and `Amount (HKD)` all match; a
bracketed or slash-separated part is read as a unit (dropped) or a direction (`交易金额(收入)`
is a credit column). Which convention a signed amount column follows is decided by what the
column holds (`checker.statements.rows`), not by the title.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources

from checker.statements.lines import fold
from checker.yaml_model import parse_yaml_model
from schemas.layout import Column, ColumnTitles, Layout

AMOUNT_ROLES: tuple[Column, ...] = ("debit", "credit", "amount")
_QUALIFIED = re.compile(r"^(?P<base>[^()\[\]]+)[(\[](?P<part>[^()\[\]]*)[)\]]$")


class ColumnTitlesError(Exception):
    """The column titles file cannot be used; the message names the line and field."""


@cache
def titles() -> ColumnTitles:
    """The shipped column titles by role."""
    entry = resources.files("checker.statements").joinpath("columns.yaml")
    return parse_yaml_model(
        entry.read_text("utf-8"), "columns.yaml", ColumnTitles, ColumnTitlesError, "roles"
    )


def key(text: str) -> str:
    """A title as compared: folded, lower case, without a trailing colon."""
    return fold(text).lower().rstrip(":")


@cache
def _by_title() -> dict[str, Column]:
    return {key(title): role for role, names in titles().roles.items() for title in names}


def role_of(title: str, layout: Layout | None = None) -> Column | None:
    """The role of a column by its title, or None when the title says nothing known."""
    folded = key(title)
    if not folded:
        return None
    if layout is not None:
        for role, names in layout.columns.items():
            if folded in {key(name) for name in names}:
                return role
    found = _by_title().get(folded)
    if found is not None:
        return found
    match = _QUALIFIED.match(folded) or re.match(r"^(?P<base>[^/]+)/(?P<part>[^/]+)$", folded)
    if not match:
        return None
    base, part = match["base"], match["part"]
    qualifiers = titles().qualifiers
    base_role = role_of(base, layout)
    if part in {key(word) for word in qualifiers.unit}:
        return base_role
    if base_role in AMOUNT_ROLES:
        if part in {key(word) for word in qualifiers.credit}:
            return "credit"
        if part in {key(word) for word in qualifiers.debit}:
            return "debit"
    return base_role if base_role in ("date", "description", "counterparty") else None


def header_roles(
    cells: Iterable[tuple[int, str]], layout: Layout, holds: Callable[[int], int] | None = None
) -> dict[Column, int]:
    """Role -> cell index for a row of titles; amounts are resolved to either debit and
    credit, or one amount (with a direction, if any). Where several columns have one role
    (交易金额(收入) and 记账金额(收入)), the one holding the most figures (`holds`) wins, else
    the first."""
    candidates: dict[Column, list[int]] = {}
    for index, text in cells:
        role = role_of(text, layout)
        if role is not None:
            candidates.setdefault(role, []).append(index)
    found: dict[Column, int] = {}
    for role, indexes in candidates.items():
        if holds is not None and role in (*AMOUNT_ROLES, "balance") and len(indexes) > 1:
            found[role] = max(indexes, key=lambda index: (holds(index), -index))
        else:
            found[role] = indexes[0]
    return resolve(found)


def resolve(found: dict[Column, int]) -> dict[Column, int]:
    """Keep one way of reading amounts: both debit and credit columns, else one amount."""
    if "debit" in found and "credit" in found:
        found.pop("amount", None)
        found.pop("direction", None)
    elif "amount" in found:
        found.pop("debit", None)
        found.pop("credit", None)
    return found


def is_header(roles: dict[Column, int]) -> bool:
    """Enough titles for a transaction table: a date, an amount and one more."""
    amounts = {"debit", "credit", "amount"} & set(roles)
    return "date" in roles and bool(amounts) and len(roles) >= 3


def with_titles(layout: Layout, skip_rows: Iterable[str] = ()) -> Layout:
    """The layout with every known title added after its own, for finding a title row, and
    `skip_rows` (subtotal and carry lines every issuer prints) after its own."""
    columns: dict[Column, list[str]] = {role: list(names) for role, names in layout.columns.items()}
    for role, names in titles().roles.items():
        columns.setdefault(role, [])
        columns[role] += [name for name in names if name not in columns[role]]
    skips = [
        *layout.skip_rows,
        *(pattern for pattern in skip_rows if pattern not in layout.skip_rows),
    ]
    return layout.model_copy(update={"columns": columns, "skip_rows": skips})


def no_money(status: str) -> bool:
    """An app bill's status on which no money moved (交易关闭, 支付失败 …)."""
    folded = key(status)
    return bool(folded) and any(key(word) == folded for word in titles().no_money_statuses)


def credit_by_description(text: str) -> bool:
    """A card statement's unsigned row that is money in by its description (还款, 退货 …)."""
    folded = key(text)
    return any(key(word) in folded for word in titles().credit_descriptions)


def is_refund(status: str) -> bool:
    folded = key(status)
    return bool(folded) and any(key(word) in folded for word in titles().refund_statuses)
