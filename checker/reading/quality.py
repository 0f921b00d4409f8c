"""The image-quality gate: run on every page image before reading.

It measures (on a greyscale copy about MEASURE_WIDTH pixels wide, so thresholds do not depend
on resolution): sharpness (variance of the Laplacian), brightness, glare (a saturated blob set
in a darker surround — white paper is not glare), whether the document runs off the frame, and
a perceptual hash. A page turned 90° is put upright before reading. Each failed metric is a
finding that says how to fix it; text-layer pages are not images and get none.

Costs on this kind of machine: the metrics take 5-30 ms a page after decoding. Tesseract's
orientation detection (`--psm 0`) costs 0.4-1.5 s a page — more than reading an ID card — so
it runs only where the page's shape says a card was photographed or scanned on its side.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytesseract
from PIL import Image

from checker.document import Page
from checker.findings import new_finding
from checker.policy import QualityThresholds
from schemas.findings import Code, Evidence, Finding
from schemas.report import PageQuality

logger = logging.getLogger(__name__)

MEASURE_WIDTH = 1000  # metrics are taken on a copy this wide, so thresholds ignore resolution
SATURATED = 250  # grey level of a blown-out pixel
GLARE_CELL = 16  # pixels of the measuring copy per cell of the glare grid
PAPER_SHARE = 0.15  # a saturated blob this large is the sheet of paper, not a light's spot
PAPER_LEVEL = 248.0  # a blob ringed by grey this bright sits on white paper: not glare
GLARE_RING_MAX_TEXTURE = 8.0  # grey std in the cells around a spot: a light's fall-off is smooth
# a light's fall-off stays bright (a glare spot's ring: grey 228 and up on the glare sample);
# smooth cells darker than this round a blank margin are what the sheet lies on (desks 100-180)
BACKGROUND_LEVEL = 200.0
BACKGROUND_SHARE = 0.05  # of a spot's ring, from which the spot is the sheet's edge
CLIPPED = 254  # grey level of a pixel a light has blown out
# of a glare spot's pixels, clipped at least: 0.93 on the glare sample, 0.0-0.17 on the brightly
# lit blank margins of clean statement photos that had no desk round them
CLIPPED_SHARE = 0.5
CARD_ASPECT = (1.45, 1.75)  # ID card 85.6 × 54 mm (1.585), passport page 125 × 88 (1.42)
EDGE_STRIP = 0.01  # share of the short side read as the frame's edge
CUT_OFF_MIN_RUN = 0.35  # document colour along this share of one edge (and not all) = cut off
OSD_MIN_CONFIDENCE = 1.0  # tesseract's orientation confidence needed to turn a page
TURNED_MIN_CONFIDENCE = 0.3  # ... one whose card shape already says it lies on its side


def _grey_copy(image: Image.Image) -> np.ndarray:
    """A greyscale float copy about MEASURE_WIDTH pixels wide."""
    grey = image.convert("L")
    if grey.width > MEASURE_WIDTH:
        height = max(1, round(grey.height * MEASURE_WIDTH / grey.width))
        grey = grey.resize((MEASURE_WIDTH, height), Image.Resampling.BILINEAR)
    return np.asarray(grey, dtype=np.float32)


def sharpness(grey: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian: low on a blurred image."""
    if grey.shape[0] < 3 or grey.shape[1] < 3:
        return 0.0
    centre = grey[1:-1, 1:-1]
    laplacian = grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:] - 4 * centre
    return float(laplacian.var())


def glare_ratio(grey: np.ndarray) -> float:
    """Share of the page in the largest glare spot, 0 when there is none.

    A spot is a blob of mostly saturated cells, clear of the frame's edge, with a smooth
    surround (a light's fall-off, not text) that is darker than white paper. White paper — a
    scan, a sheet photographed — is saturated too but ringed by text or by more paper.
    """
    height, width = grey.shape[0] // GLARE_CELL, grey.shape[1] // GLARE_CELL
    if height < 3 or width < 3:
        return 0.0
    cells = grey[: height * GLARE_CELL, : width * GLARE_CELL].reshape(
        height, GLARE_CELL, width, GLARE_CELL
    )
    saturated = (cells >= SATURATED).mean(axis=(1, 3)) >= 0.5
    clipped = (cells >= CLIPPED).mean(axis=(1, 3))
    level, texture = cells.mean(axis=(1, 3)), cells.std(axis=(1, 3))
    best = 0.0
    for blob in _blobs(saturated):
        ys, xs = zip(*blob, strict=True)
        if min(ys) == 0 or min(xs) == 0 or max(ys) == height - 1 or max(xs) == width - 1:
            continue  # touches the frame: the paper itself, or outside the document
        ring = tuple(np.array(_ring(blob, saturated.shape)).T)
        if len(ring) == 0 or len(ring[0]) == 0:
            continue
        smooth = float(np.median(texture[ring])) < GLARE_RING_MAX_TEXTURE
        share = len(blob) / (height * width)
        # smooth and dark around part of it: the desk or table the sheet lies on, so the blob
        # is the sheet's blank margin beside it, not a light on the sheet
        background = (texture[ring] < GLARE_RING_MAX_TEXTURE) & (level[ring] < BACKGROUND_LEVEL)
        on_edge = float(background.mean()) >= BACKGROUND_SHARE
        # a light blows its spot out to white; paper in bright light stays a little grey
        blown_out = float(clipped[tuple(np.array(blob).T)].mean()) >= CLIPPED_SHARE
        if smooth and float(np.median(level[ring])) < PAPER_LEVEL and share < PAPER_SHARE:
            best = max(best, share) if blown_out and not on_edge else best
    return best


def _blobs(mask: np.ndarray) -> list[list[tuple[int, int]]]:
    """4-connected components of a small boolean grid."""
    seen = np.zeros_like(mask)
    blobs = []
    for start in zip(*np.nonzero(mask), strict=True):
        if seen[start]:
            continue
        seen[start] = True
        stack, blob = [start], []
        while stack:
            y, x = stack.pop()
            blob.append((int(y), int(x)))
            for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                inside = 0 <= ny < mask.shape[0] and 0 <= nx < mask.shape[1]
                if inside and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        blobs.append(blob)
    return blobs


def _ring(blob: list[tuple[int, int]], shape: tuple[int, ...]) -> list[tuple[int, int]]:
    """The cells two steps around a blob."""
    inside = set(blob)
    ring = set()
    for y, x in blob:
        for dy in range(-2, 3):
            for dx in range(-2, 3):
                cell = (y + dy, x + dx)
                if cell not in inside and 0 <= cell[0] < shape[0] and 0 <= cell[1] < shape[1]:
                    ring.add(cell)
    return sorted(ring)


def cut_off_edges(image: Image.Image) -> list[str]:
    """Frame edges the document runs across: a long stretch of document-coloured pixels
    (bright, unsaturated: paper or card) along an edge whose colour differs from the rest of
    the frame's border. A scan (document on every edge) or a photo with margins gives none."""
    factor = max(1, max(image.size) // 800)  # a cheap box reduction first, then the thumbnail
    small = (image.reduce(factor) if factor > 1 else image).convert("RGB")
    small.thumbnail((400, 400))
    rgb = np.asarray(small, dtype=np.float32)
    strip = max(1, round(EDGE_STRIP * min(rgb.shape[:2])))
    edges = {
        "top": rgb[:strip].mean(axis=0),
        "right": rgb[:, -strip:].mean(axis=1),
        "bottom": rgb[-strip:].mean(axis=0),
        "left": rgb[:, :strip].mean(axis=1),
    }
    border = np.concatenate(list(edges.values()))
    background = np.median(border, axis=0)
    runs = {}
    for name, pixels in edges.items():
        bright = pixels.mean(axis=1)
        chroma = pixels.max(axis=1) - pixels.min(axis=1)
        far = np.linalg.norm(pixels - background, axis=1) > 40
        document = far & (bright > 170) & (chroma < 40)
        runs[name] = _longest_run(document) / len(document)
    cut = [name for name, run in runs.items() if run >= CUT_OFF_MIN_RUN]
    return [] if len(cut) == 4 else cut


def _longest_run(mask: np.ndarray) -> int:
    best = current = 0
    for value in mask:
        current = current + 1 if value else 0
        best = max(best, current)
    return best


def phash(grey: np.ndarray) -> str:
    """64-bit perceptual hash (DCT of a 32×32 thumbnail, 8×8 low frequencies vs their median)
    as 16 hex digits: the same picture resized or re-encoded keeps (nearly) the same hash."""
    image = Image.fromarray(grey.astype(np.uint8)).resize((32, 32), Image.Resampling.LANCZOS)
    pixels = np.asarray(image, dtype=np.float64)
    n = 32
    k = np.arange(n)
    basis = np.cos(np.pi * (2 * k[None, :] + 1) * k[:, None] / (2 * n))
    low = (basis @ pixels @ basis.T)[:8, :8].flatten()
    bits = low > np.median(low[1:])
    return f"{int(''.join('1' if bit else '0' for bit in bits), 2):016x}"


def measure(page: Page) -> PageQuality:
    """Metrics of one page; a text-layer page has nothing to measure but its size."""
    source = "text_layer" if page.text_layer is not None else "ocr"
    quality = PageQuality(
        page=page.number, width=page.width, height=page.height, dpi=page.dpi, source=source
    )
    if page.image is None:
        return quality
    grey = _grey_copy(page.image)
    quality.sharpness = round(sharpness(grey), 1)
    quality.brightness = round(float(grey.mean()), 1)
    quality.glare_ratio = round(glare_ratio(grey), 4)
    quality.phash = phash(grey)
    return quality


def quality_findings(
    quality: PageQuality, thresholds: QualityThresholds, *, file: str, cut_off: Sequence[str] = ()
) -> list[Finding]:
    """Findings for a page whose metrics fall outside the policy's thresholds."""
    if quality.source != "ocr":
        return []
    evidence = Evidence(file=file, page=quality.page)
    page = quality.page
    findings = []
    if min(quality.width, quality.height) < thresholds.min_short_side_px:
        findings.append(
            new_finding(
                Code.IMAGE_LOW_RESOLUTION,
                file=file,
                evidence=evidence,
                page=page,
                width=quality.width,
                height=quality.height,
            )
        )
    if quality.sharpness is not None and quality.sharpness < thresholds.min_sharpness:
        findings.append(
            new_finding(
                Code.IMAGE_BLURRY,
                file=file,
                evidence=evidence,
                page=page,
                sharpness=quality.sharpness,
                threshold=thresholds.min_sharpness,
            )
        )
    if quality.brightness is not None and not (
        thresholds.min_brightness <= quality.brightness <= thresholds.max_brightness
    ):
        findings.append(new_finding(Code.IMAGE_TOO_DARK, file=file, evidence=evidence, page=page))
    if quality.glare_ratio is not None and quality.glare_ratio > thresholds.max_glare_ratio:
        findings.append(new_finding(Code.IMAGE_GLARE, file=file, evidence=evidence, page=page))
    if cut_off:
        findings.append(
            new_finding(
                Code.IMAGE_CUT_OFF, file=file, evidence=evidence, page=page, edges=list(cut_off)
            )
        )
    return findings


# --- orientation -----------------------------------------------------------------------------


def looks_turned(page: Page) -> bool:
    """A page shaped like a card stood on its side (taller than wide, card proportions)."""
    if page.image is None or page.width >= page.height:
        return False
    return CARD_ASPECT[0] <= page.height / page.width <= CARD_ASPECT[1]


def osd_rotation(
    image: Image.Image, dpi: int, *, min_confidence: float = OSD_MIN_CONFIDENCE
) -> int:
    """Degrees (0, 90, 180, 270) to turn the image counter-clockwise to put it upright, from
    tesseract's orientation detection; 0 when it is unsure or cannot run."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with tempfile.TemporaryDirectory(prefix="docready-osd-") as workdir:
        path = Path(workdir) / "page.tif"
        try:
            image.convert("L").save(path, format="TIFF", dpi=(dpi, dpi))
            result = pytesseract.image_to_osd(
                str(path), config=f"--psm 0 --dpi {dpi}", output_type=pytesseract.Output.DICT
            )
        except (pytesseract.TesseractError, RuntimeError, OSError) as error:
            logger.debug("orientation detection failed: %s", error)
            return 0
    if float(result.get("orientation_conf", 0)) < min_confidence:
        return 0
    return int(result.get("rotate", 0)) % 360


def upright(page: Page, degrees: int) -> Page:
    """The page turned clockwise by `degrees` (tesseract's `rotate`), size swapped at 90/270."""
    if page.image is None or degrees % 360 == 0:
        return page
    image = page.image.rotate(-degrees, expand=True)
    return dataclasses.replace(page, image=image, width=image.width, height=image.height)


def gate(
    page: Page, thresholds: QualityThresholds, *, file: str
) -> tuple[Page, PageQuality, list[Finding]]:
    """Measure a page before reading: the page to read (put upright), metrics, findings."""
    if looks_turned(page) and page.image is not None:
        # the shape already says "on its side": OSD only has to choose 90 or 270
        degrees = osd_rotation(page.image, page.dpi, min_confidence=TURNED_MIN_CONFIDENCE)
        page = upright(page, degrees if degrees in (90, 270) else 0)
    quality = measure(page)
    cut_off = cut_off_edges(page.image) if page.image is not None else []
    return page, quality, quality_findings(quality, thresholds, file=file, cut_off=cut_off)


def reorient(page: Page) -> Page | None:
    """The page put upright by tesseract's orientation detection, or None when it already is
    (or detection is unsure). For the pipeline to call on an image page it could not classify:
    a page turned 180° keeps its shape, so the gate cannot suspect it cheaply."""
    if page.image is None:
        return None
    degrees = osd_rotation(page.image, page.dpi)
    return upright(page, degrees) if degrees else None
