"""A field read by the second reader, taken only when its crops agree.

A field that tesseract could not read, from the page or from cleaned crops, goes to the
second reader (`checker.ocr.second_reader`): the same value cropped more than one way, each
crop read as one line. A value is taken only when at least two crops give it, no crop gives
another, and every read is sure (`SURE`): two misreads of the same print rarely agree on a
value that also passes the field's check, and a value read wrong is worse than none.

How a crop is prepared is the caller's choice (`prepare`). The default, `print_crop`, is the
red channel in grey: black print is dark in it and a red seal's ink is bright, so the strokes a
seal lies over stay (whitening the seal's ink wipes them: "11月" read as "1月", agreeing and
sure). `closed_up_crop` also narrows the wide gaps of spaced print (an ID card's).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from checker.document import Box
from checker.ocr import OcrError, Reader, RegionOptions, read_regions, stack_crops

LINE_HEIGHT = 40  # crops are scaled so their text is this tall (px): the model reads 48 px lines
SURE = 0.90  # the least score of a read that counts
WIDEST_GAP = 0.5  # blank gaps between characters are narrowed to this (in text heights)
LINE = RegionOptions(psm=7)
CropPreparer = Callable[[Image.Image, Box, int], Image.Image]  # (page, region, text height)


@dataclass(frozen=True)
class Agreed:
    """A value the second reader's crops agree on, with the text read and the least score."""

    value: object
    text: str
    confidence: float


def print_crop(image: Image.Image, box: Box, text_height: int) -> Image.Image:
    """The region's red channel (print dark, seal ink bright), contrast stretched, scaled so
    that its text is LINE_HEIGHT tall."""
    crop = image.crop(box)
    grey = crop.getchannel("R") if crop.mode == "RGB" else crop.convert("L")
    return _line_image(grey, text_height)


def closed_up_crop(image: Image.Image, box: Box, text_height: int) -> Image.Image:
    """`print_crop` with every blank gap between characters wider than WIDEST_GAP text heights
    narrowed to that: widely spaced print (an ID card's `1983 年 9 月 1 日`, its number's
    digits) is otherwise read with spaces the model is unsure of, and scored below SURE."""
    crop = image.crop(box)
    grey = crop.getchannel("R") if crop.mode == "RGB" else crop.convert("L")
    return _line_image(_gaps_closed_up(grey, max(1, round(WIDEST_GAP * text_height))), text_height)


def _gaps_closed_up(grey: Image.Image, widest: int) -> Image.Image:
    """`grey` without the blank columns of each gap beyond its first `widest`."""
    pixels = np.asarray(grey)
    ink = dark_ink(pixels)
    kept, blank = [], 0
    for column, inked in enumerate(np.any(ink, axis=0).tolist()):
        blank = 0 if inked else blank + 1
        if blank <= widest:
            kept.append(column)
    return Image.fromarray(pixels[:, kept])


def dark_ink(grey: np.ndarray) -> np.ndarray:
    """Where grey pixels are print: darker than 128 and than their median by 60 (a card's
    light background pattern stays above that)."""
    ink: np.ndarray = np.less(grey, min(128.0, float(np.percentile(grey, 50)) - 60))
    return ink


def _line_image(grey: Image.Image, text_height: int) -> Image.Image:
    grey = ImageOps.autocontrast(grey, cutoff=1)
    scale = LINE_HEIGHT / max(1, text_height)
    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
    return grey.resize(size, Image.Resampling.LANCZOS)


def agreed_read(
    reader: Reader,
    image: Image.Image,
    regions: Sequence[Box],
    *,
    text_height: int,
    dpi: int,
    page: int,
    parse: Callable[[str], object],
    prepare: CropPreparer = print_crop,
    sure: float = SURE,
) -> Agreed | None:
    """The value `parse` gets from the second reader's reads of `regions` (each prepared by
    `prepare`) when at least two agree, none disagrees and all are at least `sure`; None
    otherwise (or when the reader fails)."""
    if len(regions) < 2:
        return None
    sheet, boxes = stack_crops([prepare(image, box, text_height) for box in regions])
    try:
        readings = read_regions(reader, sheet, boxes, dpi=dpi, page=page, options=LINE)
    except OcrError:
        return None
    texts = ["".join(word.text for word in reading.words) for reading in readings]
    scores = [min((word.confidence for word in reading.words), default=0.0) for reading in readings]
    values = [parse(text) if text else None for text in texts]
    found = [value for value in values if value is not None]
    if len(found) < 2 or any(value != found[0] for value in found) or min(scores) < sure:
        return None
    best = max(range(len(texts)), key=lambda index: scores[index])
    return Agreed(found[0], texts[best], min(scores))
