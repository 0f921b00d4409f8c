"""The image-quality gate: sharpness, exposure and glare, measured before reading."""

from __future__ import annotations

import numpy as np
from PIL import Image

from checker.document import Page
from checker.findings import new_finding
from checker.policy import QualityThresholds
from schemas.findings import Code, Evidence, Finding
from schemas.report import PageQuality

MEASURE_WIDTH = 1000  # metrics are taken on a copy this wide, so thresholds ignore resolution


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
    quality.glare_ratio = round(float((grey >= 250).mean()), 4)
    return quality


def quality_findings(
    quality: PageQuality, thresholds: QualityThresholds, *, file: str
) -> list[Finding]:
    """Findings for a page whose metrics fall outside the policy's thresholds."""
    if quality.source != "ocr":
        return []
    evidence = Evidence(file=file, page=quality.page)
    findings = []
    short_side = min(quality.width, quality.height)
    if short_side < thresholds.min_short_side_px:
        findings.append(
            new_finding(
                Code.IMAGE_LOW_RESOLUTION,
                file=file,
                evidence=evidence,
                page=quality.page,
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
                page=quality.page,
                sharpness=quality.sharpness,
                threshold=thresholds.min_sharpness,
            )
        )
    if quality.brightness is not None and not (
        thresholds.min_brightness <= quality.brightness <= thresholds.max_brightness
    ):
        findings.append(
            new_finding(Code.IMAGE_TOO_DARK, file=file, evidence=evidence, page=quality.page)
        )
    return findings


def gate(
    page: Page, thresholds: QualityThresholds, *, file: str
) -> tuple[Page, PageQuality, list[Finding]]:
    """Measure a page before reading: the page to read (possibly corrected), metrics, findings."""
    quality = measure(page)
    return page, quality, quality_findings(quality, thresholds, file=file)
