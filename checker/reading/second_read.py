"""A field read by the second reader, taken only when its crops agree.

A field that tesseract could not read, from the page or from cleaned crops, goes to the
second reader (`checker.ocr.second_reader`): the same value cropped more than one way, each
crop read as one line. A value is taken only when at least two crops give it, no crop gives
another, and every read is sure (`SURE`): two misreads of the same print rarely agree on a
value that also passes the field's check, and a value read wrong is worse than none.

How a crop is prepared is the caller's choice (`prepare`). The default, `print_crop`, is the
red channel in grey: black print is dark in it and a red seal's ink is bright, so the strokes a
seal lies over stay (whitening the seal's ink wipes them: "11月" read as "1月", agreeing and
sure). `closed_up_crop` also narrows the wide gaps of spaced print (an ID card's);
`line_crop` levels a line photographed askew and keeps only it (its box, the union of a
sloping line, also holds parts of the lines above and below it).
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
MAX_TILT = 6.0  # steepest slope of a line levelled by `line_crop`, in degrees
TILT_STEP = 0.25
LINE_END_GAP = 1.5  # a blank this many text heights wide ends a line (a border, a QR code)
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


def line_crop(image: Image.Image, box: Box, text_height: int) -> Image.Image:
    """`print_crop` of the one text line nearest the middle of `box`: ended where a blank
    wider than LINE_END_GAP text heights follows its text (a page's border, a QR code or the
    desk beside it are not read into the line), levelled (the slope at which its ink's rows
    are sharpest, as a projection profile deskews a scan), and cut to that line's rows; the
    region's own margin before the text is kept. Scaled by the line's own height, measured on
    its ink (a sloping line's box is taller than its text)."""
    crop = image.crop(box)
    grey = crop.getchannel("R") if crop.mode == "RGB" else crop.convert("L")
    if grey.width == 0 or grey.height == 0:  # an empty region: nothing to level or cut
        return _line_image(grey, text_height)
    ink = dark_ink(np.asarray(grey))
    if not ink.any():
        return _line_image(grey, text_height)
    right = _line_end(np.any(ink, axis=0), LINE_END_GAP * text_height)
    grey = grey.crop((0, 0, min(grey.width, right + text_height // 2), grey.height))
    degrees = _tilt(ink[:, :right])
    if degrees:
        grey = grey.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
    ink = dark_ink(np.asarray(grey))
    rows = _middle_line(ink.sum(axis=1))
    if rows is None:
        return _line_image(grey, text_height)
    top, bottom = rows
    height = bottom - top
    right = _line_end(np.any(ink[top:bottom], axis=0), LINE_END_GAP * height)
    pad = max(2, height // 3)
    grey = grey.crop((0, max(0, top - pad), min(grey.width, right + pad), bottom + pad))
    return _line_image(grey, height)


def _tilt(ink: np.ndarray) -> float:
    """The rotation (degrees, counter-clockwise) that levels the ink's lines: the one whose
    row profile is sharpest (sum of squared row counts), the smallest of equals."""
    ys, xs = np.nonzero(ink)
    xs = xs - xs.mean()
    best, best_score = 0.0, -1.0
    steps = int(MAX_TILT / TILT_STEP)
    for step in sorted(range(-steps, steps + 1), key=abs):
        degrees = step * TILT_STEP
        rows = np.round(ys - np.tan(np.radians(degrees)) * xs).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        score = float((counts.astype(np.float64) ** 2).sum())
        if score > best_score * 1.0001:
            best, best_score = degrees, score
    return best


def _middle_line(profile: np.ndarray) -> tuple[int, int] | None:
    """The rows (top, bottom) of the band of ink nearest the profile's middle: rows with ink,
    bands split where a row holds little of it (under a tenth of the fullest row)."""
    inked = profile > max(1.0, 0.1 * float(profile.max()))
    bands, start = [], None
    for row, on in enumerate([*inked.tolist(), False]):
        if on and start is None:
            start = row
        elif not on and start is not None:
            bands.append((start, row))
            start = None
    bands = [band for band in bands if band[1] - band[0] >= 3]
    if not bands:
        return None
    middle = len(profile) / 2
    return min(bands, key=lambda band: max(0, band[0] - middle, middle - band[1]))


def _line_end(columns: np.ndarray, widest: float) -> int:
    """Where a line's ink ends (one past its last inked column): at the first blank wider
    than `widest` after its first ink."""
    inked = np.nonzero(columns)[0]
    if not len(inked):
        return len(columns)
    right = int(inked[0])
    for column in inked.tolist():
        if column - right > widest:
            break
        right = column
    return right + 1


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


InkTest = Callable[[np.ndarray], np.ndarray]  # grey levels -> where they are print


def dark_ink(grey: np.ndarray) -> np.ndarray:
    """Where grey pixels are print: darker than 128 and than their median by 60 (a card's
    light background pattern stays above that)."""
    ink: np.ndarray = np.less(grey, min(128.0, float(np.percentile(grey, 50)) - 60))
    return ink


def grey_ink(grey: np.ndarray) -> np.ndarray:
    """Where grey pixels are print on plain paper: darker than their median by 60, however
    light (a statement's grey footer photographed reads 130-180 on paper at 237)."""
    ink: np.ndarray = np.less(grey, float(np.percentile(grey, 50)) - 60)
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
