"""Where a certificate's signature and seal stand: the issuer's name and the issue date
(`signature_block`), the seal looked for on them first (`seal_fields`), and a line the page
read missed under the seal, looked for as the printed line nearest where it should be
(`ink_line`: print is dark in the red channel, the seal's ink is not)."""

from __future__ import annotations

import dataclasses
import itertools
import statistics

import numpy as np
from PIL import Image

from checker.document import Box, Page, Word
from checker.documents._certificate.fields import DEFAULT_VALUE_WIDTH, VALUE_WIDTH
from checker.reading.seal import SealStatus, find_seal
from checker.rows.label_value import Row
from checker.rows.lines import Line, box_of, line_span
from schemas.reads import Read, Reads

BAND_HALF_HEIGHT = 13  # tenths of a text line: a band looked in for a line not read
DATE_LINE_WIDTH = 16  # text heights from the date's label to the end of the date
SIGNATURE_FIELDS = ("issuer", "issue_date")
SIGNATURE_WIDTH = 24  # text heights from the issuer's label to the end of a long name
INK_LEVEL = 0.5  # print: red channel below this share of the paper's


def row_below(row: Row, field: str, pitch: int) -> Row:
    """The line printed under a row, where nothing of it was read (the date under the issuer):
    a band one row pitch down, from the row's left edge, wide enough for a label and a date
    (the issuer's line may be read only up to the seal, so its width says little)."""
    top, bottom = line_span(row.line)
    height = bottom - top
    middle = (top + bottom) // 2 + pitch
    left = row.line.box[0]
    region = (
        max(0, left - height // 2),
        middle - BAND_HALF_HEIGHT * height // 10,
        max(row.line.box[2], left + DATE_LINE_WIDTH * height),
        middle + BAND_HALF_HEIGHT * height // 10,
    )
    return _ghost_row(field, row.line.page, region, middle, height)


def _ghost_row(field: str, page: int, region: Box, middle: int, height: int) -> Row:
    """A row where nothing was read: its `region` is where to look for the value."""
    box = (region[0], middle - height // 2, region[0] + 1, middle + height // 2)
    ghost = Word("", box, 0.0, (0, 0, 0))
    return Row(field, Line(page, (ghost,)), region[0], (), 0.0, region=region)


def signature_block(rows: dict[str, Row]) -> Box | None:
    """Where the issuer's name and the issue date are printed, from their own rows (found by
    label, or the line under the issuer's), or None when neither was found there.

    A row counts only below every other labelled row (a body line that matched 单位 is no
    signature). The block reaches SIGNATURE_WIDTH text heights right of its left edge: the
    seal hides the name it is stamped on, so the issuer's line is often read only up to the
    seal. Without the issuer's row it reaches one row pitch above the date (the issuer's
    line), without the date's one pitch below the issuer's; and one text height further on
    every side, so that a seal which only touches the print counts as on it.
    """
    others = [row.line.box[3] for field, row in rows.items() if field not in SIGNATURE_FIELDS]
    lowest = max(others, default=0)
    found = {
        field: rows[field].region or rows[field].line.box
        for field in SIGNATURE_FIELDS
        if field in rows and rows[field].line.middle > lowest
    }
    if not found:
        return None
    height, pitch = text_metrics(rows)
    left = min(box[0] for box in found.values())
    top = min(box[1] for box in found.values()) - (0 if "issuer" in found else pitch)
    right = max(*(box[2] for box in found.values()), left + SIGNATURE_WIDTH * height)
    bottom = max(box[3] for box in found.values()) + (0 if "issue_date" in found else pitch)
    return (max(0, left - height), max(0, top - height), right + height, bottom + height)


def text_metrics(rows: dict[str, Row]) -> tuple[int, int]:
    """Typical text height and distance between rows, from the labelled rows read."""
    unique = {id(row.line): row.line for row in rows.values()}.values()
    lines = sorted(unique, key=lambda line: line.middle)
    height = int(statistics.median(line.height for line in lines)) if lines else 48
    steps = [b.middle - a.middle for a, b in itertools.pairwise(lines)]
    steps = [step for step in steps if step < 4 * height]
    return height, int(statistics.median(steps)) if steps else round(2.1 * height)


def date_under_seal(seal: Box, rows: dict[str, Row], page: int) -> Row:
    """The issue date where the seal hid it from the page read: the stamp is centred on the
    issuer's name and the date is the next line under it, one row pitch down. The band is
    2.6 text lines tall; `located` narrows it to the printed line nearest its middle."""
    height, pitch = text_metrics(rows)
    left, top, right, bottom = seal
    middle = (top + bottom) // 2 + height // 2 + pitch
    region = (
        max(0, left - (right - left)),
        middle - BAND_HALF_HEIGHT * height // 10,
        right,
        middle + BAND_HALF_HEIGHT * height // 10,
    )
    return _ghost_row("issue_date", page, region, middle, height)


def reaching_past_seal(row: Row, seal: Box) -> Row:
    """A band where nothing was read (the date looked for under the issuer's line) that starts
    inside the seal widened left as `date_under_seal` looks: the issuer's line was read only
    from the seal's edge on, so its label and the date's start lie under or left of it."""
    if row.words or row.region is None or not seal[0] < row.region[0] < seal[2]:
        return row
    left = max(0, seal[0] - (seal[2] - seal[0]))
    return dataclasses.replace(row, region=(left, *row.region[1:]))


def issuer_under_seal(seal: Box, rows: dict[str, Row], page: Page) -> Row:
    """The employer's name where the seal hid it and no other line names it (the prose
    form's signature): the stamp is centred on the issuer's name, which may run past the
    seal on either side. `located` narrows the band to the printed line."""
    height, _ = text_metrics(rows)
    left, top, right, bottom = seal
    middle = (top + bottom) // 2 + height // 2
    region = (
        max(0, left - (right - left)),
        middle - BAND_HALF_HEIGHT * height // 10,
        min(page.width, right + (right - left)),
        middle + BAND_HALF_HEIGHT * height // 10,
    )
    return _ghost_row("employer", page.number, region, middle, height)


def located(row: Row, page: Page, pitch: int) -> Row:
    """A row with nothing read (a band where its value should be) narrowed to the printed line
    nearest the band's middle, searched one row pitch up and down: a stamp's offset or a
    photo's distortion can put the line off the band's middle, and a band that cuts into the
    line above makes the single-line read fail. The row is unchanged when no line is found."""
    if row.words or row.region is None or page.image is None:
        return row
    left, top, right, bottom = row.region
    middle, height = (top + bottom) // 2, row.line.height
    search = (
        left,
        max(0, middle - pitch),
        min(page.width, right),
        min(page.height, middle + pitch),
    )
    line = ink_line(page.image, search, middle, height)
    if line is None:
        return row
    pad = height // 3
    region = (
        max(0, line[0] - height // 2),
        max(0, line[1] - pad),
        min(page.width, line[2] + height // 2),
        min(page.height, line[3] + pad),
    )
    return _ghost_row(row.field, row.line.page, region, (line[1] + line[3]) // 2, height)


def print_ink(crop: Image.Image) -> np.ndarray:
    """Where `crop` holds print: pixels of the red channel darker than INK_LEVEL of the paper's
    (black print is dark in every channel, a red seal's ink is bright in the red one)."""
    pixels = np.asarray(crop.convert("RGB") if crop.mode != "L" else crop)
    red = pixels[..., 0] if pixels.ndim == 3 else pixels
    if not red.size:
        return np.zeros(red.shape, dtype=bool)
    ink: np.ndarray = red < INK_LEVEL * np.percentile(red, 90)
    return ink


def ink_line(image: Image.Image, search: Box, middle: int, height: int) -> Box | None:
    """The box of the printed text line in `search` whose middle is nearest `middle`.

    Print is found as dark pixels of the red channel: black print is dark in every channel,
    a red seal's ink is bright in the red one, so the stamp does not join or hide the lines.
    A line is a run of rows with ink (gaps under a quarter line joined) between half and twice
    a text line tall; its width is the widest group of ink columns (gaps under two lines
    joined), which leaves out specks and the stamp's edge.
    """
    ink = print_ink(image.crop(search))
    if not ink.size:
        return None
    lines = [
        (start, end)
        for start, end in _runs(ink.sum(axis=1), max(2, height // 8), max(1, height // 4))
        if height // 2 <= end - start <= 2 * height
    ]
    if not lines:
        return None
    top, bottom = min(lines, key=lambda run: abs(search[1] + (run[0] + run[1]) / 2 - middle))
    columns = _runs(ink[top:bottom].sum(axis=0), 1, 2 * height)
    first, last = max(columns, key=lambda run: run[1] - run[0])
    return (search[0] + first, search[1] + top, search[0] + last, search[1] + bottom)


def _runs(profile: np.ndarray, least: int, gap: int) -> list[tuple[int, int]]:
    """(start, end) of the runs where `profile` is at least `least`, gaps up to `gap` joined."""
    runs: list[list[int]] = []
    for index in np.flatnonzero(profile >= least).tolist():
        if runs and index - runs[-1][1] <= gap:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    return [(start, end + 1) for start, end in runs]


def with_ink_end(row: Row, image: Image.Image) -> Row:
    """`row` with `ink_right` set where the print runs on past the last word read by more
    than half a text height (a character the page read dropped: 数据分析[师]); the text ends
    at the first blank gap wider than a text height, and a table's rule (ink down the whole
    band) is no print."""
    if not row.words or row.found == "prose" or row.region is not None:
        return row
    height = row.line.height
    _, top, right, bottom = box_of(row.words)
    end = min(image.width, right + VALUE_WIDTH.get(row.field, DEFAULT_VALUE_WIDTH) * height)
    if end - right <= height // 2 or bottom <= top:
        return row
    ink = print_ink(image.crop((right, top, end, bottom)))
    counts = ink.sum(axis=0)
    printed = (counts > 0) & (counts < 0.9 * ink.shape[0])
    last = None
    for column in np.flatnonzero(printed).tolist():
        if column - (last if last is not None else 0) > height:
            break
        last = column
    if last is None or last <= height // 2:
        return row
    return dataclasses.replace(row, ink_right=right + last)


def seal_fields(page: Page | None, near: Box | None = None) -> Reads:
    """has_seal / seal_box from the page image (a text-layer page's small render, its boxes
    scaled to the page), a stamp on `near` taken first; None (not checked) without either."""
    image = None if page is None else page.image if page.image is not None else page.preview
    if page is None or image is None:
        return {
            "has_seal": Read(value=None, page=page.number if page else None, method="none"),
            "seal_box": Read(value=None, method="none"),
        }
    scale = page.width / image.width

    def scaled(box: Box | None, factor: float) -> Box | None:
        return None if box is None else tuple(round(v * factor) for v in box)  # type: ignore[return-value]

    seal = find_seal(image, scaled(near, 1 / scale))
    box = scaled(seal.box, scale)
    has_seal = {SealStatus.PRESENT: True, SealStatus.ABSENT: False}.get(seal.status)
    method = "image" if page.image is not None else "render"
    return {
        "has_seal": Read(
            value=has_seal,
            confidence=seal.score,
            page=page.number,
            box=box,
            raw=seal.status.value,
            method=method,
        ),
        "seal_box": Read(value=box, page=page.number, box=box, method=method),
    }
