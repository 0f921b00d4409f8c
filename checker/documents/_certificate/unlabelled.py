"""Certificate rows found without their label: by the shape of their value (an ID number, a
USCC, an amount, a phone), under the body (the prose form's bare date and issuer), or next
to a known row (the name above the ID number)."""

from __future__ import annotations

import re
from collections.abc import Callable

from checker.documents._certificate.fields import (
    AMOUNT_SHAPE,
    CJK,
    ID_SHAPE,
    ORG_SUFFIX,
    PHONE_SHAPE,
    USCC_SHAPE,
)
from checker.documents._certificate.layout import row_below, text_metrics
from checker.parse import AMOUNT_WORD_CHARS
from checker.rows.label_value import Row, split_label
from checker.rows.lines import Line, plain


def shaped_rows(lines: list[Line], rows: dict[str, Row]) -> dict[str, Row]:
    """Rows for the fields whose label was garbled, found by the shape of their value."""
    found = dict(rows)
    used = {id(row.line) for row in found.values()}

    def claim(field: str, predicate: Callable[[Line], bool]) -> None:
        if field in found:
            return
        for line in lines:
            if id(line) not in used and predicate(line):
                split = split_label(line)
                value_left, words = (split[1], split[2]) if split else (line.box[0], line.words)
                found[field] = Row(field, line, value_left, words, 0.0)
                used.add(id(line))
                return

    claim("id_number", lambda line: bool(ID_SHAPE.search(line.text)))
    claim("employer_uscc", lambda line: bool(USCC_SHAPE.search(line.text.upper())))
    claim(  # 人民币 …元, or figures with cents and 元 (a label garbled past reading)
        "monthly_income",
        lambda line: (
            ("人民币" in line.text or bool(AMOUNT_SHAPE.search(line.text))) and "元" in line.text
        ),
    )
    claim("annual_income", lambda line: "人民币" in line.text and "元" in line.text)
    claim("income_in_words", lambda line: sum(c in AMOUNT_WORD_CHARS for c in line.text) >= 4)
    claim("contact_phone", lambda line: bool(PHONE_SHAPE.search(line.text)))
    _claim_neighbour(found, lines, "employee_name", "id_number", -1)
    _claim_neighbour(found, lines, "position", "employed_since", -1)
    _claim_neighbour(found, lines, "income_in_words", "monthly_income", 1)
    if "issue_date" not in found and "issuer" in found:
        found["issue_date"] = row_below(found["issuer"], "issue_date", text_metrics(found)[1])
    return found


def bare_rows(lines: list[Line], rows: dict[str, Row]) -> dict[str, Row]:
    """Under the body, a line that is only a date is the issue date and one that is only an
    organisation's name is the issuer (the prose form's signature, with no labels)."""
    found = dict(rows)
    lowest = max((row.line.middle for row in rows.values()), default=0.0)
    for line in lines:
        if line.middle <= lowest:
            continue
        text = plain(line.text)
        if "issue_date" not in found and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", text):
            found["issue_date"] = Row("issue_date", line, line.box[0], line.words, 0.7)
        elif "issuer" not in found and CJK.match(text) and ORG_SUFFIX.search(text):
            found["issuer"] = Row("issuer", line, line.box[0], line.words, 0.7)
    return found


def _claim_neighbour(
    rows: dict[str, Row], lines: list[Line], field: str, anchor: str, step: int
) -> None:
    """A row whose label was lost: the line next to a known row (the name is above the ID,
    the amount in words under the figures)."""
    if field in rows or anchor not in rows:
        return
    index = lines.index(rows[anchor].line) + step
    taken = {id(row.line) for row in rows.values()}
    if 0 <= index < len(lines) and id(lines[index]) not in taken:
        line = lines[index]
        if "证明" in line.text:  # the title is no value
            return
        split = split_label(line)
        value_left, words = (split[1], split[2]) if split else (line.box[0], line.words)
        rows[field] = Row(field, line, value_left, words, 0.0)
