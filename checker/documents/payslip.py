"""Payslip (工资条 / payslip): the employer's pay statement — gross, deductions, net.

Labels are data (`labels/payslip.yaml`, Chinese and English), matched ignoring spaces, colons,
brackets and case. Amounts are found two ways, in any layout: as label–amount pairs along a
line (a vertical list, two columns of items, an English slip), and under a header row of
labels (a landscape one-row table, one row per month when a sheet holds several). The check
is the arithmetic on every month read: gross − deductions = net, the listed deductions add up
to their printed total; and the amount in words, parsed as printed, against the net.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import statistics
from decimal import Decimal

from checker.document import Box, Word
from checker.documents import CheckContext, Content
from checker.documents._certificate.fields import AMOUNT_SHAPE, CJK, CLEAR, CONFIRMED, ORG_SUFFIX
from checker.documents._certificate.reread import reread, value_confidence
from checker.findings import new_finding
from checker.labelled import label_file
from checker.ocr import OcrError, RegionOptions, read_regions
from checker.parse import parse_money
from checker.rows.label_value import labelled_rows, split_label
from checker.rows.lines import Line, box_of, char_words, label_score, lines_of, plain
from checker.rows.tables import cells_of
from schemas.findings import Code, Evidence, Finding, Severity
from schemas.labels import FieldLabels
from schemas.report import FieldValue

KIND = "payslip"


def payslip_labels() -> dict[str, FieldLabels]:
    """Each payslip field's labels (`labels/payslip.yaml`, validated)."""
    return label_file("payslip")


TOTALS = ("gross_pay", "deductions_total", "net_pay")
ITEMS = ("deduction_items", "earning_items")
HEADER_FIELDS = (*TOTALS, *ITEMS, "pay_period", "employee_name")  # a header row's labels
TITLES = payslip_labels()["title"].labels
AMOUNT_LABELS = {field: payslip_labels()[field].labels for field in TOTALS}
DEDUCTION_NAMES = payslip_labels()["deduction_items"].labels
HEADER_LABELS = ("工号", "部门", "发放日期", "岗位")
PERIOD = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
CELL_PERIOD = re.compile(r"(\d{4})[-./年](\d{1,2})月?")
ENGLISH_PERIOD = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"[\s,-]*(\d{4})",
    re.IGNORECASE,
)
MONTH_NAMES = "january february march april may june july august september october november"
MONTHS = (*MONTH_NAMES.split(), "december")
MATCH = 0.75  # a label matches a variant from this similarity on (difflib ratio)
CENT = Decimal("0.01")


def norm(text: str) -> str:
    return plain(text).casefold()


def label_field(text: str, fields: tuple[str, ...] = (*TOTALS, *ITEMS)) -> tuple[str, str] | None:
    """(field, the variant matched) for a printed label, or None when nothing is close."""
    text = norm(text)
    if not text:
        return None
    scored = [
        (difflib.SequenceMatcher(None, text, norm(variant), autojunk=False).ratio(), field, variant)
        for field in fields
        for variant in payslip_labels()[field].labels
    ]
    score, field, variant = max(scored)
    return (field, variant) if score >= MATCH else None


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


def amount_pairs(line: Line) -> list[tuple[str, Word]]:
    """(label, amount word) pairs along a line: each amount with the text before it."""
    pairs, label = [], ""
    for word in line.words:
        if AMOUNT_SHAPE.fullmatch(word.text.replace("，", ",")):
            pairs.append((plain(label), word))
            label = ""
        elif word.text not in "|｜":
            label += word.text
    return pairs


def _match(label: str, variants: tuple[str, ...]) -> float:
    return max(label_score(label, variant) for variant in variants)


def _amount_field(word: Word, page: int, label: str) -> FieldValue:
    amount = parse_money(word.text)
    return FieldValue(
        value=str(amount) if amount is not None else None,
        confidence=round(word.confidence, 3),
        page=page,
        box=word.box,
        raw=f"{label} {word.text}",
        method="ocr",
    )


def extract(content: Content) -> dict[str, FieldValue]:
    """Employee, employer, pay period, gross, each deduction, net, the amount in words; with
    a header-row table of several months, the latest month's, and each month in `months`."""
    if not content.readings:
        return {}
    reading = content.readings[0]
    page = reading.page
    lines = rows_of(reading)
    months = header_table(lines, page)
    fields: dict[str, FieldValue] = {
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
        fields["months"] = FieldValue(
            value=[_month_summary(month) for month in months], page=page, method="table"
        )
    else:
        fields.update(_pairs(lines, page))
        if any(field not in fields for field in TOTALS):
            relabelled = _labels_read_again(lines, content)
            if relabelled is not lines:
                fields = {**_pairs(relabelled, page), **fields}
    for field in TOTALS:
        fields.setdefault(field, FieldValue(value=None, page=page, method="not_found"))
    fields.update(_totals_read_again(fields, content))
    fields["amount_in_words"] = _words(lines, page)
    return fields


def rows_of(reading) -> list[Line]:
    """The page's rows by where the words stand, not by the reader's line numbers: a label
    and its amount far apart on one row are often read as two blocks."""
    rows: list[list[Word]] = []
    for line in lines_of(reading):
        for row in rows:
            middle = statistics.median((w.box[1] + w.box[3]) / 2 for w in row)
            height = statistics.median(w.box[3] - w.box[1] for w in row)
            if abs(line.middle - middle) < 0.5 * max(height, line.height):
                row.extend(line.words)
                break
        else:
            rows.append(list(line.words))
    lines = [Line(reading.page, tuple(sorted(row, key=lambda w: w.box[0]))) for row in rows]
    return sorted(lines, key=lambda line: line.middle)


def _month_summary(month: dict[str, FieldValue]) -> dict:
    """One month's totals as read, and the least confidence among them."""
    summary: dict = {
        name: month[name].value
        for name in (*TOTALS, "pay_period")
        if name in month and month[name].value is not None
    }
    confidences = [month[name].confidence or 0.0 for name in TOTALS if name in month]
    summary["confidence"] = min(confidences, default=0.0)
    return summary


def _pairs(lines: list[Line], page: int) -> dict[str, FieldValue]:
    """Totals and deductions from label–amount pairs along the lines."""
    fields: dict[str, FieldValue] = {}
    deductions, confidences = [], []
    for line in lines:
        for label, word in amount_pairs(line):
            match = label_field(label)
            if match is None:
                continue
            field, variant = match
            if field in TOTALS:
                fields.setdefault(field, _amount_field(word, page, label))
            elif field == "deduction_items":
                amount = parse_money(word.text)
                if amount is not None:
                    deductions.append({"name": variant, "amount": str(amount), "box": word.box})
                    confidences.append(word.confidence)
    fields["deductions"] = _deductions(deductions, confidences, page)
    return fields


def _totals_read_again(fields: dict[str, FieldValue], content: Content) -> dict[str, FieldValue]:
    """Where gross − deductions ≠ net as read, each total read again by the second reader;
    one whose second reading differs and makes the three agree was misread (a 5 read as 9)
    and takes the second reading. Nothing changes when no single second reading settles it
    (a real error stays for the check to report)."""
    gross, net = _money(fields, "gross_pay"), _money(fields, "net_pay")
    total = _money(fields, "deductions_total")
    page = content.pages[0] if content.pages else None
    if gross is None or net is None or total is None or gross - total == net:
        return {}
    if content.second_reader is None or page is None or page.image is None:
        return {}
    boxes = {name: _padded(fields[name].box, page.width, page.height) for name in TOTALS}
    try:
        readings = read_regions(
            content.second_reader,
            page.image,
            [box for box in boxes.values() if box],
            dpi=page.dpi,
            page=page.number,
            options=RegionOptions(psm=7),
        )
    except OcrError:
        return {}
    again = dict(zip([name for name, box in boxes.items() if box], readings, strict=True))
    read = {"gross_pay": gross, "deductions_total": total, "net_pay": net}
    for name, reading in again.items():
        text = "".join(word.text for word in reading.words)
        amount = parse_money(text) if AMOUNT_SHAPE.search(text.replace("，", ",")) else None
        if amount is None or amount == read[name]:
            continue
        trial = {**read, name: amount}
        if trial["gross_pay"] - trial["deductions_total"] == trial["net_pay"]:
            confidence = min(word.confidence for word in reading.words)
            return {
                name: fields[name].model_copy(
                    update={
                        "value": str(amount),
                        "confidence": round(confidence, 3),
                        "raw": text,
                        "method": "second_reader",
                    }
                )
            }
    return {}


def _padded(box: Box | None, width: int, height: int) -> Box | None:
    """`box` with a third of its height as margin round it, inside the page."""
    if box is None:
        return None
    pad = (box[3] - box[1]) // 3
    return (
        max(0, box[0] - pad),
        max(0, box[1] - pad),
        min(width, box[2] + pad),
        min(height, box[3] + pad),
    )


def _labels_read_again(lines: list[Line], content: Content) -> list[Line]:
    """The lines again, where an amount stands alone on its row (its label lost in the page
    read) with the row's text left of it read again as one line, by the second reader where
    there is one (tesseract, which lost it, reads such a crop no better): the label's words
    join the row. `lines` itself when there is nothing to read again or nothing to read with."""
    page = content.pages[0] if content.pages else None
    reader = content.second_reader or content.reader
    if reader is None or page is None or page.image is None or not lines:
        return lines
    margin = min(line.box[0] for line in lines)
    orphans = [
        line
        for line in lines
        if len(line.words) == 1
        and AMOUNT_SHAPE.fullmatch(line.words[0].text.replace("，", ","))
        and line.box[0] - margin > 2 * line.height
    ]
    regions = [
        (
            margin,
            max(0, line.box[1] - line.height // 2),
            line.box[0] - line.height // 2,
            min(page.height, line.box[3] + line.height // 2),
        )
        for line in orphans
    ]
    try:
        readings = read_regions(
            reader,
            page.image,
            regions,
            dpi=page.dpi,
            page=page.number,
            options=RegionOptions(psm=7),
        )
    except OcrError:
        return lines
    labelled = {id(line): reading.words for line, reading in zip(orphans, readings, strict=True)}
    return [
        Line(line.page, (*labelled[id(line)], *line.words)) if labelled.get(id(line)) else line
        for line in lines
    ]


def _deductions(items: list[dict], confidences: list[float], page: int) -> FieldValue:
    return FieldValue(
        value=[{"name": item["name"], "amount": item["amount"]} for item in items],
        confidence=round(min(confidences), 3) if confidences else None,
        page=page,
        box=box_of_boxes([item["box"] for item in items]),
        method="ocr",
    )


def header_table(lines: list[Line], page: int) -> list[dict[str, FieldValue]]:
    """The rows under a header row of labels (at least three, one a total), each amount
    taken by the header cell it stands under; one dict of fields per row (month)."""
    for index, line in enumerate(lines):
        if any(AMOUNT_SHAPE.fullmatch(word.text.replace("，", ",")) for word in line.words):
            continue
        heads = []
        for cell in _header_cells(line):
            text = "".join(word.text for word in cell)
            match = label_field(text, HEADER_FIELDS)
            if match is not None:
                heads.append((box_of(cell), *match, text))
        if len(heads) < 3 or not any(head[1] in TOTALS for head in heads):
            continue
        return [
            row for row in (_table_row(heads, data, page) for data in lines[index + 1 :]) if row
        ]
    return []


def _header_cells(line: Line) -> list[tuple[Word, ...]]:
    """The header row's cells, where two neighbours that are no label alone make one together
    (扣款 | 合计: a label read with a wide gap)."""
    cells = cells_of(line)
    merged: list[tuple[Word, ...]] = []
    for cell in cells:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and not _is_label(previous)
            and not _is_label(cell)
            and _is_label((*previous, *cell))
        ):
            merged[-1] = (*previous, *cell)
            continue
        merged.append(cell)
    return merged


def _is_label(cell: tuple[Word, ...]) -> bool:
    return label_field("".join(word.text for word in cell), HEADER_FIELDS) is not None


def _table_row(heads: list, line: Line, page: int) -> dict[str, FieldValue] | None:
    """One data row's fields: each cell under the header cell it overlaps most."""
    cells = cells_of(line)
    amounts = sum(
        AMOUNT_SHAPE.fullmatch("".join(w.text for w in cell).replace("，", ",")) is not None
        for cell in cells
    )
    if amounts < 3:
        return None
    row: dict[str, FieldValue] = {}
    deductions, confidences = [], []
    for cell in cells:
        box, text = box_of(cell), "".join(word.text for word in cell)
        head = max(heads, key=lambda head: _overlap(box, head[0]))
        if _overlap(box, head[0]) <= 0:
            continue
        _, field, variant, label = head
        word = Word(text, box, min(w.confidence for w in cell), cell[0].line)
        if field in TOTALS and AMOUNT_SHAPE.fullmatch(text.replace("，", ",")):
            row[field] = _amount_field(word, page, label)
        elif field == "deduction_items" and AMOUNT_SHAPE.fullmatch(text.replace("，", ",")):
            amount = parse_money(text)
            if amount is not None:
                deductions.append({"name": variant, "amount": str(amount), "box": box})
                confidences.append(word.confidence)
        elif field == "pay_period" and (match := CELL_PERIOD.fullmatch(plain(text))):
            if 1 <= int(match[2]) <= 12:
                row[field] = FieldValue(
                    value=f"{match[1]}-{int(match[2]):02d}", confidence=word.confidence,
                    page=page, box=box, raw=text, method="table",
                )  # fmt: skip
        elif field == "employee_name" and CJK.match(plain(text)) and 2 <= len(plain(text)) <= 4:
            row[field] = FieldValue(
                value=plain(text), confidence=word.confidence, page=page, box=box, raw=text,
                method="table",
            )  # fmt: skip
    row["deductions"] = _deductions(deductions, confidences, page)
    return row


def _overlap(box: tuple[int, int, int, int], other: tuple[int, int, int, int]) -> int:
    return min(box[2], other[2]) - max(box[0], other[0])


def _words(lines: list[Line], page: int) -> FieldValue:
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
            return FieldValue(
                value=value,
                confidence=round(min(word.confidence for word in words), 3),
                page=page,
                box=box_of(words),
                raw=text,
                method="ocr",
            )
    return FieldValue(value=None, page=page, method="not_found")


NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
ENGLISH_NUMBERS = {word: value for value, word in enumerate(NUMBER_WORDS.split())} | {
    word: 10 * (index + 2) for index, word in enumerate(TENS_WORDS.split())
}
ENGLISH_SCALES = {
    "thousand": 1000,
    "lakh": 100_000,
    "lakhs": 100_000,
    "million": 1_000_000,
    "crore": 10_000_000,
    "crores": 10_000_000,
}


def english_amount(text: str) -> Decimal | None:
    """Forty Two Thousand Three Hundred Five -> 42305 (Indian lakh/crore too); None when a
    word is not a number word."""
    total = current = 0
    words = [w for w in re.split(r"[\s-]+", text.casefold()) if w and w != "and"]
    if not words:
        return None
    for word in words:
        if word in ENGLISH_NUMBERS:
            current += ENGLISH_NUMBERS[word]
        elif word == "hundred":
            current *= 100
        elif word in ENGLISH_SCALES:
            total += current * ENGLISH_SCALES[word]
            current = 0
        else:
            return None
    return Decimal(total + current).quantize(CENT)


def box_of_boxes(boxes: list) -> tuple[int, int, int, int] | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _after_label(lines: list[Line], label: str, page: int) -> FieldValue:
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
        return FieldValue(
            value=value,
            confidence=round(min(w.confidence for w in words), 3) if words else None,
            page=page,
            box=box_of(words) if words else None,
            raw=rest,
            method="ocr",
        )
    return FieldValue(value=None, page=page, method="not_found")


def _name(lines: list[Line], content: Content) -> FieldValue:
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


def _labelled_name(lines: list[Line], page: int) -> FieldValue:
    """The name after another of its labels (员工：张三, Employee Name: Asha Rao), up to the
    next `label:` on the line."""
    for line in lines:
        split = split_label(line)
        if split is None or label_field(split[0], ("employee_name",)) is None:
            continue
        words: list[Word] = []
        for word in split[2]:  # up to the next `label:` or a gap wider than a character
            gap = word.box[0] - words[-1].box[2] if words else 0
            if any(colon in word.text for colon in ":：") or gap > line.height:
                break
            words.append(word)
        text = " ".join(word.text for word in words).strip()
        chinese = CJK.match(plain(text) or "x") and 2 <= len(plain(text)) <= 4
        value = plain(text) if chinese else text if LATIN_NAME.fullmatch(text) else None
        return FieldValue(
            value=value,
            confidence=round(min(w.confidence for w in words), 3) if words else None,
            page=page,
            box=box_of(words) if words else None,
            raw=text,
            method="ocr",
        )
    return FieldValue(value=None, page=page, method="not_found")


def _employer(lines: list[Line], page: int) -> FieldValue:
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
        return FieldValue(
            value=value, confidence=confidence, page=page, box=line.box, raw=line.text, method="ocr"
        )
    return FieldValue(value=None, page=page, method="not_found")


def _period(lines: list[Line], page: int) -> FieldValue:
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
            return FieldValue(
                value=f"{year}-{month:02d}",
                confidence=round(min(word.confidence for word in line.words), 3),
                page=page,
                box=line.box,
                raw=line.text,
                method="ocr",
            )
    return FieldValue(value=None, page=page, method="not_found")


def check(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """Gross − deductions = net and the listed deductions add up to their total, on the
    month read and on every other month of the sheet; the amount in words against the net."""
    findings = _arithmetic(fields, context) + _words_check(fields, context)
    if _net_misread(fields, findings):
        findings = _retake_net(fields, context)
    months = fields.get("months") or FieldValue(value=None)
    for month in (months.value or [])[:-1]:
        other = {
            name: FieldValue(value=month[name], confidence=month["confidence"], page=months.page)
            for name in TOTALS
            if name in month
        }
        findings += _arithmetic(
            {**other, "net_pay": other.get("net_pay", FieldValue(value=None))}, context
        )
    return findings


def _net_misread(fields: dict[str, FieldValue], findings: list[Finding]) -> bool:
    """The net's figures fail both the arithmetic and the words, while the words say gross −
    deductions: two readings agree against the third, so the figures were misread (a
    tampered net fails the arithmetic only, tampered words the words only)."""
    codes = {finding.code for finding in findings}
    if not {Code.PAYSLIP_ARITHMETIC, Code.INCOME_WORDS_MISMATCH} <= codes:
        return False
    gross, total = _money(fields, "gross_pay"), _money(fields, "deductions_total")
    words_field = fields.get("amount_in_words")
    words = words_amount(str(words_field.value)) if words_field and words_field.value else None
    if gross is None or total is None or words is None:
        return False
    return words in (gross - total, Decimal(int(gross - total)).quantize(CENT))


def _retake_net(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    net = fields["net_pay"]
    return [
        new_finding(
            Code.RETAKE,
            file=context.file,
            field="net_pay",
            severity=Severity.WARNING,
            evidence=Evidence(
                file=context.file, page=net.page, box=net.box, text=net.raw, confidence=0.0
            ),
            label={"zh": "实发金额", "en": "net pay"},
        )
    ]


def words_amount(text: str) -> Decimal | None:
    """The amount the words say, Chinese (壹万…元整) or English (Forty Two Thousand …)."""
    return parse_money(text) if CJK.match(plain(text) or "x") else english_amount(text)


def _words_check(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """The amount in words against the net: an error only when both were read surely, else a
    warning naming the words. Words of whole units (Rupees … Only) are the net's whole part."""
    words_field, net = fields.get("amount_in_words"), _money(fields, "net_pay")
    if words_field is None or not words_field.value or net is None:
        return []
    words = words_amount(str(words_field.value))
    if words is not None and words in (net, Decimal(int(net)).quantize(CENT)):
        return []
    evidence = Evidence(
        file=context.file,
        page=words_field.page,
        box=words_field.box,
        text=words_field.raw,
        confidence=words_field.confidence,
    )
    sure = (words_field.confidence or 0.0) >= CONFIRMED and (
        fields["net_pay"].confidence or 0.0
    ) >= CLEAR
    if words is None or not sure:
        return [
            new_finding(
                Code.RETAKE,
                file=context.file,
                field="amount_in_words",
                severity=Severity.WARNING,
                evidence=evidence,
                label={"zh": "大写金额", "en": "amount in words"},
            )
        ]
    return [
        new_finding(
            Code.INCOME_WORDS_MISMATCH,
            file=context.file,
            field="amount_in_words",
            evidence=evidence,
            document={"zh": "工资条", "en": "payslip"},
            figures=str(net),
            words=str(words_field.value),
        )
    ]


def _arithmetic(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
    """Gross − deductions = net; the listed deductions add up to their total."""
    gross, net = _money(fields, "gross_pay"), _money(fields, "net_pay")
    total = _money(fields, "deductions_total")
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
    evidence = Evidence(
        file=context.file,
        page=fields["net_pay"].page,
        box=fields["net_pay"].box,
        text=fields["net_pay"].raw,
        confidence=fields["net_pay"].confidence,
    )
    if not sure:
        return [
            new_finding(
                Code.RETAKE,
                file=context.file,
                field="net_pay",
                evidence=evidence,
                label={"zh": "工资条金额", "en": "payslip amounts"},
            )
        ]
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


def _money(fields: dict[str, FieldValue], name: str) -> Decimal | None:
    field = fields.get(name)
    return parse_money(str(field.value)) if field is not None and field.value else None
