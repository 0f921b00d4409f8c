"""The HTML report: each finding beside a crop of the page with the problem's box drawn.

The file is self-contained (crops are embedded as data URIs) and, when the report is masked,
every personal field's box is blurred out of every crop.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from PIL import Image, ImageDraw, ImageFilter

from checker.check import Source
from checker.ingest import display_name, ingest
from checker.ingest_pdf import render_pdf_page
from checker.policy import Policy, load_policy
from checker.privacy import PERSONAL_FIELDS
from schemas.findings import Finding
from schemas.report import DocumentReport, Report

CROP_MARGIN = 60  # pixels of context around a box
CROP_MAX_WIDTH = 720
BOX_COLOUR = (220, 30, 30)
Box = tuple[int, int, int, int]


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("checker", "templates"), autoescape=select_autoescape(["html"])
    )


class PageImages:
    """Page images of an application's files, loaded on first use."""

    def __init__(self, sources: Iterable[Source], policy: Policy) -> None:
        self._sources = {_name_of(source): source for source in sources}
        self._policy = policy
        self._pages: dict[tuple[str, int], Image.Image | None] = {}

    def get(self, file: str, page: int) -> Image.Image | None:
        key = (file, page)
        if key not in self._pages:
            self._pages[key] = self._load(file, page)
        return self._pages[key]

    def _load(self, file: str, page: int) -> Image.Image | None:
        source = self._sources.get(file)
        if source is None:
            return None
        data = source[1] if isinstance(source, tuple) else Path(source).read_bytes()
        if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
            return render_pdf_page(
                data,
                page,
                dpi=self._policy.ocr.render_dpi,
                max_pixels=self._policy.limits.max_pixels,
            )
        document = ingest(data, name=file, limits=self._policy.limits)
        pages = [p.image for p in document.pages if p.number == page and p.image is not None]
        return pages[0].convert("RGB") if pages else None


def _name_of(source: Source) -> str:
    return display_name(source[0] if isinstance(source, tuple) else Path(source).name)


def _box_of(finding: Finding, document: DocumentReport | None) -> tuple[int, Box] | None:
    """The page and box a finding points at: its evidence, else its field's box."""
    evidence = finding.evidence
    if evidence and evidence.box and evidence.page:
        return evidence.page, evidence.box
    if document and finding.field and finding.field in document.fields:
        field = document.fields[finding.field]
        if field.box and field.page:
            return field.page, field.box
    return None


def _personal_boxes(document: DocumentReport | None, page: int) -> list[Box]:
    if document is None:
        return []
    return [
        field.box
        for name, field in document.fields.items()
        if name in PERSONAL_FIELDS and field.box and field.page == page
    ]


def crop_with_box(image: Image.Image, box: Box, hidden: list[Box]) -> Image.Image:
    """The region around `box` with `box` outlined and each `hidden` box blurred out."""
    image = image.copy()
    for left, top, right, bottom in hidden:
        region = (max(0, left), max(0, top), min(image.width, right), min(image.height, bottom))
        if region[2] > region[0] and region[3] > region[1]:
            patch = image.crop(region).filter(ImageFilter.GaussianBlur(12))
            image.paste(patch, region[:2])
    draw = ImageDraw.Draw(image)
    draw.rectangle(box, outline=BOX_COLOUR, width=4)
    left, top, right, bottom = box
    crop = image.crop(
        (
            max(0, left - CROP_MARGIN),
            max(0, top - CROP_MARGIN),
            min(image.width, right + CROP_MARGIN),
            min(image.height, bottom + CROP_MARGIN),
        )
    )
    if crop.width > CROP_MAX_WIDTH:
        crop = crop.resize((CROP_MAX_WIDTH, max(1, crop.height * CROP_MAX_WIDTH // crop.width)))
    return crop


def _data_uri(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def render_html(report: Report, sources: Iterable[Source], *, policy: Policy | None = None) -> str:
    """The report as one self-contained HTML page."""
    images = PageImages(sources, policy or load_policy())
    documents = {document.file: document for document in report.documents}
    rows = []
    for finding in report.findings:
        document = documents.get(finding.file or "")
        located = _box_of(finding, document)
        crop = None
        if located and finding.file:
            page_image = images.get(finding.file, located[0])
            if page_image is not None:
                hidden = _personal_boxes(document, located[0]) if report.masked else []
                crop = _data_uri(crop_with_box(page_image, located[1], hidden))
        rows.append({"finding": finding, "crop": crop})
    template = _environment().get_template("report.html.j2")
    return template.render(report=report, rows=rows)
