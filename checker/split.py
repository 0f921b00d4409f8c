"""Files that hold several documents: pages of different kinds in one PDF, or both sides of
an ID card on one image. Each part is then checked as a document of its own.

A part keeps the file's page images and word boxes in page pixels, so evidence boxes and
region re-reads need no translation: splitting an image only shares out its words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from checker.classify import MIN_CONFIDENCE, UNKNOWN, classify
from checker.document import Box, Word
from checker.documents import Content, module_for
from schemas.kinds import DocumentKind

SPLIT_CONFIDENCE = 0.7  # a page this sure of another kind starts a new document
CARD_SIDES = (DocumentKind.CN_ID_FRONT, DocumentKind.CN_ID_BACK)


@dataclass(frozen=True)
class Part:
    """One document found inside a file."""

    kind: str
    confidence: float
    content: Content
    where: str  # "pages 1-2", "page 1, top" ...: which part of the file


def split(content: Content, kind: str | None = None) -> list[Part]:
    """The documents in the file when it holds more than one, else an empty list. `kind` is
    the file's kind when it was classified already (not classified again then)."""
    if content.tables or not content.readings:
        return []
    if len(content.readings) > 1:
        return _by_pages(content)
    return _card_sides(content, kind)


def _page(content: Content, index: int) -> Content:
    pages = content.pages[index : index + 1] if len(content.pages) > index else ()
    return replace(content, readings=(content.readings[index],), pages=pages)


def _score(kind: str, content: Content) -> float:
    module = module_for(kind)
    return module.detect(content) if module else 0.0


def _by_pages(content: Content) -> list[Part]:
    """Runs of pages: a page sure of another kind, and unlike the run's kind, starts a run."""
    runs: list[tuple[str, float, list[int]]] = []
    for index in range(len(content.readings)):
        page = _page(content, index)
        kind, confidence = classify(page)
        starts = not runs or (
            kind != UNKNOWN
            and kind != runs[-1][0]
            and confidence >= SPLIT_CONFIDENCE
            and _score(runs[-1][0], page) < MIN_CONFIDENCE
        )
        if starts:
            runs.append((kind, confidence, [index]))
        else:
            runs[-1][2].append(index)
    if len(runs) < 2:
        return []
    parts = []
    for kind, confidence, indexes in runs:
        readings = tuple(content.readings[i] for i in indexes)
        numbers = {reading.page for reading in readings}
        pages = tuple(page for page in content.pages if page.number in numbers)
        first, last = readings[0].page, readings[-1].page
        where = f"page {first}" if first == last else f"pages {first}-{last}"
        parts.append(
            Part(kind, confidence, replace(content, readings=readings, pages=pages), where)
        )
    return parts


def _card_sides(content: Content, kind: str | None) -> list[Part]:
    """Front and back of an ID card photographed or scanned together on one page: the cut
    between two runs of words that leaves the front on one side and the back on the other."""
    reading = content.readings[0]
    if (kind if kind is not None else classify(content)[0]) not in CARD_SIDES:
        return []
    best: tuple[float, list[Part]] | None = None
    for axis, names in ((1, ("top", "bottom")), (0, ("left", "right"))):
        for cut in _gaps(reading.words, axis):
            sides = _sides(reading.words, axis, cut)
            contents = [
                replace(content, readings=(replace(reading, words=words),), region=region)
                for words, region in zip(sides, _regions(content, axis, cut), strict=True)
            ]
            for front, back in ((0, 1), (1, 0)):
                scores = (
                    _score(DocumentKind.CN_ID_FRONT, contents[front]),
                    _score(DocumentKind.CN_ID_BACK, contents[back]),
                )
                if min(scores) < MIN_CONFIDENCE or (best and sum(scores) <= best[0]):
                    continue
                where = [f"page {reading.page}, {name}" for name in names]
                parts = [
                    Part(DocumentKind.CN_ID_FRONT, scores[0], contents[front], where[front]),
                    Part(DocumentKind.CN_ID_BACK, scores[1], contents[back], where[back]),
                ]
                best = (sum(scores), sorted(parts, key=lambda part: where.index(part.where)))
    return best[1] if best else []


def _gaps(words: list[Word], axis: int) -> list[float]:
    """Positions along `axis` (0: x, 1: y) that no word covers, between words."""
    spans = sorted((word.box[axis], word.box[axis + 2]) for word in words)
    gaps = []
    end = spans[0][1] if spans else 0
    for start, stop in spans[1:]:
        if start > end:
            gaps.append((end + start) / 2)
        end = max(end, stop)
    return gaps


def _regions(content: Content, axis: int, cut: float) -> tuple[Box, Box]:
    """The page's two parts either side of `cut` along `axis`."""
    page = content.pages[0] if content.pages else None
    width = page.width if page else 10**6
    height = page.height if page else 10**6
    if axis == 1:
        return (0, 0, width, round(cut)), (0, round(cut), width, height)
    return (0, 0, round(cut), height), (round(cut), 0, width, height)


def _sides(words: list[Word], axis: int, cut: float) -> tuple[list[Word], list[Word]]:
    before = [w for w in words if (w.box[axis] + w.box[axis + 2]) / 2 < cut]
    after = [w for w in words if (w.box[axis] + w.box[axis + 2]) / 2 >= cut]
    return before, after


__all__ = ["Part", "split"]
