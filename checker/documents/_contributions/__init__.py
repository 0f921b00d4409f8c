"""What housing-fund and social-insurance records share: one reader, one set of checks.

Reading (`summary`, `table`): every page's words (a text layer's or any reader's) grouped
into rows; the summary block's fields found by their printed labels (`label：value`, several
to a line, or a grid's `label | value` cells), the table of months by its header row, on
every page. Labels are data (`labels/contributions.yaml`). Every value is text printed at one
place, with its box and confidence; the months covered and the latest month are the table's
months as printed. The checks (`checks`): the ID number, the account's status, the months
continuous, the latest month recent, months in arrears.
"""

from __future__ import annotations

from typing import Any

from checker.documents import Content
from checker.documents._contributions.labels import SUMMARY_FIELDS, labels
from checker.documents._contributions.reread import months_again, read_again
from checker.documents._contributions.summary import summary_fields
from checker.documents._contributions.table import TableRow, header_of, table_rows
from checker.rows.lines import page_rows, plain
from schemas.reads import Read, Reads

TITLE_LINES = 4  # the title stands in the first lines of the first page
TITLE_CHARS = 24  # …and is a short line
TITLE_SCORE = 0.6  # a title naming the kind and a record (公积金…明细, 参保…证明)
WORD_SCORE = 0.2  # the kind's word elsewhere on the page
BODY_SCORE = 0.1  # each label only this kind prints, up to BODY_MAX
BODY_MAX = 0.4
TABLE_SCORE = 0.2  # a table of months under a header row (缴存年月 | 个人缴存额 | …)


def detect(content: Content, title_entry: str, body_words: tuple[str, ...]) -> float:
    """0..1: a title naming the kind (`title_entry` of the labels) and a record, labels only
    this kind prints (`body_words`), and a table of months."""
    if not content.readings or content.tables:
        return 0.0
    lines = page_rows(content.readings[0])
    text = plain("".join(line.text for line in lines))
    kind_words = labels()[title_entry]
    titled = any(_title(plain(line.text), kind_words) for line in lines[:TITLE_LINES])
    if titled:
        score = TITLE_SCORE
    elif any(word in text for word in kind_words):
        score = WORD_SCORE
    else:
        return 0.0
    body = min(BODY_MAX, BODY_SCORE * sum(word in text for word in body_words))
    table = TABLE_SCORE if any(header_of(line) for line in lines) else 0.0
    return round(min(1.0, score + body + table), 3)


def _title(text: str, kind_words: tuple[str, ...]) -> bool:
    """A title line: short, a word of the kind and after it a word of a record (公积金…明细,
    社保…查询结果); a table's header row that names an insurance is longer."""
    if len(text) > TITLE_CHARS:
        return False
    starts = [text.find(word) for word in kind_words if word in text]
    return bool(starts) and any(
        word in text[min(starts) + 1 :] for word in labels()["record_title"]
    )


def extract(content: Content, field_names: tuple[str, ...]) -> Reads:
    """The kind's fields (`field_names` of its model) from every page: the summary block's
    first value of each, the table's rows, the months they cover and the latest."""
    pages = [page_rows(reading) for reading in content.readings]
    method = content.readings[0].source if content.readings else "missing"
    lines = [line for page in pages for line in page]
    found, regions = summary_fields(lines, method)
    found = read_again(found, regions, content)
    reads: Reads = {
        name: found.get(name, Read(value=None, page=1, method="not_found"))
        for name in SUMMARY_FIELDS
        if name in field_names
    }
    reads.update(_table_reads(months_again(table_rows(pages), content), method))
    return reads


def _table_reads(rows: list[TableRow], method: str) -> Reads:
    """The rows as read, the months they cover (oldest first) and the latest month; a row
    whose month could not be read is kept in `rows` (its month None) and counts in no month."""
    missing: Read[Any] = Read(value=None, page=1, method="not_found")
    if not rows:
        return {"rows": missing, "months_covered": missing, "latest_month": missing}
    first_page = int(str(rows[0].values["page"]))
    confidence = min(float(row.values["confidence"] or 0.0) for row in rows)
    dated = [row for row in rows if row.values["month"] is not None]
    boxes = [row.box for row in rows if row.values["page"] == first_page]
    table_box = (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )
    reads: Reads = {
        "rows": Read(
            value=[row.values for row in rows],
            confidence=confidence,
            page=first_page,
            box=table_box,
            method=method,
        ),
        "months_covered": missing,
        "latest_month": missing,
    }
    if dated:
        latest = max(dated, key=lambda row: str(row.values["month"]))
        months = sorted({str(row.values["month"]) for row in dated})
        reads["months_covered"] = Read(
            value=months, confidence=confidence, page=first_page, method=method
        )
        reads["latest_month"] = Read(
            value=str(latest.values["month"]),
            confidence=float(latest.values["confidence"] or 0.0),
            page=int(str(latest.values["page"])),
            box=latest.month_box,
            raw=latest.month_text,
            method=method,
        )
    return reads
