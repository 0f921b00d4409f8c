"""What the residence permits share with the resident ID card and with each other: the card's
rows as the second reader reads them, the number confirmed by a digits-only crop, the
number's checks (valid, of the permit's own kind) and the validity period's (expired,
expiring: the ID card back's own check, `cn_id_back.check`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from checker.document import Page, Reading, Word
from checker.documents import CheckContext, Content, cn_id_back
from checker.documents._cn_id import chinese_only, first_page, is_clean, normal
from checker.documents._cn_id_front_layout import Front
from checker.documents._cn_id_labels import card_rows
from checker.findings import new_finding
from checker.findings import read_evidence as evidence
from checker.labelled import Row, rows_of
from schemas.fields import Label
from schemas.findings import Code, Finding
from schemas.identity import (
    ID_NUMBER_KINDS,
    PROBLEM_REASONS,
    CnIdBackFields,
    IdNumberKind,
    id_number_kind,
    id_number_problem,
    normalise_id_number,
)
from schemas.reads import Read, Reads

NUMBER = re.compile(r"\d{17}[\dX]")
TALL = 2.5  # a word this many times the median word height is no printed line
CONFIRMED = ("ocr_confirmed", "text_layer")  # a number read twice alike, or from a text layer


def missing(page: int) -> Read[Any]:
    return Read(value=None, confidence=0.0, page=page, method="missing")


def card_lines(content: Content) -> tuple[list[Row], Reading, Page | None] | None:
    """The card's rows as the second reader reads its first page (the page reading's own
    rows without a second reader), that reading and the page."""
    found = first_page(content)
    if found is None:
        return None
    reading, page = found
    rows = card_rows(content, reading, page)
    words = [word for row in rows for word in row.words] if rows is not None else reading.words
    return rows_of(_without_tall(words)), reading, page


def _without_tall(words: Sequence[Word]) -> list[Word]:
    """The words but those far taller than the print's lines (a watermark or a diagonal
    specimen stamp read as a word, which would join the rows it crosses into one)."""
    heights = sorted(word.box[3] - word.box[1] for word in words)
    if not heights:
        return []
    limit = TALL * heights[len(heights) // 2]
    return [word for word in words if word.box[3] - word.box[1] <= limit]


def parse_number(text: str) -> str | None:
    """An 18-character number of the GB 11643 form, the whole of `text`."""
    number = normalise_id_number(text.replace("×", "X"))
    return number if NUMBER.fullmatch(number) else None


def parse_authority(text: str) -> str | None:
    """An issuing authority: Chinese characters ending in 局."""
    authority = chinese_only(text)
    return authority if len(authority) >= 4 and authority.endswith("局") else None


def confirmed_number(
    content: Content, reading: Reading, page: Page | None, number: Read[Any]
) -> Read[Any]:
    """The number, read again from a digits-only crop of its line when it is unsure or fails
    its check (`Front.confirm_number` of the resident ID card: same print, same form)."""
    return Front(content, reading, page).confirm_number(number)


def number_findings(
    number: Read[Any] | None,
    expected: IdNumberKind,
    document: Label,
    context: CheckContext,
) -> list[Finding]:
    """The number read, valid (check digit, birth date) and of the card's own kind."""
    file = context.file
    proof = evidence(file, number)
    if number is None or not number.value:
        return [new_finding(Code.ID_NUMBER_UNCLEAR, file=file, field="id_number", evidence=proof)]
    problem = id_number_problem(number.value, today=context.as_of)
    if problem is not None:
        if is_clean(number) and number.method in CONFIRMED:
            reason = PROBLEM_REASONS[problem]
            return [
                new_finding(
                    Code.ID_NUMBER_INVALID,
                    file=file,
                    field="id_number",
                    evidence=proof,
                    reason=reason,
                )
            ]
        return [new_finding(Code.ID_NUMBER_UNCLEAR, file=file, field="id_number", evidence=proof)]
    kind = id_number_kind(number.value)
    if kind == expected:
        return []
    if not is_clean(number):
        label = {"zh": "证件号码", "en": "card number"}
        return [new_finding(Code.RETAKE, file=file, field="id_number", evidence=proof, label=label)]
    return [
        new_finding(
            Code.PERMIT_NUMBER_KIND,
            file=file,
            field="id_number",
            evidence=proof,
            document=document,
            kind=ID_NUMBER_KINDS[kind],
            expected=ID_NUMBER_KINDS[expected],
        )
    ]


def validity_findings(fields: Reads, context: CheckContext, card: Label) -> list[Finding]:
    """The issuing authority read, the period read, expired or expiring: the resident ID
    card back's checks on the same fields (a permit's period is never 长期), the expiry
    findings calling the card `card`."""
    until = fields.get("valid_until")
    long_term = None
    if until is not None and until.value is not None:
        long_term = until.model_copy(update={"value": False})
    back = CnIdBackFields(
        issuing_authority=fields.get("issuing_authority"),
        valid_from=fields.get("valid_from"),
        valid_until=until,
        long_term=long_term,
    )
    return cn_id_back.check_reads(back.reads(), context, card)


def unreadable(fields: Reads, labels: dict[str, Label], file: str) -> list[Finding]:
    """A warning naming each field of `labels` that was not read."""
    return [
        new_finding(
            Code.FIELD_UNREADABLE,
            file=file,
            field=name,
            evidence=evidence(file, fields.get(name)),
            label=label,
        )
        for name, label in labels.items()
        if (found := fields.get(name)) is None or found.value is None
    ]


def period_fields(period: Read[Any] | None, page: int) -> Reads:
    """valid_from and valid_until from a read whose value is the period (start, end)."""
    if period is None or not isinstance(period.value, tuple):
        return {"valid_from": missing(page), "valid_until": missing(page)}
    start, end = period.value
    return {
        "valid_from": period.model_copy(update={"value": start}),
        "valid_until": period.model_copy(update={"value": end}),
    }


def parse_period(text: str) -> tuple[dt.date, dt.date] | None:
    """A validity period `2023.12.01-2033.11.30` that is the whole of `text`, with an end."""
    if not re.fullmatch(r"[\d.\-/年月日至—–~]+", normal(text)):
        return None
    period = cn_id_back.parse_validity(text)
    if period is None or period[1] is None or period[1] <= period[0]:
        return None
    return period[0], period[1]


def text_of(content: Content) -> str:
    """The first page's text, folded (`normal`), for `detect`."""
    return normal(content.readings[0].text) if content.readings else ""
