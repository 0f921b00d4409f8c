"""A page's tilt from its words' boxes, as a projection profile deskews a scan (`skew`): the
statements level their rows by it and `checker.rows.lines.page_rows` compares heights along it."""

from __future__ import annotations

import statistics

import numpy as np

from checker.document import Word

MAX_SKEW = 80  # steepest tilt tried, in thousandths (about 4.6°)


def centre_x(word: Word) -> float:
    """The middle of the word's box across."""
    return (word.box[0] + word.box[2]) / 2


def centre_y(word: Word) -> float:
    """The middle of the word's box down."""
    return (word.box[1] + word.box[3]) / 2


def skew(words: list[Word], *, prior: float = 0.0) -> float:
    """The tilt of the words' rows as dy/dx, found the way a projection profile deskews a
    scan: the slope at which the words' centres stack into the fewest, fullest rows (of
    equally good slopes, the one nearest `prior`: 0 on a straight page).
    """
    height = max(statistics.median(word.box[3] - word.box[1] for word in words), 1)
    xs = np.array([centre_x(word) for word in words])
    ys = np.array([centre_y(word) for word in words])
    slopes = np.arange(-MAX_SKEW, MAX_SKEW + 1, 2) / 1000
    rows = np.floor((ys - slopes[:, None] * xs) / (height / 2)).astype(np.int64)
    # how full the rows are at each slope (the sum of their counts squared), all slopes at once:
    # row numbers made distinct per slope, counted, and the squares summed back per slope
    span = int(np.ptp(rows)) + 1
    rows += span * np.arange(len(slopes))[:, None] - rows.min()
    numbers, counts = np.unique(rows, return_counts=True)
    fullness = np.bincount(numbers // span, weights=counts**2.0, minlength=len(slopes))
    best = np.flatnonzero(fullness == fullness.max())
    return float(slopes[best[np.argmin(np.abs(slopes[best] - prior))]])
