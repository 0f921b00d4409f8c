"""Header fields of a statement (户名, 账号, 起止日期, 期初/期末余额 …) from labelled lines.

Labels come from the layout (its own, then the generic layout's); the shape of each value
(a date, an amount, an account number) is the same for every issuer and lives here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from checker.parse import parse_date, parse_money
from checker.statements.layout import GENERIC, layouts
from checker.statements.lines import Line, Token, spans, union_box
from schemas.layout import Layout
from schemas.reads import Read, Reads

_NOISE = str.maketrans("", "", "“”\"‘’'「」")
_DATE = r"\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?|\d{8}|\d{1,2}[-./]\d{1,2}[-./]\d{4}"
_TIME = r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_UNTIL = r"(?:至|到|~|～|-|－|—|(?i:to))+"
_SEP = r"\s*[:：]?\s*\[?\s*"
VALUES = {
    "account_holder": (
        r"(?P<value>[\u4e00-\u9fff·]{2,15}|[A-Za-z][A-Za-z .]{1,40}[A-Za-z]|[^\s:：\[\]=\d]{2,30})"
    ),
    "account_number": r"(?P<value>[0-9*＊xX][0-9*＊xX \-]{6,30}[0-9*＊])",
    "currency": r"(?P<value>[^\s:：\[\]]{1,10})",
    "period": rf"(?P<start>{_DATE}){_TIME}\]?\s*{_UNTIL}\s*\[?(?P<end>{_DATE})",
    "period_start": rf"(?P<value>{_DATE})",
    "period_end": rf"(?P<value>{_DATE})",
    "opening_balance": r"(?P<value>[-+]?[¥￥]?\d[\d,]*(?:\.\d{1,2})?)",
    "closing_balance": r"(?P<value>[-+]?[¥￥]?\d[\d,]*(?:\.\d{1,2})?)",
}
_BANK = re.compile(r"[\u4e00-\u9fff]{2,12}?银行")
_PAGE_OF = re.compile(
    r"第\s*(?P<page>\d{1,3})\s*页\s*[/／,，]?\s*共\s*(?P<pages>\d{1,3})\s*页"
    r"|page\s*(?P<page_en>\d{1,3})\s*(?:of|/)\s*(?P<pages_en>\d{1,3})",
    re.IGNORECASE,
)
_ACCOUNT_ANYWHERE = re.compile(r"(?<![\d*])(?:\d{4}[ ]?){3,4}\d{1,4}(?![\d*])")


def header_fields(lines: Iterable[Line], layout: Layout) -> Reads:
    """Every header field found on `lines` (the text outside the transaction table)."""
    lines = list(lines)
    fields: Reads = {}
    every_label = _labels(layout)
    for name, labels in every_label.items():
        others = [label for other, more in every_label.items() if other != name for label in more]
        for line in lines:
            found = _labelled(line, labels, VALUES[name], others)
            if found:
                _store(fields, name, found, line)
                break
    _fallbacks(fields, lines, layout)
    return fields


def _labels(layout: Layout) -> dict[str, list[str]]:
    """The layout's label regexes per field, then the generic layout's."""
    generic = next(item for item in layouts() if item.name == GENERIC)
    merged: dict[str, list[str]] = {}
    for source in (layout, generic):
        for name, patterns in source.header_fields.items():
            merged.setdefault(name, []).extend(patterns)
    return merged


def _labelled(
    line: Line, labels: list[str], value: str, others: list[str]
) -> tuple[re.Match[str], list[Token]] | None:
    """The first `label: value` on the line and the tokens under the value; the value ends
    before another field's label (`Account Name: CHAN TAI MAN  Account Number: …`)."""
    text, owners = _indexed(line)
    for label in labels:
        found = re.search(rf"(?:{label}){_SEP}", text)
        if found is None:
            continue
        ends = [m.start() for o in others if (m := re.compile(o).search(text, found.end()))]
        match = re.compile(rf"(?:{label}){_SEP}{value}").search(
            text, 0, min(ends, default=len(text))
        )
        if match:
            start, end = match.span(match.lastindex or 0)
            if "start" in match.groupdict():
                start, end = match.span("start")[0], match.span("end")[1]
            tokens = list(dict.fromkeys(owner for owner in owners[start:end] if owner))
            return match, tokens
    return None


def _indexed(line: Line) -> tuple[str, list[Token | None]]:
    """The line's text without quote noise, and for each character the token it is from."""
    text, owners = "", []
    for piece, token in spans(line.tokens):
        piece = piece.translate(_NOISE)
        text += piece
        owners += [token] * len(piece)
    return text, owners


def _store(fields: Reads, name: str, found: tuple[re.Match[str], list[Token]], line: Line) -> None:
    match, tokens = found
    provenance: Read[Any] = Read(
        value=None,
        page=line.page,
        box=union_box(token.box for token in tokens),
        confidence=min((token.confidence for token in tokens), default=None),
        raw=match.group(0),
        method=line.source,
    )
    if name == "period":
        for key, group in (("period_start", "start"), ("period_end", "end")):
            day = _day(match.group(group))
            if day and key not in fields:
                fields[key] = provenance.model_copy(update={"value": day.isoformat()})
        return
    value = _typed(name, match.group("value").strip())
    if value is not None and name not in fields:
        fields[name] = provenance.model_copy(update={"value": value})


def _typed(name: str, raw: str) -> str | None:
    """The value as stored: ISO dates, decimal strings, compact account numbers."""
    if name in ("period_start", "period_end"):
        day = _day(raw)
        return day.isoformat() if day else None
    if name in ("opening_balance", "closing_balance"):
        amount = parse_money(raw)
        return str(amount) if amount is not None else None
    if name == "account_number":
        return re.sub(r"[\s\-]", "", raw).replace("＊", "*")
    return raw


def _day(raw: str) -> dt.date | None:
    """A year-first date, else a day-first one (`05/09/2026`, as English statements print)."""
    found = parse_date(raw)
    if found is None and (match := re.fullmatch(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})", raw)):
        try:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    return found


def _fallbacks(fields: Reads, lines: list[Line], layout: Layout) -> None:
    """Bank from the issuer or a `…银行` title; an account number that lost its label."""
    if "bank" not in fields:
        for line in lines[:8]:
            match = _BANK.search(line.text)
            if match:
                fields["bank"] = Read(
                    value=match.group(0),
                    page=line.page,
                    box=line.box,
                    raw=line.text,
                    confidence=min((t.confidence for t in line.tokens), default=None),
                    method=line.source,
                )
                break
    if "bank" not in fields and layout.issuer:
        fields["bank"] = Read(value=layout.issuer, method="layout")
    if "currency" not in fields and layout.currency:
        fields["currency"] = Read(value=layout.currency, method="layout")
    if "account_number" not in fields:
        for line in lines:
            match = _ACCOUNT_ANYWHERE.search(line.text)
            if match:
                number = re.sub(r"\s", "", match.group(0))
                fields["account_number"] = Read(
                    value=number,
                    page=line.page,
                    box=line.box,
                    raw=match.group(0),
                    method=f"{line.source}_unlabelled",
                )
                break


def page_of(lines: Iterable[Line]) -> tuple[int, int] | None:
    """The printed page number and page count (`第 2 页 / 共 4 页`, `Page 2 of 4`) of the
    last page among `lines` that prints one, or None."""
    found = None
    for line in lines:
        match = _PAGE_OF.search(line.text)
        if match:
            page = int(match.group("page") or match.group("page_en"))
            pages = int(match.group("pages") or match.group("pages_en"))
            if 0 < page <= pages:
                found = (page, pages)
    return found
