"""Seal detection: is there a red round company stamp on the page, and where.

An image check, no OCR: red pixels (RGB ratios) on a reduced copy of the page are grouped
into connected blobs, and a blob counts as a seal when its bounding box is roughly square, of
a stamp's size, and ink runs round its rim (a ring, not a red logo or a filled block).
A greyscale page cannot show red at all: that is `no_colour`, never "missing".
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from PIL import Image, ImageFilter

from checker.document import Box

WORK_WIDTH = 400  # the page is searched at this width; a 4 cm stamp on A4 is ~75 px wide
MIN_DIAMETER = 0.06  # of the page's shorter side (an A4 stamp is ~0.19, a photo's ~0.14)
MAX_DIAMETER = 0.45
MIN_SQUARENESS = 0.7  # short side / long side of the blob's box
RIM_SECTORS = 16  # the rim is cut into this many angular sectors…
MIN_RIM_SECTORS = 12  # …and a ring has ink in at least this many
COLOUR_SPREAD = 12  # a pixel whose channels differ by more than this is coloured


class SealStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    NO_COLOUR = "no_colour"  # greyscale page: a red seal cannot be told from the print


@dataclass(frozen=True)
class Seal:
    """The result of looking for a seal: status, and its box in page pixels when present."""

    status: SealStatus
    box: Box | None = None
    score: float = 0.0  # share of rim sectors with ink, 0..1


def red_mask(rgb: np.ndarray) -> np.ndarray:
    """Pixels whose red clearly dominates green and blue (stamp ink, also under a photo's cast)."""
    r, g, b = (rgb[..., index].astype(np.int16) for index in range(3))
    return (r > 90) & (r - g > 45) & (r - b > 35)


def grey_mask(rgb: np.ndarray) -> np.ndarray:
    """Mid-grey pixels: where a red stamp lands on a greyscale copy (print is near black)."""
    grey = rgb.astype(np.int16).mean(axis=2)
    return (grey > 50) & (grey < 170)


def is_colourless(image: Image.Image) -> bool:
    """True for a greyscale page: an "L" image, or RGB whose channels never really differ."""
    if image.mode != "RGB":
        return True
    small = np.asarray(image.reduce(4), dtype=np.int16)
    spread = small.max(axis=2) - small.min(axis=2)
    return not bool((spread > COLOUR_SPREAD).any())


def _components(mask: np.ndarray) -> list[np.ndarray]:
    """Connected blobs of True pixels (8-neighbour), each as an array of (row, col)."""
    seen = np.zeros_like(mask, dtype=bool)
    height, width = mask.shape
    blobs = []
    for start in zip(*np.nonzero(mask), strict=True):
        if seen[start]:
            continue
        seen[start] = True
        queue, members = deque([start]), []
        while queue:
            row, col = queue.popleft()
            members.append((row, col))
            for d_row in (-1, 0, 1):
                for d_col in (-1, 0, 1):
                    nr, nc = row + d_row, col + d_col
                    if 0 <= nr < height and 0 <= nc < width and mask[nr, nc] and not seen[nr, nc]:
                        seen[nr, nc] = True
                        queue.append((nr, nc))
        blobs.append(np.array(members))
    return blobs


def rim_score(points: np.ndarray) -> float:
    """Share of angular sectors that have ink near the rim of the blob's inscribed circle."""
    top, left = points.min(axis=0)
    bottom, right = points.max(axis=0)
    centre = np.array([(top + bottom) / 2, (left + right) / 2])
    radius = max(bottom - top, right - left) / 2
    if radius < 3:
        return 0.0
    offsets = points - centre
    distance = np.hypot(offsets[:, 0], offsets[:, 1])
    rim = offsets[distance >= 0.75 * radius]
    if not len(rim):
        return 0.0
    angles = np.arctan2(rim[:, 0], rim[:, 1])
    sectors = np.unique(((angles + np.pi) / (2 * np.pi) * RIM_SECTORS).astype(int) % RIM_SECTORS)
    return len(sectors) / RIM_SECTORS


def _stamp_box(points: np.ndarray, short_side: int) -> tuple[int, int, int, int] | None:
    """The blob's box (left, top, right, bottom) if its size and shape are a stamp's."""
    top, left = points.min(axis=0)
    bottom, right = points.max(axis=0)
    width, height = right - left + 1, bottom - top + 1
    if min(width, height) / max(width, height) < MIN_SQUARENESS:
        return None
    if not MIN_DIAMETER * short_side <= max(width, height) <= MAX_DIAMETER * short_side:
        return None
    return int(left), int(top), int(right) + 1, int(bottom) + 1


def find_seal(image: Image.Image) -> Seal:
    """Look for a red round stamp on a page image.

    On a greyscale page (an "L" image, or colour channels that never differ) a round stamp can
    be seen but not its colour: a mid-grey ring gives `no_colour` with its box, and so does
    any "L" page, whose seal could have been lost with the colour. A colour page without a
    red ring (and a neutral RGB page without a grey one) gives `absent`.
    """
    colourless = is_colourless(image)
    scale = min(1.0, WORK_WIDTH / image.width)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    small = np.asarray(image.convert("RGB").resize(size, Image.Resampling.BOX))
    ring = _best_ring(grey_mask(small) if colourless else red_mask(small), scale)
    if colourless and (ring is not None or image.mode != "RGB"):
        return Seal(SealStatus.NO_COLOUR, *(ring or (None, 0.0)))
    if ring is None:
        return Seal(SealStatus.ABSENT)
    return Seal(SealStatus.PRESENT, *ring)


def _best_ring(mask: np.ndarray, scale: float) -> tuple[Box, float] | None:
    """The box (in page pixels) and rim score of the most ring-like stamp-sized blob."""
    closed = Image.fromarray(mask.astype(np.uint8) * 255, "L").filter(ImageFilter.MaxFilter(3))
    best: tuple[Box, float] | None = None
    short_side = min(mask.shape)
    for points in _components(np.asarray(closed) > 0):
        box = _stamp_box(points, short_side)
        if box is None:
            continue
        score = rim_score(points)
        if score * RIM_SECTORS >= MIN_RIM_SECTORS and (best is None or score > best[1]):
            left, top, right, bottom = (round(value / scale) for value in box)
            best = ((left, top, right, bottom), round(score, 3))
    return best


def overlaps(box: Box, other: Box) -> bool:
    """True when two page boxes share any area."""
    return box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]
