"""The person's name, when the second reader read the page (a landscape 正本 is read by it
first, a page tesseract left unsure is classified on its reading), read once more by the page
reader as one cleaned line crop: the same name is sure; another one leaves it unsure (RapidOCR
reads 黄 as 黃 in some fonts), so a name unlike the applicant's is then a likely misread,
not a wrong person. The name decides whose licence it is: it is worth the ~0.3 s."""

from __future__ import annotations

from checker.documents import Content
from checker.documents._certificate.reread import clean_crop
from checker.documents._licence.cells import fold
from checker.documents._licence.extraction import CLEAR
from checker.documents._licence.values import text_value
from checker.ocr import OcrError, RegionOptions, read_regions, stack_crops
from schemas.reads import Reads

CHINESE_LINE = RegionOptions(psm=7, languages="chi_sim")
DISPUTED = CLEAR - 0.01  # a name the two engines read differently: unsure
CONFIRMED_FIELDS = ("representative",)
# the crop's text scaled to these heights (px), read in one call: chi_sim loses the last
# character of a name at one size and not the other (张晓燕 at 48 px, 张晓菩 at 40)
LINE_HEIGHTS = (40, 48)


def confirmed_by_page_reader(content: Content, fields: Reads) -> Reads:
    """`fields` with the person's name confirmed or disputed by the page reader, when the
    second reader read the page and the page reader is another engine."""
    reading = content.readings[0] if content.readings else None
    reader, second = content.reader, content.second_reader
    page = next((p for p in content.pages if reading and p.number == reading.page), None)
    if reading is None or page is None or page.image is None or reader is None or second is None:
        return fields
    if not reading.engine.startswith(second.name) or reader.name == second.name:
        return fields
    checked = dict(fields)
    for field in CONFIRMED_FIELDS:
        read = fields.get(field)
        if read is None or read.value is None or read.box is None or read.method == "confirmed":
            continue
        height = read.box[3] - read.box[1]
        pad = height // 3
        box = (
            max(0, read.box[0] - pad),
            max(0, read.box[1] - pad),
            min(page.width, read.box[2] + pad),
            min(page.height, read.box[3] + pad),
        )
        crops = [clean_crop(page.image, box, height, line) for line in LINE_HEIGHTS]
        sheet, boxes = stack_crops(crops)
        try:
            readings = read_regions(
                reader, sheet, boxes, dpi=page.dpi, page=page.number, options=CHINESE_LINE
            )
        except OcrError:
            continue
        texts = [fold("".join(word.text for word in again.words)) for again in readings]
        if read.value in [text_value(field, text) for text in texts]:
            sure = max(read.confidence or 0.0, CLEAR)
            checked[field] = read.model_copy(update={"confidence": sure, "method": "confirmed"})
        else:
            unsure = min(read.confidence or 0.0, DISPUTED)
            checked[field] = read.model_copy(update={"confidence": unsure, "method": "disputed"})
    return checked
