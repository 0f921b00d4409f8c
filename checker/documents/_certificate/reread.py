"""Reading a certificate value again where the page read failed it: its region cropped,
cleaned of red seal ink and read as one line; all such crops go to the reader stacked in one
image, so that costs one small call. Some fields are cropped two ways (`REREAD_CROPS`) and the
surer read that passes is kept (`best`). What still fails is put to the second reader, whose
crops must agree (`second_read`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from checker.document import Box, Page, Word
from checker.documents._certificate.fields import (
    CLEAR,
    DATE_FIELDS,
    DEFAULT_VALUE_WIDTH,
    VALUE_WIDTH,
)
from checker.documents._certificate.values import (
    RowRead,
    needs_reread,
    parse_value,
    read_row,
    value_text,
)
from checker.ocr import OcrError, Reader, RegionOptions, read_regions, stack_crops
from checker.reading.seal import red_mask
from checker.reading.second_read import SURE, agreed_read
from checker.rows.label_value import Row
from checker.rows.lines import box_of, line_span
from schemas.reads import Read

REREAD_LINE_HEIGHT = 40  # crops are scaled so their text is this tall (px), by default


def value_region(row: Row, page: Page) -> Box:
    """Where the row's value is printed: from its start to the end of its text, padded."""
    if row.region is not None:
        return row.region
    line_top, line_bottom = line_span(row.line)
    height = line_bottom - line_top
    left = row.value_left - height // 2  # the colon in view: tesseract finds the line better
    if row.words:
        right = max(box_of(row.words)[2], row.ink_right or 0) + height
        if (
            row.field in DATE_FIELDS
            and parse_value(row.field, value_text(row.field, row.text)) is None
        ):
            # a date read in part (its end lost under seal ink): the crop runs a date's width
            right = max(right, left + VALUE_WIDTH[row.field] * height)
    else:
        right = left + VALUE_WIDTH.get(row.field, DEFAULT_VALUE_WIDTH) * height
    pad = height // 3
    return (
        max(0, left),
        max(0, line_top - pad),
        min(page.width, right),
        min(page.height, line_bottom + pad),
    )


def clean_crop(
    image: Image.Image, box: Box, text_height: int, line_height: int = REREAD_LINE_HEIGHT
) -> Image.Image:
    """The region in grey, seal ink turned to paper, scaled to `line_height` text."""
    crop = image.crop(box)
    grey = crop.convert("L")
    if crop.mode == "RGB":
        pixels = np.asarray(grey).copy()
        pixels[red_mask(np.asarray(crop))] = 255
        grey = Image.fromarray(pixels)
    grey = ImageOps.autocontrast(grey, cutoff=1)
    scale = line_height / max(1, text_height)
    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
    return grey.resize(size, Image.Resampling.LANCZOS)


@dataclass(frozen=True)
class Crop:
    """A region to read again, and how tall its text is scaled for the reader (px)."""

    region: Box
    line_height: int = REREAD_LINE_HEIGHT


def reread(rows: list[Row], page: Page, reader: Reader) -> dict[str, list[tuple[Word, ...]]]:
    """The words read again in each row's value regions, each crop as one line (psm 7).

    Crops are cleaned and stacked on one sheet, and the sheet's regions go to the reader in
    one call per kind of text: Chinese (chi_sim only, which reads names better than with
    eng), and codes and figures (eng with a whitelist). A value may be cropped in more than
    one way (`REREAD_CROPS`), each one more crop in the same call. Word boxes come back as
    the region's box on the page.
    """
    if page.image is None or not rows:
        return {}
    found: dict[str, list[tuple[Word, ...]]] = {}
    for options, group in _by_options(rows):
        jobs = [(row, crop) for row in group for crop in value_crops(row, page)]
        crops = [
            clean_crop(page.image, crop.region, row.line.height, crop.line_height)
            for row, crop in jobs
        ]
        sheet, boxes = stack_crops(crops)
        try:
            readings = read_regions(
                reader, sheet, boxes, dpi=page.dpi, page=page.number, options=options
            )
        except OcrError:
            continue
        for (row, crop), reading in zip(jobs, readings, strict=True):
            words = sorted(reading.words, key=lambda word: (word.line, word.box[0]))
            found.setdefault(row.field, []).append(
                tuple(Word(word.text, crop.region, word.confidence, word.line) for word in words)
            )
    return found


@dataclass(frozen=True)
class CropSpec:
    """How to crop a value to read it again: from the label's colon (`colon`: the colon in
    view helps tesseract find the line) or from the value's start (`value`: no stray mark
    read before the value), and how tall its text is scaled (px)."""

    start: str
    line_height: int


# field -> its crops, read in the same reader call; the surest read that passes is taken.
# Measured on the 22 fixture certificates with every such field read again, photos both as
# taken and flattened (misreads of 44): names colon@40 4, value@48 8, both 2; employers
# colon@40 9, value@32 2, colon@32 and value@32 1; positions colon@40 8, value@48 1; start
# dates colon@40 2, value@48 1, both 0. A crop costs reader time in proportion to its width
# (an employer's ~15 ms, a name's ~5 ms, once the reader's model is loaded).
REREAD_CROPS: dict[str, tuple[CropSpec, ...]] = {
    "employee_name": (CropSpec("colon", 40), CropSpec("value", 48)),
    "employer": (CropSpec("colon", 32), CropSpec("value", 32)),
    "position": (CropSpec("value", 48),),
    "employed_since": (CropSpec("colon", 40), CropSpec("value", 48)),
}
DEFAULT_CROPS = (CropSpec("colon", REREAD_LINE_HEIGHT),)


def value_crops(row: Row, page: Page) -> list[Crop]:
    """The crops to read a row's value again from (`REREAD_CROPS`); a row without a label
    beside it (a band where the value should be) is read as one crop of its region."""
    region = value_region(row, page)
    if row.region is not None:
        return [Crop(region)]
    return [
        Crop(region if spec.start == "colon" else from_value_start(row, region), spec.line_height)
        for spec in REREAD_CROPS.get(row.field, DEFAULT_CROPS)
    ]


def from_value_start(row: Row, region: Box) -> Box:
    """`region` (from the label's colon) cut to start where the value does."""
    height = row.line.height
    start = max(region[0], min(row.value_left + height // 6, region[2] - height))
    return (start, *region[1:])


def second_regions(row: Row, page: Page) -> list[Box]:
    """Two crops of a row's value for the second reader: from the label's colon and from the
    value's start; a band where the value should be, as found and a third of a line taller."""
    region = value_region(row, page)
    if row.region is not None:
        pad = row.line.height // 3
        return [
            region,
            (region[0], max(0, region[1] - pad), region[2], min(page.height, region[3] + pad)),
        ]
    return [region, from_value_start(row, region)]


CHINESE = RegionOptions(psm=7, languages="chi_sim")
CODES = RegionOptions(psm=7, languages="eng", whitelist="0123456789ABCDEFGHJKLMNPQRTUWXY-,.")
CODE_FIELDS = {"id_number", "employer_uscc", "contact_phone", "monthly_income", "annual_income"}


REGION_OPTIONS = dict.fromkeys(CODE_FIELDS, CODES)


def _by_options(rows: list[Row]) -> list[tuple[RegionOptions, list[Row]]]:
    """The rows grouped by how their value is best read again (one reader call a group)."""
    groups: dict[RegionOptions, list[Row]] = {}
    for row in rows:
        groups.setdefault(REGION_OPTIONS.get(row.field, CHINESE), []).append(row)
    return list(groups.items())


def _field(read: RowRead, page: int, raw: str | None = None) -> Read[Any]:
    return Read(
        value=read.value,
        confidence=read.confidence,
        page=page,
        box=read.box,
        raw=raw if raw is not None else read.text,
        method=read.method,
    )


def best(first: RowRead, row: Row, again: list[tuple[Word, ...]] | None, page: int) -> Read[Any]:
    """The page read when it passed, else the surest second read that passed, else the first."""
    if not again or not needs_reread(first, row.field):
        return _field(first, page)
    retries = [
        (read_row(Row(row.field, row.line, row.value_left, words, row.score), "ocr_retry"), words)
        for words in again
    ]
    passed = [(retry, words) for retry, words in retries if retry.value is not None]
    if not passed and first.value is not None:
        return _field(first, page)
    if not passed:
        texts = " | ".join([first.text, *(retry.text for retry, _ in retries)])
        return _field(first, page, raw=texts)
    retry, words = max(passed, key=lambda item: value_confidence(item[0].text, item[1]))
    box = first.box or value_box_guess(row)
    # as sure as the words the value was read from: a stray mark read unsurely beside them
    # (the label's last character, under the seal's ink) is no doubt about the value; a
    # repaired date stays as unsure as `read_row` made it
    confidence = retry.confidence
    if retry.method != "ocr_corrected":
        confidence = value_confidence(retry.text, words)
    return _field(RowRead(retry.value, retry.text, confidence, box, "ocr_retry"), page)


def value_confidence(text: str, words: tuple[Word, ...]) -> float:
    """The confidence of the words the value was taken from (a stray colon read as `1`
    before a name is left out, so that it does not decide between two reads)."""
    return min((word.confidence for word in words if set(word.text) & set(text)), default=0.0)


def value_box_guess(row: Row) -> Box:
    if row.region is not None:
        return row.region
    top, bottom = line_span(row.line)
    width = VALUE_WIDTH.get(row.field, DEFAULT_VALUE_WIDTH) * (bottom - top)
    return (row.value_left, top, row.value_left + width, bottom)


def second_read(
    row: Row, page: Page, reader: Reader, unread: Read[Any], *, sure: float = SURE
) -> Read[Any]:
    """The field as the second reader reads it where its crops agree, each at least `sure`
    (`agreed_read`), else `unread` as it was."""
    assert page.image is not None
    agreed = agreed_read(
        reader,
        page.image,
        second_regions(row, page),
        text_height=row.line.height,
        dpi=page.dpi,
        page=page.number,
        parse=lambda text: parse_value(row.field, value_text(row.field, text)),
        sure=sure,
    )
    if agreed is None:
        return unread
    return Read(
        value=agreed.value,
        confidence=agreed.confidence,
        page=page.number,
        box=unread.box or value_box_guess(row),
        raw=agreed.text,
        method="second_reader",
    )


def surer(first: Read[Any], row: Row, page: Page, reader: Reader) -> Read[Any]:
    """A text field tesseract read unsurely, read by the second reader too: the same text
    from both engines is sure; a different one, read more surely, replaces it (tesseract's
    chi_sim turns one stroke of a name into another character: 怡 into 恰)."""
    second = second_read(row, page, reader, Read(value=None))
    if second.value is None:
        return first
    if second.value == first.value:
        return first.model_copy(update={"confidence": max(first.confidence or 0.0, CLEAR)})
    if (second.confidence or 0.0) > (first.confidence or 0.0):
        return second.model_copy(update={"box": first.box or second.box})
    return first
