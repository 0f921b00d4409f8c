"""Payslip (工资条): one month's pay from the employer — gross, deductions, net.

Amounts are read as label–amount pairs along each line (a payslip is a two-column table:
earnings on the left, deductions on the right); labels are matched against the variants in
`AMOUNT_LABELS` and `DEDUCTION_NAMES` (data). The check is the arithmetic: gross − deductions
= net, and the listed deductions add up to their printed total.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from checker.document import Word
from checker.documents import CheckContext, Content, _certificate
from checker.documents._certificate import (
    AMOUNT_SHAPE,
    CJK,
    CLEAR,
    ORG_SUFFIX,
    Line,
    box_of,
    label_score,
    lines_of,
    plain,
)
from checker.findings import new_finding
from checker.parse import parse_money
from schemas.findings import Code, Evidence, Finding
from schemas.report import FieldValue

KIND = "payslip"
TITLES = ("工资条", "工资单", "薪资单", "工资明细")
AMOUNT_LABELS = {
    "gross_pay": ("应发合计", "应发工资", "应发总额"),
    "deductions_total": ("扣款合计", "扣除合计", "代扣合计"),
    "net_pay": ("实发工资", "实发合计", "实发金额"),
}
DEDUCTION_NAMES = (
    "养老保险",
    "医疗保险",
    "失业保险",
    "工伤保险",
    "住房公积金",
    "个人所得税",
    "企业年金",
    "其他扣款",
)
HEADER_LABELS = ("工号", "部门", "发放日期", "岗位")
PERIOD = re.compile(r"(\d{4})年(\d{1,2})月")
CENT = Decimal("0.01")


def detect(content: Content) -> float:
    """0..1: a title such as 工资条, and both 应发 and 实发 amounts."""
    if not content.readings or content.tables:
        return 0.0
    text = "".join(word.text for word in content.readings[0].words)
    title = any(name in text for name in TITLES)
    body = ("应发" in text) + ("实发" in text) + ("扣款" in text or "扣除" in text)
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
    """Employee, employer, pay period, gross, each deduction, and net."""
    if not content.readings:
        return {}
    reading = content.readings[0]
    page = reading.page
    lines = lines_of(reading)
    fields: dict[str, FieldValue] = {
        "employee_name": _name(lines, content),
        "employer": _employer(lines, page),
        "pay_period": _period(lines, page),
    }
    deductions, confidences = [], []
    for line in lines:
        for label, word in amount_pairs(line):
            score, field = max((_match(label, vs), name) for name, vs in AMOUNT_LABELS.items())
            if score >= 0.75 and label:
                fields.setdefault(field, _amount_field(word, page, label))
            elif label and _match(label, DEDUCTION_NAMES) >= 0.75:
                name = max(DEDUCTION_NAMES, key=lambda known: label_score(label, known))
                amount = parse_money(word.text)
                if amount is not None:
                    deductions.append({"name": name, "amount": str(amount), "box": word.box})
                    confidences.append(word.confidence)
    for field in AMOUNT_LABELS:
        fields.setdefault(field, FieldValue(value=None, page=page, method="not_found"))
    fields["deductions"] = FieldValue(
        value=[{"name": item["name"], "amount": item["amount"]} for item in deductions],
        confidence=round(min(confidences), 3) if confidences else None,
        page=page,
        box=box_of_boxes([item["box"] for item in deductions]),
        method="ocr",
    )
    return fields


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
        rest = re.sub(r"^[:：;；]", "", text[index + len(label) :])
        for other in HEADER_LABELS:
            rest = rest.split(other)[0]
        words = [word for word in line.words if word.text and word.text in rest]
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
    if first.value is not None and (first.confidence or 0.0) >= CLEAR:
        return first
    rows = _certificate.labelled_rows(lines, {"employee_name": ("姓名",)})
    image_page = next((p for p in content.pages if p.number == page), None)
    if "employee_name" not in rows or image_page is None or content.reader is None:
        return first
    row = rows["employee_name"]
    words = [w for w in row.words if plain(w.text) and w.text[:2] not in HEADER_LABELS]
    row = dataclasses.replace(row, words=tuple(words[:1]))  # up to the next header label
    names = []  # each second read that gives a name: the surest one is taken
    for again in _certificate.reread([row], image_page, content.reader).get("employee_name", []):
        text = re.sub(r"[^\u4e00-\u9fff]", "", "".join(w.text for w in again))
        for other in HEADER_LABELS:
            text = text.split(other[0])[0] if other[0] in text[2:] else text
        if CJK.match(text or "x") and 2 <= len(text) <= 4:
            confidence = round(min(w.confidence for w in again), 3)
            names.append((_certificate.value_confidence(text, again), confidence, text))
    if not names:
        return first
    _, confidence, text = max(names)
    return first.model_copy(update={"value": text, "confidence": confidence, "method": "ocr_retry"})


def _employer(lines: list[Line], page: int) -> FieldValue:
    """The first line naming an organisation (the payslip's heading)."""
    for line in lines[:3]:
        text = plain(line.text)
        if CJK.match(text) and ORG_SUFFIX.search(text):
            confidence = round(min(word.confidence for word in line.words), 3)
            return FieldValue(
                value=text, confidence=confidence, page=page, box=line.box, raw=text, method="ocr"
            )
    return FieldValue(value=None, page=page, method="not_found")


def _period(lines: list[Line], page: int) -> FieldValue:
    """YYYY-MM from the title, e.g. 工资条（2026年08月）."""
    for line in lines[:4]:
        match = PERIOD.search(re.sub(r"\s", "", line.text))
        if match and 1 <= int(match[2]) <= 12:
            return FieldValue(
                value=f"{match[1]}-{int(match[2]):02d}",
                confidence=round(min(word.confidence for word in line.words), 3),
                page=page,
                box=line.box,
                raw=line.text,
                method="ocr",
            )
    return FieldValue(value=None, page=page, method="not_found")


def check(fields: dict[str, FieldValue], context: CheckContext) -> list[Finding]:
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
    sure = all(
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
