"""Text lines found from the ink on a page image, without reading it: a horizontal profile
of the rows holding print, each line narrowed to its inked columns (a card's value lines, an
MRZ band's lines, a statement's footer)."""

from __future__ import annotations

import numpy as np

from checker.document import Box, Page
from checker.reading.second_read import InkTest, dark_ink


def ink_lines(page: Page, box: Box, *, min_height: int = 8, ink: InkTest = dark_ink) -> list[Box]:
    """Text lines inside `box`, found from the rows holding ink (a horizontal profile; `ink`
    tells print from paper: by default dark ink, above which light background patterns such
    as the card's guilloche stay). Each line's box is narrowed to its inked columns and given
    a small margin.
    """
    return [
        grown(line, page, max(4, (line[3] - line[1]) // 4))
        for line in inked_lines(page, box, min_height=min_height, ink=ink)
    ]


def inked_lines(page: Page, box: Box, *, min_height: int = 8, ink: InkTest = dark_ink) -> list[Box]:
    """The lines of `ink_lines`, each box tight around its ink (no margin)."""
    mask = ink_mask(page, box, ink)
    if mask is None:
        return []
    rows = mask.sum(axis=1) >= 2
    lines = []
    start = None
    for y, inked in enumerate([*rows, False]):
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            if y - start >= min_height:
                lines.append((start, y))
            start = None
    boxes = []
    for top, bottom in _merge_close(lines, gap=max(2, min_height // 2)):
        columns = np.flatnonzero(mask[top:bottom].any(axis=0))
        boxes.append(
            (box[0] + int(columns[0]), box[1] + top, box[0] + int(columns[-1]), box[1] + bottom)
        )
    return boxes


def ink_mask(page: Page, box: Box, ink: InkTest = dark_ink) -> np.ndarray | None:
    """Where `box` holds ink, as `ink` tells it from its grey levels."""
    if page.image is None or box[2] - box[0] < 4 or box[3] - box[1] < 4:
        return None
    grey = np.asarray(page.image.crop(box).convert("L"), dtype=np.float32)
    return ink(grey)


def grown(box: Box, page: Page, margin: int) -> Box:
    """`box` grown by `margin` px on every side, clipped to the page."""
    return (
        max(0, box[0] - margin),
        max(0, box[1] - margin),
        min(page.width, box[2] + margin),
        min(page.height, box[3] + margin),
    )


def _merge_close(spans: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """Ink rows split by a thin gap (a character's strokes) joined into one line."""
    merged: list[tuple[int, int]] = []
    for top, bottom in spans:
        if merged and top - merged[-1][1] <= gap:
            merged[-1] = (merged[-1][0], bottom)
        else:
            merged.append((top, bottom))
    return merged
