"""What is read from a 个人所得税 income-and-tax record (收入纳税明细 / 纳税记录): the taxpayer,
the period queried, one row per month and withholder, and the printed totals."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from statistics import median
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from schemas.fields import DocumentFields, Facet, Label, facet
from schemas.reads import Box, Read

WAGES = "工资薪金"  # the income item of wages and salaries


class TaxRow(BaseModel):
    """One printed row: a month's income of one item from one withholder, and its tax.
    Amounts are plain decimals (`12300.54`); a cell not read is None."""

    model_config = ConfigDict(extra="forbid")

    month: str  # YYYY-MM, the 税款所属期 / 所得期间
    item: str | None = None  # 所得项目: 工资薪金, 劳务报酬, 稿酬 …
    withholder: str | None = None  # 扣缴义务人
    withholder_uscc: str | None = None  # 扣缴义务人纳税人识别号, where printed
    income: str | None = None
    tax: str | None = None
    page: int = 1
    box: Box | None = None  # the row's line on the page
    cells: dict[str, Box] = {}  # each read cell's box, by column
    confidence: float = 1.0  # the least sure word of the row


PARAMETRIZED = (Read[list[TaxRow]], Read[int])  # made at module level to pickle (schemas.reads)


def _amount(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text is not None else None
    except InvalidOperation:
        return None


class TaxRecordFields(DocumentFields):
    """One record file (its pages together). Months are `YYYY-MM`, amounts decimal strings."""

    kind: Literal["tax_record"] = "tax_record"
    LABEL: ClassVar[Label] = {"zh": "个人所得税纳税记录", "en": "individual income tax record"}
    # an A4 record, never a card: its columns of figures can look like a TD1 zone
    RULES_OUT_CARDS: ClassVar[bool] = True
    # sure of its title and columns, it is no transaction table or income certificate (收入,
    # 证件号码, 单位名称 labels) at once
    NOT_RIVALS: ClassVar[frozenset[str]] = frozenset({"bank_statement", "income_certificate"})

    title: Read[str] | None = None
    name: Read[str] | None = None
    id_number: Read[str] | None = None  # as printed: in full, or masked (1101**********1234)
    period_start: Read[str] | None = None  # the period queried, YYYY-MM
    period_end: Read[str] | None = None
    rows: Read[list[TaxRow]] | None = None
    total_income: Read[str] | None = None  # the 合计 row, where printed
    total_tax: Read[str] | None = None
    rows_unread: Read[int] | None = None  # lines of the table with amounts but no month read
    RECENT_MONTHS: ClassVar[int] = 6  # the months the recent wage is taken over

    def holder_name(self) -> Facet[str] | None:
        return facet("name", self.name)

    def holder_id_number(self) -> Facet[str] | None:
        """The ID number, only when printed in full (a masked one says nothing to compare)."""
        if self.id_number is None or not self.id_number.value or "*" in self.id_number.value:
            return None
        return facet("id_number", self.id_number)

    def employer_name(self) -> Facet[str] | None:
        """The withholder of the latest month's wages (工资薪金)."""
        read = self.latest_wage_withholder()
        return None if read is None else Facet("rows", read)

    # series for the cross-document rules

    def table(self) -> list[TaxRow]:
        """The rows as read (empty when no table was read)."""
        return list(self.rows.value or []) if self.rows is not None else []

    def months_covered(self) -> list[str]:
        """Every month that has at least one row, oldest first."""
        return sorted({row.month for row in self.table()})

    def missing_months(self) -> list[str]:
        """Months of the period (the printed one, else the rows' first to last) without a row."""
        covered = self.months_covered()
        start = self.period_start.value if self.period_start else None
        end = self.period_end.value if self.period_end else None
        start, end = (
            start or (covered[0] if covered else None),
            end or (covered[-1] if covered else None),
        )
        if start is None or end is None:
            return []
        return [month for month in month_range(start, end) if month not in set(covered)]

    def monthly_wage_income(self) -> dict[str, Decimal]:
        """Month -> the wage income (工资薪金 rows added up) of that month, oldest first; a
        month whose wage rows hold no readable amount is left out."""
        series: dict[str, Decimal] = defaultdict(Decimal)
        for row in self.table():
            income = _amount(row.income)
            if row.item is not None and WAGES in row.item and income is not None:
                series[row.month] += income
        return dict(sorted(series.items()))

    def recent_monthly_wage(self) -> Decimal | None:
        """The median monthly wage income of the latest `RECENT_MONTHS` months with wages
        (an annual bonus in one month does not move it); None with fewer than three."""
        recent = list(self.monthly_wage_income().values())[-self.RECENT_MONTHS :]
        return median(recent) if len(recent) >= 3 else None

    def withholders(self) -> list[str]:
        """Every withholder named in the rows, the most recent first."""
        latest: dict[str, str] = {}
        for row in self.table():
            if row.withholder and row.month > latest.get(row.withholder, ""):
                latest[row.withholder] = row.month
        return sorted(latest, key=lambda name: latest[name], reverse=True)

    def latest_wage_withholder(self) -> Read[str] | None:
        """The withholder of the latest wage row, with where it was printed (None when that
        row's withholder was not read: an older one is not the latest)."""
        wages = [row for row in self.table() if row.item and WAGES in row.item]
        if not wages or self.rows is None:
            return None
        latest = max(row.month for row in wages)
        named = [row for row in wages if row.month == latest and row.withholder]
        if not named or len(named) < len([row for row in wages if row.month == latest]):
            return None
        row = named[-1]
        return Read[str](
            value=row.withholder,
            confidence=row.confidence,
            page=row.page,
            box=row.cells.get("withholder", row.box),
            raw=row.withholder,
            method=self.rows.method,
        )


def month_range(start: str, end: str) -> list[str]:
    """`2026-11`, `2027-01` -> every month from start to end (empty when end is earlier)."""
    try:
        year, month = (int(part) for part in start.split("-"))
        last_year, last_month = (int(part) for part in end.split("-"))
    except ValueError:
        return []
    months: list[str] = []
    while (year, month) <= (last_year, last_month) and len(months) < 1200:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
