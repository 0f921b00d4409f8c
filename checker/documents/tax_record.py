"""Individual income tax record (个人所得税 收入纳税明细 / 纳税记录): the income and tax the
withholding employers filed for a taxpayer, month by month, as the 个人所得税 app exports it."""

from __future__ import annotations

from checker.documents import CheckContext, Content
from checker.documents._tax_record import checks, reading
from checker.documents._tax_record.text import fold, labels
from checker.rows.lines import lines_of
from schemas.findings import Finding
from schemas.kinds import DocumentKind
from schemas.tax import TaxRecordFields

KIND = DocumentKind.TAX_RECORD
FIELDS = TaxRecordFields
COLUMN_EVIDENCE = ("month", "item", "withholder", "tax")  # titles only such a table prints
TAX_WORDS = ("税", "所得", "扣缴")  # a column title of a tax table says one of these
TITLE_LINES = 4  # the title stands among the first page's first lines


def detect(content: Content) -> float:
    """0..1: a title word (纳税记录, 收入纳税明细, 个人所得税 …) at the top of the first page,
    and the table's own column titles (税款所属期, 所得项目, 扣缴义务人, 已申报税额 …)."""
    if not content.readings or content.tables:
        return 0.0
    top = fold("".join(line.text for line in lines_of(content.readings[0])[:TITLE_LINES]))
    title = any(fold(label) in top for label in labels()["title"])
    words = fold("".join(word.text for item in content.readings for word in item.words))
    columns = sum(
        any(fold(label) in words for label in labels()[name] if any(w in label for w in TAX_WORDS))
        for name in COLUMN_EVIDENCE
    )
    return round(0.4 * title + min(0.55, 0.15 * columns), 3)


def extract(content: Content) -> TaxRecordFields:
    """The taxpayer, the period, every row and the totals, from all pages."""
    return FIELDS.of(reading.read(content.readings))


def check(fields: TaxRecordFields, context: CheckContext) -> list[Finding]:
    """ID number, gap months, recency, totals (see `_tax_record.checks`)."""
    return checks.check(fields, context)
