"""The words of a tax record: its labels (data: `labels/tax_record.yaml`), text folded for
matching, a title's column or field by tolerant matching, and month cells."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

from checker.labelled import label_file
from checker.rows.lines import label_score, plain

COLUMNS = ("month", "item", "withholder", "withholder_uscc", "income", "tax")
HEADER_FIELDS = ("name", "id_number", "period")
MONTH = re.compile(r"((?:19|20)\d{2})\s*[-年./／]\s*(\d{1,2})\s*月?")
_MONTH_CELL = re.compile(r"((?:19|20)\d{2})(?:[-年./／](\d{1,2})月?|(\d{2}))(?:[-./／]\d{1,2}日?)?")
MONEY_SHAPE = re.compile(r"[-¥￥]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}元?")
FUZZY = 0.8  # a title read with this share of a label's characters, in order, is that label


@cache
def labels() -> dict[str, tuple[str, ...]]:
    """Each field's label variants (`labels/tax_record.yaml`)."""
    return {name: spec.labels for name, spec in label_file("tax_record").items()}


def fold(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def parse_month(text: str) -> str | None:
    """`2026-10`, `2026.10`, `2026年10月`, `202610`, `2026-10-01` -> `2026-10`, else None."""
    match = _MONTH_CELL.fullmatch(fold(text))
    if not match:
        return None
    month = int(match[2] or match[3])
    return f"{match[1]}-{month:02d}" if 1 <= month <= 12 else None


def role_of(text: str, names: Sequence[str]) -> str | None:
    """The field whose label `text` is (one of `names`): an exact label first, else one read
    with most of its characters in order (OCR); None for anything else."""
    folded = plain(fold(text))
    if not folded:
        return None
    for name in names:
        if folded in {plain(fold(label)) for label in labels()[name]}:
            return name
    scored = [
        (label_score(folded, plain(label)), len(label), name)
        for name in names
        for label in labels()[name]
        if len(folded) <= len(plain(label)) + 2 and len(plain(label)) >= 3
    ]
    best = max(scored, default=(0.0, 0, ""))
    return best[2] if best[0] >= FUZZY else None
