"""Seal detection: is there a red round company stamp on the page, and where.

An image check, no OCR: red pixels (RGB ratios) on a reduced copy of the page are grouped
into connected blobs, and a blob counts as a seal when its bounding box is roughly square, of
a stamp's size, and ink runs round its rim (a ring, not a red logo or a filled block).
A greyscale page cannot show red at all: that is `no_colour`, never "missing".
"""

from __future__ import annotations

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
    mask: np.ndarray = (grey > 50) & (grey < 170)
    return mask


def is_colourless(image: Image.Image) -> bool:
    """True for a greyscale page: an "L" image, or RGB (RGBX) whose channels never really
    differ."""
    if image.mode not in ("RGB", "RGBX"):
        return True
    reduced = np.asarray(image.reduce(4))[..., :3]
    r, g, b = (channel.astype(np.int16) for channel in np.moveaxis(reduced, 2, 0))
    # max - min of a pixel's channels is its largest pairwise difference (numpy's max over
    # a last axis of 3 is ~30× slower than these whole-array operations)
    spread = max(int(np.abs(r - g).max()), int(np.abs(g - b).max()), int(np.abs(r - b).max()))
    return spread <= COLOUR_SPREAD


def _components(mask: np.ndarray) -> list[np.ndarray]:
    """Connected blobs of True pixels (8-neighbour), each as an array of (row, col).

    Labelled by runs: each row's runs of True pixels are found with numpy, and a run joins
    every run of the row above that it touches (diagonals included); a union-find over runs
    is a few hundred steps on a page, where a pixel-by-pixel search was a few thousand.
    """
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    run_rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)  # same order: row by row, left to right
    parent = list(range(len(starts)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    row_first = np.searchsorted(run_rows, np.arange(mask.shape[0] + 1))
    for row in range(1, mask.shape[0]):
        above = range(row_first[row - 1], row_first[row])
        for run in range(row_first[row], row_first[row + 1]):
            for other in above:  # 8-neighbour: runs touch when they overlap one column wider
                if starts[other] <= ends[run] and starts[run] <= ends[other]:
                    parent[root(run)] = root(other)
    members: dict[int, list[int]] = {}
    for run in range(len(starts)):
        members.setdefault(root(run), []).append(run)
    return [
        np.concatenate(
            [
                np.column_stack(
                    (
                        np.full(ends[run] - starts[run], run_rows[run]),
                        np.arange(starts[run], ends[run]),
                    )
                )
                for run in runs
            ]
        )
        for runs in members.values()
    ]


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


def find_seal(image: Image.Image, near: Box | None = None) -> Seal:
    """Look for a red round stamp on a page image; of several rings, one on `near` (where the
    stamp belongs: the signature) wins over the most ring-like elsewhere (a round red logo).

    On a greyscale page (an "L" image, or colour channels that never differ) a round stamp can
    be seen but not its colour: a mid-grey ring gives `no_colour` with its box, and so does
    any "L" page, whose seal could have been lost with the colour. A colour page without a
    red ring (and a neutral RGB page without a grey one) gives `absent`.
    """
    if image.mode not in ("RGB", "L"):  # palette, RGBA, CMYK… can all show red
        image = image.convert("RGB")
    small, scale = work_copy(image)
    if image.mode == "RGB":  # a red ring is colour: the greyscale test is needed without one
        ring = _best_ring(red_mask(small), scale, near)
        if ring is not None:
            return Seal(SealStatus.PRESENT, *ring)
        if not is_colourless(image):
            return Seal(SealStatus.ABSENT)
    ring = _best_ring(grey_mask(small), scale, near)
    if ring is not None or image.mode != "RGB":
        return Seal(SealStatus.NO_COLOUR, *(ring or (None, 0.0)))
    return Seal(SealStatus.ABSENT)


def work_copy(image: Image.Image) -> tuple[np.ndarray, float]:
    """The page (RGB or grey) about WORK_WIDTH wide as an RGB array, and its scale to the
    page: shrunk by a whole factor with `Image.reduce` (box averages, like the BOX resize
    it replaces, without a full-size RGB copy first: 6 ms instead of 30 on an A4 scan)."""
    factor = max(1, image.width // WORK_WIDTH)
    small = image.reduce(factor) if factor > 1 else image
    return np.asarray(small.convert("RGB")), small.width / image.width


def _best_ring(mask: np.ndarray, scale: float, near: Box | None) -> tuple[Box, float] | None:
    """The box (in page pixels) and rim score of the most ring-like stamp-sized blob, taking
    those that overlap `near` first."""
    closed = Image.fromarray(mask.astype(np.uint8) * 255, "L").filter(ImageFilter.MaxFilter(3))
    rings: list[tuple[Box, float]] = []
    short_side = min(mask.shape)
    for points in _components(np.asarray(closed) > 0):
        box = _stamp_box(points, short_side)
        if box is None:
            continue
        score = rim_score(points)
        if score * RIM_SECTORS >= MIN_RIM_SECTORS:
            left, top, right, bottom = (round(value / scale) for value in box)
            rings.append(((left, top, right, bottom), round(score, 3)))
    if not rings:
        return None
    return max(rings, key=lambda ring: (near is not None and overlaps(ring[0], near), ring[1]))


def overlaps(box: Box, other: Box) -> bool:
    """True when two page boxes share any area."""
    return box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]
