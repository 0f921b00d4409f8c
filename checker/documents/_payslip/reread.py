"""Payslip amounts and labels read again by the second reader: totals that break the
arithmetic as read, and the label of an amount that stands alone on its row."""

from __future__ import annotations

from checker.document import Box
from checker.documents import Content
from checker.documents._certificate.fields import AMOUNT_SHAPE, CLEAR
from checker.documents._certificate.values import parse_value, value_text
from checker.documents._payslip.amounts import money
from checker.documents._payslip.fields import TOTALS
from checker.ocr import OcrError, RegionOptions, read_regions
from checker.parse import parse_money
from checker.reading.second_read import agreed_read
from checker.rows.lines import Line
from schemas.reads import Read, Reads


def name_read_again(fields: Reads, content: Content) -> Reads:
    """The employee's name read unsurely (刘宇航 as 刘字), read again by the second reader:
    its box, and its box a character wider (one lost at the end); taken where both crops
    agree on a name, surely. Nothing changes otherwise."""
    found = fields.get("employee_name")
    page = content.pages[0] if content.pages else None
    if found is None or found.box is None or (found.confidence or 0.0) >= CLEAR:
        return {}
    if content.second_reader is None or page is None or page.image is None:
        return {}
    box = _padded(found.box, page.width, page.height)
    assert box is not None
    height = found.box[3] - found.box[1]
    wider = (box[0], box[1], min(page.width, box[2] + height), box[3])
    agreed = agreed_read(
        content.second_reader,
        page.image,
        [box, wider],
        text_height=height,
        dpi=page.dpi,
        page=page.number,
        parse=lambda text: parse_value("employee_name", value_text("employee_name", text)),
    )
    if agreed is None:
        return {}
    value = Read(
        value=agreed.value,
        confidence=round(agreed.confidence, 3),
        page=found.page,
        box=found.box,
        raw=agreed.text,
        method="second_reader",
    )
    return {"employee_name": value}


def totals_read_again(fields: Reads, content: Content) -> Reads:
    """Where gross − deductions ≠ net as read, each total read again by the second reader;
    one whose second reading differs and makes the three agree was misread (a 5 read as 9)
    and takes the second reading. Nothing changes when no single second reading settles it
    (a real error stays for the check to report)."""
    gross, net = money(fields, "gross_pay"), money(fields, "net_pay")
    total = money(fields, "deductions_total")
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


def labels_read_again(lines: list[Line], content: Content) -> list[Line]:
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
