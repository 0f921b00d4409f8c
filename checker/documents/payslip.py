"""Payslip (工资条 / payslip): the employer's pay statement — gross, deductions, net.

Labels are data (`labels/payslip.yaml`, Chinese and English), matched ignoring spaces, colons,
brackets and case. Amounts are found two ways, in any layout: as label–amount pairs along a
line (a vertical list, two columns of items, an English slip), and under a header row of
labels (a landscape one-row table, one row per month when a sheet holds several). The check
is the arithmetic on every month read: gross − deductions = net, the listed deductions add up
to their printed total; and the amount in words, parsed as printed, against the net. A net
whose label is printed but whose amount was not read is said to be unreadable (a warning):
could not check never passes for checked.
The labels, both ways of finding amounts, the second reads and the words' parsing are in
`_payslip` (`fields`, `amounts`, `reread`, `amount_words`); this module reads each field
and checks the slip.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Any

from checker.document import Word
from checker.documents import CheckContext, Content
from checker.documents._certificate.fields import CJK, CLEAR, CONFIRMED, ORG_SUFFIX
from checker.documents._certificate.reread import reread, value_confidence
from checker.documents._payslip.amount_words import words_amount
from checker.documents._payslip.amounts import header_table, money, pair_fields
from checker.documents._payslip.fields import (
    AMOUNT_LABELS,
    CENT,
    HEADER_LABELS,
    TITLES,
    TOTALS,
    label_field,
    label_line,
    norm,
    payslip_labels,
)
from checker.documents._payslip.reread import (
    labels_read_again,
    name_read_again,
    totals_read_again,
)
from checker.findings import field_finding, new_finding
from checker.rows.label_value import labelled_rows, split_label
from checker.rows.lines import Line, box_of, char_words, page_rows, plain
from schemas.catalogue import field_label
from schemas.findings import Code, Evidence, Finding, Severity
from schemas.income import PayslipFields
from schemas.kinds import DocumentKind
from schemas.reads import Read, Reads

KIND = DocumentKind.PAYSLIP
FIELDS = PayslipFields
PERIOD = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
ENGLISH_PERIOD = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"[\s,-]*(\d{4})",
    re.IGNORECASE,
)
MONTH_NAMES = "january february march april may june july august september october november"
MONTHS = (*MONTH_NAMES.split(), "december")


def detect(content: Content) -> float:
    """0..1: a payslip title (工资条, Payslip…) and the totals' labels (gross, net,
    deductions), in Chinese or English."""
    if not content.readings or content.tables:
        return 0.0
    text = norm("".join(word.text for word in content.readings[0].words))
    title = any(norm(name) in text for name in TITLES)
    body = sum(any(norm(v) in text for v in AMOUNT_LABELS[field]) for field in TOTALS)
    body = max(body, ("应发" in text) + ("实发" in text) + ("扣款" in text or "扣除" in text))
    return round(0.4 * title + 0.2 * body, 3)


def _read_fields(content: Content) -> Reads:
    """Employee, employer, pay period, gross, each deduction, net, the amount in words; with
    a header-row table of several months, the latest month's, and each month in `months`."""
    if not content.readings:
        return {}
    reading = content.readings[0]
    page = reading.page
    lines = page_rows(reading)
    months = header_table(lines, page)
    fields: Reads = {
        "employee_name": _name(lines, content),
        "employer": _employer(lines, page),
        "pay_period": _period(lines, page),
    }
    if months:
        latest = months[-1]
        for name in ("employee_name", "pay_period"):
            if fields[name].value is None and name in latest:
                fields[name] = latest[name]
        fields.update({name: latest[name] for name in (*TOTALS, "deductions") if name in latest})
        fields["months"] = Read(
            value=[_month_summary(month) for month in months], page=page, method="table"
        )
    else:
        fields.update(pair_fields(lines, page))
        if any(field not in fields for field in TOTALS):
            relabelled = labels_read_again(lines, content)
            if relabelled is not lines:
                fields = {**pair_fields(relabelled, page), **fields}
    for field in TOTALS:
        fields.setdefault(field, _unread(lines, field, page))
    fields.update(totals_read_again(fields, content))
    fields.update(name_read_again(fields, content))
    fields["amount_in_words"] = _words(lines, page)
    return fields


def _unread(lines: list[Line], field: str, page: int) -> Read[Any]:
    """A total with no amount read: `unread`, with its label's line as box and text, where
    the page prints its label; `not_found` where it does not."""
    line = label_line(lines, field)
    if line is None:
        return Read(value=None, page=page, method="not_found")
    return Read(value=None, page=page, box=line.box, raw=line.text, method="unread")


def _month_summary(month: Reads) -> dict[str, object]:
    """One month's totals as read, and the least confidence among them."""
    summary: dict[str, object] = {
        name: month[name].value
        for name in (*TOTALS, "pay_period")
        if name in month and month[name].value is not None
    }
    confidences = [month[name].confidence or 0.0 for name in TOTALS if name in month]
    summary["confidence"] = min(confidences, default=0.0)
    return summary


def _words(lines: list[Line], page: int) -> Read[Any]:
    """The amount in words as printed (大写：… or Rupees … Only), parsed, never made up."""
    for line in lines:
        starts, text = [], ""
        for word in line.words:
            text += " " if text else ""
            starts.append(len(text))
            text += word.text
        for pattern in payslip_labels()["amount_in_words"].prose:
            match = re.search(pattern, text)
            if match is None:
                continue
            start, end = match.span("value")
            words = [
                word
                for word, first in zip(line.words, starts, strict=True)
                if first < end and first + len(word.text) > start
            ]
            value = match["value"].strip()
            return Read(
                value=value,
                confidence=round(min(word.confidence for word in words), 3),
                page=page,
                box=box_of(words),
                raw=text,
                method="ocr",
            )
    return Read(value=None, page=page, method="not_found")


def _after_label(lines: list[Line], label: str, page: int) -> Read[Any]:
    """The Chinese text after `label：` up to the next header label (姓名：杨俊杰 工号：…)."""
    for line in lines:
        text = line.text
        index = text.find(label)
        if index < 0:
            continue
        if not re.match(r"[:：;；]", text[index + len(label) :]):
            continue  # a header cell (姓名 over a column), not `姓名：value`
        rest = re.sub(r"^[:：;；]", "", text[index + len(label) :])
        for other in HEADER_LABELS:
            rest = rest.split(other)[0]
        start = index + len(label) + 1
        words = char_words([line])[start : start + len(rest)]
        value = rest if CJK.match(rest) and 2 <= len(rest) <= 4 else None
        return Read(
            value=value,
            confidence=round(min(w.confidence for w in words), 3) if words else None,
            page=page,
            box=box_of(words) if words else None,
            raw=rest,
            method="ocr",
        )
    return Read(value=None, page=page, method="not_found")


def _name(lines: list[Line], content: Content) -> Read[Any]:
    """The employee's name after 姓名：, read again as one line when the page read fails."""
    page = content.readings[0].page
    first = _after_label(lines, "姓名", page)
    if first.method == "not_found":  # another label: 员工：…, Employee Name: …
        first = _labelled_name(lines, page)
    if first.value is not None and (first.confidence or 0.0) >= CLEAR:
        return first
    rows = labelled_rows(lines, {"employee_name": ("姓名",)})
    image_page = next((p for p in content.pages if p.number == page), None)
    if "employee_name" not in rows or image_page is None or content.reader is None:
        return first
    row = rows["employee_name"]
    words = [w for w in row.words if plain(w.text) and w.text[:2] not in HEADER_LABELS]
    row = dataclasses.replace(row, words=tuple(words[:1]))  # up to the next header label
    names = []  # each second read that gives a name: the surest one is taken
    for again in reread([row], image_page, content.reader).get("employee_name", []):
        text = re.sub(r"[^\u4e00-\u9fff]", "", "".join(w.text for w in again))
        for other in HEADER_LABELS:
            text = text.split(other[0])[0] if other[0] in text[2:] else text
        if CJK.match(text or "x") and 2 <= len(text) <= 4:
            confidence = round(min(w.confidence for w in again), 3)
            names.append((value_confidence(text, again), confidence, text))
    if not names:
        return first
    _, confidence, text = max(names)
    return first.model_copy(update={"value": text, "confidence": confidence, "method": "ocr_retry"})


LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'-]{1,40}")
LATIN_ORG = re.compile(r"(?:Limited|Ltd\.?|Pvt\.? Ltd\.?|Inc\.?|LLP|Corporation|Company)$")


def _labelled_name(lines: list[Line], page: int) -> Read[Any]:
    """The name after another of its labels (员工：张三, Employee Name: Asha Rao), up to the
    next `label:` on the line; a label whose value is no name (Employee ID: SI-20417) lets
    the next line be tried."""
    unnamed: Read[Any] = Read(value=None, page=page, method="not_found")
    for line in lines:
        split = split_label(line) or _label_by_gap(line)
        if split is None or label_field(split[0], ("employee_name",)) is None:
            continue
        words: list[Word] = []
        for word in split[2]:  # up to the next `label:` or a gap wider than a character
            gap = word.box[0] - words[-1].box[2] if words else 0
            if gap > line.height:
                break
            colon = next((at for at, char in enumerate(word.text) if char in ":："), None)
            if colon is not None:
                # one box holding the name and the next label (杨伟明 发薪日：…): the name
                before, space, _ = word.text[:colon].rpartition(" ")
                if space and before.strip():
                    words.append(_part(word, 0, len(before)))
                break
            words.append(word)
        text = " ".join(word.text for word in words).strip()
        chinese = CJK.match(plain(text) or "x") and 2 <= len(plain(text)) <= 4
        value = plain(text) if chinese else text if LATIN_NAME.fullmatch(text) else None
        read = Read(
            value=value,
            confidence=round(min(w.confidence for w in words), 3) if words else None,
            page=page,
            box=box_of(words) if words else None,
            raw=text,
            method="ocr",
        )
        if value is not None:
            return read
        if unnamed.method == "not_found":
            unnamed = read
    return unnamed


def _label_by_gap(line: Line) -> tuple[str, int, tuple[Word, ...]] | None:
    """(label, x where the value starts, value words) for a line that begins with the name's
    label, exactly, set off from its value by a gap wider than a character, no colon
    (Employee      周志强)."""
    names = {norm(label) for label in payslip_labels()["employee_name"].labels}
    first = line.words[0]
    head, space, tail = first.text.partition(" ")
    if space and tail.strip() and norm(head) in names:  # one box for both: Employee 周志强
        value = _part(first, len(head) + 1, len(first.text))
        return head, value.box[0], (value, *line.words[1:])
    for count in range(1, min(3, len(line.words) - 1) + 1):
        label_words, rest = line.words[:count], line.words[count:]
        if norm("".join(word.text for word in label_words)) not in names:
            continue
        if rest[0].box[0] - label_words[-1].box[2] > line.height:
            return " ".join(word.text for word in label_words), rest[0].box[0], rest
    return None


def _part(word: Word, start: int, end: int) -> Word:
    """Characters start:end of a word, its box the same share of the word's."""
    width = (word.box[2] - word.box[0]) / max(1, len(word.text))
    left, right = round(word.box[0] + start * width), round(word.box[0] + end * width)
    return Word(word.text[start:end].strip(), (left, word.box[1], right, word.box[3]),
                word.confidence, word.line)  # fmt: skip


def _employer(lines: list[Line], page: int) -> Read[Any]:
    """The first line naming an organisation (the payslip's heading; a title after the name,
    XX有限公司工资表, is left out)."""
    for line in lines[:3]:
        text = plain(line.text)
        for title in TITLES:
            text = text.removesuffix(title)
        english = " ".join(word.text for word in line.words).strip()
        if CJK.match(text) and ORG_SUFFIX.search(text):
            value = text
        elif LATIN_ORG.search(english):
            value = english
        else:
            continue
        confidence = round(min(word.confidence for word in line.words), 3)
        return Read(
            value=value, confidence=confidence, page=page, box=line.box, raw=line.text, method="ocr"
        )
    return Read(value=None, page=page, method="not_found")


def _period(lines: list[Line], page: int) -> Read[Any]:
    """YYYY-MM from the title, e.g. 工资条（2026年08月）, Payslip for the month of August 2026."""
    for line in lines[:4]:
        match = PERIOD.search(re.sub(r"\s", "", line.text))
        english = ENGLISH_PERIOD.search(" ".join(word.text for word in line.words))
        if english and not match:
            year, month = english[2], MONTHS.index(english[1].casefold()) + 1
        elif match:
            year, month = match[1], int(match[2])
        else:
            continue
        if 1 <= month <= 12:
            return Read(
                value=f"{year}-{month:02d}",
                confidence=round(min(word.confidence for word in line.words), 3),
                page=page,
                box=line.box,
                raw=line.text,
                method="ocr",
            )
    return Read(value=None, page=page, method="not_found")


def _check_reads(fields: Reads, context: CheckContext) -> list[Finding]:
    """Gross − deductions = net and the listed deductions add up to their total, on the
    month read and on every other month of the sheet; the amount in words against the net."""
    findings = _arithmetic(fields, context) + _words_check(fields, context)
    if _net_misread(fields, findings):
        findings = _net_retake(fields, context, field_label("net_pay"), 0.0)
    if not any(finding.field == "net_pay" for finding in findings):
        findings += _net_unread(fields, context)
    months = fields.get("months") or Read(value=None)
    for month in (months.value or [])[:-1]:
        other = {
            name: Read(value=month[name], confidence=month["confidence"], page=months.page)
            for name in TOTALS
            if name in month
        }
        findings += _arithmetic(
            {**other, "net_pay": other.get("net_pay", Read(value=None))}, context
        )
    return findings


def _net_unread(fields: Reads, context: CheckContext) -> list[Finding]:
    """A warning that the net pay could not be read where the page prints its label (or an
    amount beside it that did not parse): could not check is said, never shown as passed. A
    slip whose layout has no net line is not flagged."""
    net = fields.get("net_pay")
    if net is None or net.value is not None or net.method == "not_found":
        return []
    return [
        field_finding(
            Code.FIELD_UNREADABLE, context.file, "net_pay", net, severity=Severity.WARNING
        )
    ]


def _net_misread(fields: Reads, findings: list[Finding]) -> bool:
    """The net's figures fail both the arithmetic and the words, while the words say gross −
    deductions: two readings agree against the third, so the figures were misread (a
    tampered net fails the arithmetic only, tampered words the words only)."""
    codes = {finding.code for finding in findings}
    if not {Code.PAYSLIP_ARITHMETIC, Code.INCOME_WORDS_MISMATCH} <= codes:
        return False
    gross, total = money(fields, "gross_pay"), money(fields, "deductions_total")
    words_field = fields.get("amount_in_words")
    words = words_amount(str(words_field.value)) if words_field and words_field.value else None
    if gross is None or total is None or words is None:
        return False
    return _words_say(words, gross - total)


def _net_retake(
    fields: Reads, context: CheckContext, label: dict[str, str], confidence: float
) -> list[Finding]:
    """A retake warning on the net pay, its evidence the net as read."""
    net = fields["net_pay"]
    evidence = Evidence(
        file=context.file, page=net.page, box=net.box, text=net.raw, confidence=confidence
    )
    return [
        new_finding(Code.RETAKE, file=context.file, field="net_pay", evidence=evidence, label=label)
    ]


def _words_say(words: Decimal, amount: Decimal) -> bool:
    """The words give `amount`, or its whole units (Rupees … Only)."""
    return words in (amount, Decimal(int(amount)).quantize(CENT))


def _words_check(fields: Reads, context: CheckContext) -> list[Finding]:
    """The amount in words against the net: an error only when both were read surely and the
    gross and deductions' total were read too, else a warning naming the words. Words of whole
    units (Rupees … Only) are the net's whole part."""
    words_field, net = fields.get("amount_in_words"), money(fields, "net_pay")
    if words_field is None or not words_field.value or net is None:
        return []
    words = words_amount(str(words_field.value))
    if words is not None and _words_say(words, net):
        return []
    evidence = Evidence(
        file=context.file,
        page=words_field.page,
        box=words_field.box,
        text=words_field.raw,
        confidence=words_field.confidence,
    )
    # the net is taken as read only beside the gross and the deductions' total, which its row
    # sits between: on a tilted photo without them, a net read a row off (the gross's figures
    # beside 实发工资) made a false error
    corroborated = (
        money(fields, "gross_pay") is not None and money(fields, "deductions_total") is not None
    )
    sure = (
        corroborated
        and (words_field.confidence or 0.0) >= CONFIRMED
        and (fields["net_pay"].confidence or 0.0) >= CLEAR
    )
    if words is None or not sure:
        return [
            new_finding(
                Code.RETAKE,
                file=context.file,
                field="amount_in_words",
                severity=Severity.WARNING,
                evidence=evidence,
                label=field_label("amount_in_words"),
            )
        ]
    return [
        new_finding(
            Code.INCOME_WORDS_MISMATCH,
            file=context.file,
            field="amount_in_words",
            evidence=evidence,
            document=FIELDS.LABEL,
            figures=str(net),
            words=str(words_field.value),
        )
    ]


def _arithmetic(fields: Reads, context: CheckContext) -> list[Finding]:
    """Gross − deductions = net; the listed deductions add up to their total."""
    gross, net = money(fields, "gross_pay"), money(fields, "net_pay")
    total = money(fields, "deductions_total")
    items = fields.get("deductions")
    listed = (
        sum((Decimal(item["amount"]) for item in items.value), Decimal(0)).quantize(CENT)
        if items is not None and items.value
        else None
    )
    deducted = total if total is not None else listed
    if gross is None or net is None or deducted is None:
        return []
    broken = gross - deducted != net or (
        total is not None and listed is not None and listed != total
    )
    if not broken:
        return []
    # without a printed total, a sum of the items read may lack one that was not (an item
    # whose label was lost): only the printed total settles it
    sure = total is not None and all(
        (fields[name].confidence or 0.0) >= CLEAR
        for name in ("gross_pay", "net_pay", "deductions_total", "deductions")
        if name in fields and fields[name].value
    )
    net_read = fields["net_pay"]
    if not sure:
        label = {"zh": "工资条金额", "en": "payslip amounts"}
        return _net_retake(fields, context, label, net_read.confidence or 0.0)
    evidence = Evidence(
        file=context.file,
        page=net_read.page,
        box=net_read.box,
        text=net_read.raw,
        confidence=net_read.confidence,
    )
    return [
        new_finding(
            Code.PAYSLIP_ARITHMETIC,
            file=context.file,
            field="net_pay",
            evidence=evidence,
            gross=str(gross),
            deductions=str(listed if listed is not None and listed != total else deducted),
            net=str(net),
        )
    ]


def extract(content: Content) -> PayslipFields:
    """The fields of the kind, each with where and how it was read: from the page reader's
    reading, or from the card reader's of the same photo (`Content.other_readings`) where
    that one reads more of the totals (tesseract lost the rows of a ruled table on a photo
    that RapidOCR read whole)."""
    fields = _read_fields(content)
    for other in content.other_readings:
        if _totals_read(fields) == len(TOTALS):
            break
        alternative = _read_fields(
            dataclasses.replace(content, readings=(other,), other_readings=())
        )
        if _totals_read(alternative) > _totals_read(fields):
            fields = alternative
    return FIELDS.of(fields)


def _totals_read(fields: Reads) -> int:
    return sum(money(fields, name) is not None for name in TOTALS)


def check(fields: PayslipFields, context: CheckContext) -> list[Finding]:
    """The checks of the kind on its fields."""
    return _check_reads(fields.reads(), context)
