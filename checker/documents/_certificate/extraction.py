"""Reading a certificate: each field's row on the first page (`field_rows`: by its label, a
table, a sentence, its shape, or under the seal), read, read again where it failed, the seal's
fields and the signature's place (`extract`); and how sure a file is a certificate
(`detect`)."""

from __future__ import annotations

import dataclasses
import itertools
import re
import statistics

from checker.document import Box, Page, Reading, Word
from checker.documents import Content
from checker.documents._certificate.fields import (
    CERTIFICATE_FIELDS,
    CLEAR,
    LABELS,
    NOT_REREAD,
    REQUIRED,
    SECOND_READ_FIELDS,
    UNSURE_TEXT_FIELDS,
    field_labels,
)
from checker.documents._certificate.layout import (
    date_under_seal,
    issuer_under_seal,
    located,
    reaching_past_seal,
    seal_fields,
    signature_block,
    text_metrics,
    with_ink_end,
)
from checker.documents._certificate.reread import best, reread, second_read, surer
from checker.documents._certificate.unlabelled import bare_rows, shaped_rows
from checker.documents._certificate.values import (
    RowRead,
    needs_reread,
    read_row,
    words_field,
    words_need_reread,
)
from checker.ocr import OcrError, Reader
from checker.parse import parse_money
from checker.reading.seal import overlaps
from checker.reading.second_read import SURE
from checker.rows.label_value import Row, labelled_rows
from checker.rows.lines import label_score, lines_of, plain
from checker.rows.prose import prose_rows
from checker.rows.tables import cell_rows, column_rows
from schemas.reads import Read, Reads

STRONG_LABEL = 0.75  # a label matched at least this well stands even on a sentence's line
# words of a certificate's body; half of them found is a certificate for sure
BODY_LABELS = ("身份证号码", "工作单位", "信用代码", "入职日期", "税前", "盖章", "兹证明", "单位")
SEALED_CONFIDENCE = 0.5  # the most a date only the second reader read through seal ink is trusted
# the least score of the second reader's two crops agreeing on a value under the seal, where
# the seal's glyphs read beside it lower the score (40 generated certificates with the seal
# over the date: 39 read right, 1 unread, none wrong); for a value tesseract read there, and
# for one it could not
SEAL_SURE = 0.8


def title_text(content: Content) -> str:
    """The text of the first two lines of the first page (where the title is)."""
    if not content.readings:
        return ""
    return "".join(line.text for line in lines_of(content.readings[0])[:2])


# the fields whose labels (or prose) are evidence that a page is a certificate
EVIDENCE_FIELDS = ("employee_name", "id_number", "employer", "position", "employed_since")
INCOME_FIELDS = ("monthly_income", "annual_income")


def detect(content: Content, titles: tuple[str, ...]) -> float:
    """How sure the file is a certificate with one of these titles (0..1): half for the
    title, half for the body (its fields' labels or sentences, and 兹证明/盖章 words)."""
    if not content.readings or content.tables:
        return 0.0
    text = plain("".join(word.text for reading in content.readings for word in reading.words))
    specs = field_labels()

    def shown(field: str) -> bool:
        spec = specs[field]
        return any(plain(label) in text for label in spec.labels) or any(
            re.search(pattern, text) for pattern in spec.prose
        )

    found = sum(shown(field) for field in EVIDENCE_FIELDS) + any(map(shown, INCOME_FIELDS))
    body = found / (len(EVIDENCE_FIELDS) + 1) + 0.25 * any(w in text for w in BODY_LABELS[5:])
    title = max(label_score(plain(title_text(content)), t) for t in titles)
    return round(0.5 * min(1.0, 1.5 * body) + 0.5 * (title if title >= 0.75 else 0.0), 3)


def extract(content: Content) -> Reads:
    """Every certificate field from the first page, with a second read where one failed."""
    if not content.readings:
        return {}
    reading = content.readings[0]
    page = next((p for p in content.pages if p.number == reading.page), None)
    rows, signature, seal = field_rows(reading, page)
    if any(field not in rows for field in REQUIRED) and content.second_reader and page:
        fuller = with_dropped_lines(reading, page, content.second_reader)
        if fuller is not None:
            reading = fuller
            rows, signature, seal = field_rows(reading, page)
    if page is not None and page.image is not None:
        rows = {field: with_ink_end(row, page.image) for field, row in rows.items()}
    reads = {field: _unsure_if_cut(read_row(row, "ocr"), row) for field, row in rows.items()}
    figures = parse_money(reads["monthly_income"].text) if "monthly_income" in reads else None
    retry = [
        row
        for field, row in rows.items()
        if field not in NOT_REREAD
        and row.found != "prose"
        and (
            (field != "income_in_words" and needs_reread(reads[field], field))
            or (field == "income_in_words" and words_need_reread(row, figures))
        )
    ]
    again = reread(retry, page, content.reader) if page and content.reader else {}
    fields: Reads = {}
    for field in CERTIFICATE_FIELDS:
        row = rows.get(field)
        if row is None:
            fields[field] = Read(value=None, page=reading.page, method="not_found")
        elif field == "income_in_words":
            fields[field] = words_field(row, again.get(field), figures, reading.page)
        else:
            fields[field] = best(reads[field], row, again.get(field), reading.page)
    if content.second_reader is not None and page is not None and page.image is not None:
        seal_box = seal["seal_box"].value
        for field, row in rows.items():
            if field not in SECOND_READ_FIELDS or row.found == "prose":
                continue
            if fields[field].value is None:
                # under the seal, its glyphs read beside the value lower the reads' scores
                under_seal = seal_box is not None and overlaps(row.line.box, seal_box)
                sure = SEAL_SURE if under_seal else SURE
                unread = fields[field]
                fields[field] = second_read(row, page, content.second_reader, unread, sure=sure)
            elif field in UNSURE_TEXT_FIELDS and (fields[field].confidence or 0.0) < CLEAR:
                fields[field] = surer(fields[field], row, page, content.second_reader)
    if "issuer" in rows:
        issuer = best(reads["issuer"], rows["issuer"], again.get("issuer"), reading.page)
        fields["issuer"] = issuer.model_copy(update={"box": rows["issuer"].line.box})
    fields.update(seal)
    if reading.source != "text_layer":  # a text layer's characters are no ink under a seal
        sealed = _under_seal(fields, seal["seal_box"].value, rows, page, content.second_reader)
        fields.update(sealed)
    fields["signature_box"] = Read(
        value=signature, page=reading.page, box=signature, method="layout" if signature else "none"
    )
    return fields


GAP_LINES = 1.2  # a blank between two lines this many line heights tall may hide a line
DROPPED_BLOCK = -1  # the block number of the lines `with_dropped_lines` adds


def with_dropped_lines(reading: Reading, page: Page, reader: Reader) -> Reading | None:
    """The page reading with the lines the second reader finds in the blanks between its
    lines taller than GAP_LINES line heights, across the text's width; None when it finds
    none (or the reading is a text layer). Tesseract drops a line of a photographed page now
    and then: a certificate photo's 姓名：陈思琪 line, between two lines it read, was not in its
    reading, and the certificate had no name."""
    lines = lines_of(reading)
    if reading.source != "ocr" or page.image is None or len(lines) < 2:
        return None
    height = statistics.median(line.box[3] - line.box[1] for line in lines)
    left = max(0, round(min(line.box[0] for line in lines) - height))
    right = min(page.width, round(max(line.box[2] for line in lines) + height))
    found: list[Word] = []
    for above, below in itertools.pairwise(lines):
        top, bottom = above.box[3], below.box[1]
        if bottom - top <= GAP_LINES * height:
            continue
        try:
            band = reader.read(
                page.image.crop((left, top, right, bottom)), dpi=page.dpi, page=page.number
            )
        except OcrError:
            return None
        for index, word in enumerate(band.words):
            x0, y0, x1, y1 = word.box
            box = (x0 + left, y0 + top, x1 + left, y1 + top)
            found.append(Word(word.text, box, word.confidence, (DROPPED_BLOCK, top, index)))
    if not found:
        return None
    return dataclasses.replace(reading, words=[*reading.words, *found])


def _unsure_if_cut(read: RowRead, row: Row) -> RowRead:
    """A read whose row has print past its last word is unsure, so it is read again."""
    if row.ink_right is None or read.value is None:
        return read
    return dataclasses.replace(read, confidence=min(read.confidence, CLEAR - 0.01))


def _under_seal(
    fields: Reads,
    seal: Box | None,
    rows: dict[str, Row],
    page: Page | None,
    second_reader: Reader | None,
) -> Reads:
    """Dates and the employer read through the seal's ink, trusted at most SEALED_CONFIDENCE
    unless two engines read the same: the ink breaks glyphs into others (6 into 5 or 9,
    measured on generated certificates), so a date only one engine read there, looking stale
    or in the future, asks for a clearer copy instead of calling the certificate wrong. Tesseract's
    reads are put to the second reader: where both its crops read another value, that is
    taken; the second reader's own are not confirmed by it."""
    if seal is None:
        return {}
    capped: Reads = {}
    for field in ("issue_date", "employed_since", "employer"):
        found = fields.get(field)
        if found is None or found.value is None or found.box is None:
            continue
        if not overlaps(found.box, seal):
            continue
        if found.method != "second_reader" and field in rows and page and second_reader:
            again = second_read(rows[field], page, second_reader, Read(value=None), sure=SEAL_SURE)
            if again.value == found.value:
                continue
            if again.value is not None:  # both its crops read this: tesseract's glyphs broke
                capped[field] = again.model_copy(update={"box": found.box})
                continue
        confidence = min(found.confidence or 0.0, SEALED_CONFIDENCE)
        capped[field] = found.model_copy(update={"confidence": confidence})
    return capped


def field_rows(reading: Reading, page: Page | None) -> tuple[dict[str, Row], Box | None, Reads]:
    """Each field's row on the page (by its label, its shape, or for the issue date the line
    under the seal), the signature block (`signature_block`) and the seal's fields: the seal
    is looked for on the signature first, so a round red logo elsewhere is not taken for it."""
    lines = lines_of(reading)
    rows = labelled_rows(lines, LABELS)
    for found in (column_rows(lines, LABELS), cell_rows(lines, LABELS)):
        for field, row in found.items():
            rows.setdefault(field, row)
    prose = prose_rows(lines, {f: spec.prose for f, spec in field_labels().items() if spec.prose})
    # a sentence is no `label：value` row: a weak label match on one (…身份证号码：… read as
    # 证明单位) is dropped
    sentences = {word.line for row in prose.values() for word in row.words}
    rows = {
        field: row
        for field, row in rows.items()
        if row.score >= STRONG_LABEL or not {word.line for word in row.line.words} & sentences
    }
    for field, row in prose.items():
        rows.setdefault(field, row)
    rows = shaped_rows(lines, bare_rows(lines, rows))
    if "employer" not in rows and "issuer" in rows:  # the issuer is the employer, as printed
        rows["employer"] = dataclasses.replace(rows["issuer"], field="employer")
    rows = {
        field: row
        for field, row in rows.items()
        if field in (*CERTIFICATE_FIELDS, "has_seal", "issuer")
    }
    signature = signature_block(rows)  # before a date found from the seal's place joins
    seal = seal_fields(page, near=signature)
    seal_box = seal["seal_box"].value
    if "employer" not in rows and seal_box is not None and page is not None:
        pitch = text_metrics(rows)[1]
        rows["employer"] = located(issuer_under_seal(seal_box, rows, page), page, pitch)
    if "issue_date" not in rows and seal_box is not None:
        rows["issue_date"] = date_under_seal(seal_box, rows, reading.page)
    elif "issue_date" in rows and seal_box is not None:
        rows["issue_date"] = reaching_past_seal(rows["issue_date"], seal_box)
    if "issue_date" in rows and page is not None:
        rows["issue_date"] = located(rows["issue_date"], page, text_metrics(rows)[1])
    return rows, signature, seal
