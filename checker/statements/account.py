"""Account numbers on statements: masked, plausible length, Luhn for card numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import luhn
from stdnum.exceptions import ValidationError

from schemas.findings import Severity

CARD_LENGTHS = range(16, 20)  # bank card numbers (银行卡号)
ACCOUNT_LENGTHS = range(10, 26)  # passbook and other account numbers
MASK_CHARS = "*＊xX"


@dataclass(frozen=True)
class AccountIssue:
    """Why an account number looks wrong, and how much it matters."""

    reason: str  # length, characters, check_digit
    severity: Severity


def is_masked(number: str) -> bool:
    """`6222 **** 1234`: the statement hides digits on purpose; that is not an error."""
    return any(char in number for char in MASK_CHARS)


def account_issue(number: str) -> AccountIssue | None:
    """None for a plausible or masked number; else the issue.

    A Luhn failure on a 16–19 digit number is a warning at most: some real accounts carry
    no Luhn digit.
    """
    compact = re.sub(r"[\s\-]", "", number)
    if is_masked(compact):
        visible = re.sub(f"[{MASK_CHARS}]", "", compact)
        return None if visible.isdigit() or not visible else _issue("characters")
    if not compact.isdigit():
        return _issue("characters")
    if len(compact) in CARD_LENGTHS:
        try:
            luhn.validate(compact)
        except ValidationError:
            return AccountIssue("check_digit", Severity.WARNING)
        return None
    if len(compact) not in ACCOUNT_LENGTHS:
        return _issue("length")
    return None


def _issue(reason: str) -> AccountIssue:
    return AccountIssue(reason, Severity.ERROR)
