"""Contribution records: 住房公积金 个人缴存明细/缴存证明 and 社会保险 参保缴费明细/参保证明.

Both print whose account it is (name, ID number), the employer that pays in, the account's
status, the monthly base and a table of months. Amounts are normalised decimal strings
(`8000.00`), months `YYYY-MM`. Each row of the table is one month as printed (one month and
one 险种 when the record lists each insurance on its own row).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import ClassVar, Literal

from schemas.fields import DocumentFields, Facet, Label, amount, facet
from schemas.reads import Read

# one printed row: {"month": "2026-10", "personal_amount": "800.00", "status": "已实缴",
# "insurance": "养老保险", "confidence": 1.0, "page": 1} — the keys of the columns printed
ContributionRow = dict[str, str | float | int | None]
PARAMETRIZED = (Read[list[ContributionRow]],)  # made at module level to pickle (schemas.reads)

# the printed status words that say the applicant does not currently contribute
INACTIVE_STATUS = re.compile(r"封存|销户|暂停|终止|停保|中断|停缴|冻结")
ACTIVE_STATUS = re.compile(r"正常|缴存|缴费|参保|在缴|有效")


class ContributionRecordFields(DocumentFields):
    """What a housing-fund or social-insurance record states about one contributor."""

    # a page record, never a card: its columns of months and amounts can look like a TD1 zone
    RULES_OUT_CARDS: ClassVar[bool] = True

    name: Read[str] | None = None
    id_number: Read[str] | None = None  # as printed: in full, or masked (110105********123X)
    employer: Read[str] | None = None
    status: Read[str] | None = None  # the account's, as printed: 正常缴存, 封存, 暂停缴费 …
    contribution_base: Read[str] | None = None  # the monthly 缴存基数 / 缴费基数
    rows: Read[list[ContributionRow]] | None = None
    months_covered: Read[list[str]] | None = None  # every month the table lists, in order
    latest_month: Read[str] | None = None  # YYYY-MM

    def holder_name(self) -> Facet[str] | None:
        return facet("name", self.name)

    def holder_id_number(self) -> Facet[str] | None:
        """The ID number when printed in full; a masked one (1101**********123X) compares
        with nothing and is left out."""
        read = self.id_number
        if read is None or read.value is None or "*" in read.value:
            return None
        return facet("id_number", read)

    def employer_name(self) -> Facet[str] | None:
        return facet("employer", self.employer)

    def monthly_base(self) -> Decimal | None:
        """The monthly contribution base (缴存基数 / 缴费基数): the wage the contributions are
        computed from, e.g. to compare with the declared or certified income. The printed
        base, else the latest row's."""
        base = amount(self.contribution_base)
        if base is not None or self.rows is None or not self.rows.value:
            return base
        latest = [row for row in self.rows.value if row.get("base")]
        return Decimal(str(latest[-1]["base"])) if latest else None

    def months(self) -> list[str]:
        """Every month the record lists (YYYY-MM, oldest first, each once)."""
        read = self.months_covered
        return list(read.value) if read is not None and read.value else []

    def account_status(self) -> str | None:
        """The account's status as printed (正常缴存, 封存, 暂停缴费 …), None when not read."""
        read = self.status
        return read.value if read is not None else None

    def contributing(self) -> bool | None:
        """Whether the status says the applicant contributes now: False for 封存, 销户,
        暂停, 终止 …; True for 正常, 缴存, 参保 …; None when no status was read or its words
        say neither."""
        status = self.account_status()
        if not status:
            return None
        if INACTIVE_STATUS.search(status):
            return False
        return True if ACTIVE_STATUS.search(status) else None


class HousingFundFields(ContributionRecordFields):
    """住房公积金 个人缴存明细 / 缴存证明."""

    kind: Literal["housing_fund"] = "housing_fund"
    LABEL: ClassVar[Label] = {"zh": "住房公积金缴存记录", "en": "housing fund record"}

    account_number: Read[str] | None = None  # 个人账号 / 公积金账号


class SocialInsuranceFields(ContributionRecordFields):
    """社会保险 参保证明 / 参保缴费明细 / 个人权益记录."""

    kind: Literal["social_insurance"] = "social_insurance"
    LABEL: ClassVar[Label] = {"zh": "社会保险参保记录", "en": "social insurance record"}
