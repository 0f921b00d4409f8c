"""Flattening a photographed sheet: find the paper's four corners, map it to an upright page.

A phone photo shows the sheet at an angle (perspective, a few degrees of rotation) on a darker
background; tesseract reads a ruled table far worse when its rows slope (NOTES-OCR: 3° drops
exact amounts to about 0.75). This module finds the sheet as the bright region of the frame,
fits a straight line to each of its four edges (robust to rounded or shadowed corners),
intersects them into a quadrilateral, and resamples that quadrilateral to an upright
rectangle with Pillow's perspective transform, at about the photo's own resolution.

It flattens only where that is safe: a sheet clearly set off from its background, wholly
inside the frame (a sheet running off the frame is left as it is), whose four edges are
straight lines, with a portrait page's proportions (A4, Letter). ID cards (landscape, card
proportions) and scans (paper edge to edge) are left alone. Measured on the sample photos:
corners within 3 px of the truth, 25-45 ms to find them and 0.15 s to flatten a 1600 × 2133
photo. Statement photos use it (`checker.statements.photo`); the quality gate does not, as
flattening lost fields on the certificate photos (measured twice; see that module).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from checker.document import Box, Page, Reading

Point = tuple[float, float]

FIND_SIDE = 800  # long side of the copy the sheet is looked for on, in pixels
SOLID_RUN = 0.04  # a stretch this share of the copy's short side, mostly paper,
SOLID_DENSITY = 0.8  # ... this much, starts the sheet
EDGE_INNER = (0.12, 0.88)  # part of each edge used to fit its line (away from the corners)
EDGE_FIT_TOLERANCE = 1.5  # pixels of the copy: points further off a line are not its edge
MIN_EDGE_INLIERS = 0.8  # share of an edge's points that must lie on its line
FRAME_MARGIN = 0.01  # a corner this close to the frame's edge: the sheet may run off it
SHEET_SHARE = (0.2, 0.97)  # share of the frame a sheet covers
SHEET_ASPECT = (1.25, 1.6)  # height / width of a portrait page: A4 1.414, Letter 1.294
MIN_CONTRAST = 40.0  # grey levels between the paper and its background
MIN_PAPER_INSIDE = 0.85  # share of the quadrilateral's pixels that are paper-bright
MAX_PAPER_OUTSIDE = 0.03  # share of the pixels outside it that are
EDGE_INSET = 0.004  # share of the sheet cut from each edge: the paper's border, not the desk
PAPER_SHORT_INCHES = 8.27  # A4's short side; Letter's (8.5) is 3% longer
# The flattened sheet keeps the photo's own resolution, within these bounds (measured on the
# statement photos: 150 read as many amounts exactly as 200 or 300 and letter-spaced labels
# better; 300 is enough for any page, more only costs time).
MIN_DPI, MAX_DPI = 150, 300


@dataclass(frozen=True)
class Sheet:
    """A sheet found in a photo: its corners (clockwise from top left, in image pixels)."""

    corners: tuple[Point, Point, Point, Point]
    size: tuple[int, int]  # the flattened sheet's width and height, in pixels
    dpi: int  # the flattened sheet's resolution, if it is an A4 or Letter page
    photo_size: tuple[int, int]  # the photo's width and height


def find_sheet(image: Image.Image) -> Sheet | None:
    """The paper sheet photographed on a darker background, or None when there is none that
    is safe to flatten (see the module's docstring)."""
    scale = min(1.0, FIND_SIDE / max(image.size))
    small = image.convert("L")
    if scale < 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        small = small.resize(size, Image.Resampling.BOX)
    grey = np.asarray(small, dtype=np.float32)
    threshold = _otsu(grey)
    if threshold is None:
        return None
    paper = grey > threshold
    lines = _edge_lines(paper)
    if lines is None:
        return None
    corners = _corners(*lines)
    if corners is None or not _plausible(corners, grey, paper):
        return None
    a, b, c, d = ((x / scale, y / scale) for x, y in corners)  # on the photo
    return _sheet((a, b, c, d), image.size)


@dataclass(frozen=True)
class Flattened:
    """A page's sheet flattened: the upright page, the page as photographed, and the map back
    to the photo."""

    page: Page
    sheet: Sheet
    photo: Page

    def on_photo(self, reading: Reading) -> Reading:
        """A reading of the flattened page with every word's box put on the photo."""
        words = [
            dataclasses.replace(word, box=self.box_on_photo(word.box)) for word in reading.words
        ]
        return dataclasses.replace(reading, words=words)

    def box_on_photo(self, box: Box) -> Box:
        """A box on the flattened page as the box around the same spot of the photo."""
        matrix = _homography(_rectangle(self.sheet.size), list(self.sheet.corners))
        points = np.array(
            [[box[0], box[1], 1], [box[2], box[1], 1], [box[2], box[3], 1], [box[0], box[3], 1]],
            dtype=np.float64,
        )
        mapped = points @ matrix.T
        xs, ys = mapped[:, 0] / mapped[:, 2], mapped[:, 1] / mapped[:, 2]
        return (
            max(0, math.floor(xs.min())),
            max(0, math.floor(ys.min())),
            min(self.sheet.photo_size[0], math.ceil(xs.max())),
            min(self.sheet.photo_size[1], math.ceil(ys.max())),
        )


def flatten(page: Page) -> Flattened | None:
    """The page's sheet flattened to an upright page (same number, the sheet's resolution),
    or None when the page has no sheet that is safe to flatten."""
    if page.image is None or page.text_layer is not None:
        return None
    sheet = find_sheet(page.image)
    if sheet is None:
        return None
    image = warp(page.image, sheet)
    flat = dataclasses.replace(
        page, image=image, width=image.width, height=image.height, dpi=sheet.dpi
    )
    return Flattened(page=flat, sheet=sheet, photo=page)


@dataclass(frozen=True)
class FlatRead:
    """A photographed sheet flattened before its first whole-page read, and that read (boxes
    on the flattened page)."""

    flattened: Flattened
    reading: Reading


def warp(image: Image.Image, sheet: Sheet) -> Image.Image:
    """The sheet's quadrilateral resampled to an upright rectangle of `sheet.size`."""
    coefficients = _homography(_rectangle(sheet.size), list(sheet.corners))  # output -> input
    return image.transform(
        sheet.size,
        Image.Transform.PERSPECTIVE,
        tuple(coefficients.flatten()[:8]),
        Image.Resampling.BICUBIC,
        fillcolor="white" if image.mode == "RGB" else 255,
    )


# --- finding the edges -----------------------------------------------------------------------


def _otsu(grey: np.ndarray) -> float | None:
    """The grey level that best splits the image in two (Otsu's method); None for an image
    of one grey level."""
    histogram = np.bincount(grey.astype(np.uint8).ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(histogram)
    total = weight[-1]
    mean = np.cumsum(histogram * levels)
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean[-1] * weight / total - mean) ** 2 / (weight * (total - weight))
    between = between[:-1]
    if not np.isfinite(between).any():
        return None
    return float(np.nanargmax(np.where(np.isfinite(between), between, np.nan)))


def _first_runs(mask: np.ndarray, run: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row: where the paper begins and ends (pixel boundaries: the first paper pixel's
    left side, the last one's right side), taking the outermost paper pixels that start or
    end a stretch of `run` pixels that is mostly paper (text on the sheet is not); -1 where
    the row has none."""
    width = mask.shape[1]
    sums = np.concatenate(
        [np.zeros((mask.shape[0], 1), dtype=np.int32), np.cumsum(mask, axis=1, dtype=np.int32)],
        axis=1,
    )
    dense = (sums[:, run:] - sums[:, :-run]) >= SOLID_DENSITY * run  # mask[y, x:x+run]
    starts = dense & mask[:, : width - run + 1]
    ends = dense & mask[:, run - 1 :]
    found = starts.any(axis=1)
    first = np.where(found, starts.argmax(axis=1), -1)
    last = np.where(found, width - ends[:, ::-1].argmax(axis=1), -1)
    return first, last


def _edge_lines(paper: np.ndarray) -> tuple[np.ndarray, ...] | None:
    """The four edge lines (left, top, right, bottom) as (a, b) with x = a·y + b for the
    side edges and y = a·x + b for the top and bottom; None when an edge is not straight."""
    run = max(3, round(SOLID_RUN * min(paper.shape)))
    left, right = _first_runs(paper, run)
    top, bottom = _first_runs(paper.T, run)
    lines = []
    for positions in (left, top, right, bottom):
        line = _fit_edge(positions)
        if line is None:
            return None
        lines.append(line)
    return tuple(lines)


def _fit_edge(positions: np.ndarray) -> np.ndarray | None:
    """A line through an edge's points (position per row or column), fitted on the middle
    of the edge and refitted on the points close to it."""
    along = np.nonzero(positions >= 0)[0]
    if len(along) < 20:
        return None
    low, high = along[0], along[-1]
    span = high - low
    inner = along[(along >= low + EDGE_INNER[0] * span) & (along <= low + EDGE_INNER[1] * span)]
    across = positions[inner].astype(np.float64)
    centres = inner.astype(np.float64) + 0.5  # a row's pixels stand for its middle
    line = _robust_line(centres, across)
    if line is None:
        return None
    residual = np.abs(across - (line[0] * centres + line[1]))
    if (residual <= EDGE_FIT_TOLERANCE).mean() < MIN_EDGE_INLIERS:
        return None
    return line


def _robust_line(xs: np.ndarray, ys: np.ndarray) -> np.ndarray | None:
    """y = a·x + b by least squares, refitted twice on the points near the previous fit."""
    keep = np.ones(len(xs), dtype=bool)
    line = None
    for _ in range(3):
        if keep.sum() < 10:
            return None
        line = np.polyfit(xs[keep], ys[keep], 1)
        residual = np.abs(ys - (line[0] * xs + line[1]))
        keep = residual <= max(EDGE_FIT_TOLERANCE, 2.5 * float(np.median(residual)))
    return line


def _corners(
    left: np.ndarray, top: np.ndarray, right: np.ndarray, bottom: np.ndarray
) -> tuple[Point, Point, Point, Point] | None:
    """The quadrilateral's corners, clockwise from top left, where adjacent edges meet."""
    corners = []
    for side, level in ((left, top), (right, top), (right, bottom), (left, bottom)):
        # x = a·y + b and y = c·x + d  ->  y = c·(a·y + b) + d
        a, b = side
        c, d = level
        denominator = 1 - c * a
        if abs(denominator) < 1e-6:
            return None
        y = (c * b + d) / denominator
        corners.append((float(a * y + b), float(y)))
    return corners[0], corners[1], corners[2], corners[3]


def _plausible(
    corners: tuple[Point, Point, Point, Point], grey: np.ndarray, paper: np.ndarray
) -> bool:
    """A whole sheet, set off from its background, with a paper sheet's proportions."""
    height, width = grey.shape
    margin = FRAME_MARGIN * min(width, height)
    if any(
        not (margin <= x <= width - margin and margin <= y <= height - margin) for x, y in corners
    ):
        return False
    if not _convex(corners):
        return False
    inside = _polygon_mask(corners, grey.shape)
    share = inside.mean()
    if not SHEET_SHARE[0] <= share <= SHEET_SHARE[1]:
        return False
    sides = _side_lengths(corners)
    across, down = (sides[0] + sides[2]) / 2, (sides[1] + sides[3]) / 2
    if not SHEET_ASPECT[0] <= down / max(across, 1.0) <= SHEET_ASPECT[1]:
        return False
    if float(np.median(grey[inside])) - float(np.median(grey[~inside])) < MIN_CONTRAST:
        return False
    core = _polygon_mask(_shrunk(corners, 0.02), grey.shape)
    ring_out = ~_polygon_mask(_shrunk(corners, -0.02), grey.shape)
    return bool(
        paper[core].mean() >= MIN_PAPER_INSIDE and paper[ring_out].mean() <= MAX_PAPER_OUTSIDE
    )


def _convex(corners: tuple[Point, ...]) -> bool:
    signs = []
    for index in range(4):
        (x0, y0), (x1, y1), (x2, y2) = (corners[(index + step) % 4] for step in range(3))
        signs.append((x1 - x0) * (y2 - y1) - (y1 - y0) * (x2 - x1) > 0)
    return all(signs) or not any(signs)


def _side_lengths(corners: tuple[Point, ...]) -> list[float]:
    """Top, right, bottom, left."""
    return [math.dist(corners[index], corners[(index + 1) % 4]) for index in range(4)]


def _shrunk(corners: tuple[Point, ...], share: float) -> tuple[Point, ...]:
    """The corners moved towards the centre by `share` of their distance (outwards if < 0)."""
    cx = sum(x for x, _ in corners) / 4
    cy = sum(y for _, y in corners) / 4
    return tuple((x + (cx - x) * share, y + (cy - y) * share) for x, y in corners)


def _polygon_mask(corners: tuple[Point, ...], shape: tuple[int, ...]) -> np.ndarray:
    """Pixels inside a convex polygon (the same side of every edge)."""
    ys, xs = np.mgrid[0 : shape[0], 0 : shape[1]]
    xs = xs + 0.5
    ys = ys + 0.5
    sides = []
    for index in range(len(corners)):
        (x0, y0), (x1, y1) = corners[index], corners[(index + 1) % len(corners)]
        sides.append((x1 - x0) * (ys - y0) - (y1 - y0) * (xs - x0) >= 0)
    inside: np.ndarray = np.logical_and.reduce(sides) | np.logical_and.reduce(
        [~side for side in sides]
    )
    return inside


# --- the flattened sheet ---------------------------------------------------------------------


def _sheet(corners: tuple[Point, Point, Point, Point], photo: tuple[int, int]) -> Sheet:
    """The output size and resolution for the sheet found at `corners` (a portrait page)."""
    sides = _side_lengths(corners)
    across, down = (sides[0] + sides[2]) / 2, (sides[1] + sides[3]) / 2
    native = across / PAPER_SHORT_INCHES
    dpi = min(MAX_DPI, max(MIN_DPI, round(native)))
    zoom = dpi / native
    kept = 1 - EDGE_INSET
    size = (round(across * kept * zoom), round(down * kept * zoom))
    a, b, c, d = _shrunk(corners, EDGE_INSET)
    return Sheet(corners=(a, b, c, d), size=size, dpi=dpi, photo_size=photo)


def _rectangle(size: tuple[int, int]) -> list[Point]:
    width, height = float(size[0]), float(size[1])
    return [(0.0, 0.0), (width, 0.0), (width, height), (0.0, height)]


def _homography(source: list[Point], target: list[Point]) -> np.ndarray:
    """The 3 × 3 projective map sending each source point to its target point."""
    rows, values = [], []
    for (x, y), (u, v) in zip(source, target, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    solution = np.linalg.solve(np.array(rows, dtype=np.float64), np.array(values, dtype=np.float64))
    return np.append(solution, 1.0).reshape(3, 3)
