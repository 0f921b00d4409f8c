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

from checker.ingest import Source, display_name, ingest
from checker.ingest.pdf import render_pdf_page
from checker.labels import kind_label, profile_label, severity_label
from checker.policy import Policy, load_policy
from checker.privacy import personal_style
from schemas.catalogue import Lang
from schemas.findings import Finding
from schemas.report import DocumentReport, Report

CROP_MARGIN = 60  # pixels of context around a box
CROP_MAX_WIDTH = 720
BOX_COLOUR = (220, 30, 30)
Box = tuple[int, int, int, int]


@cache
def templates() -> Environment:
    """The HTML templates (`checker/templates/*.html.j2`), every value escaped: a file name or
    a text read from a document is shown as text, never run as markup."""
    return Environment(
        loader=PackageLoader("checker", "templates"),
        autoescape=select_autoescape(["html", "html.j2"]),
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
        if personal_style(name, document.kind) and field.box and field.page == page
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


def page_thumbnail(image: Image.Image, hidden: list[Box]) -> Image.Image:
    """The whole page, personal boxes blurred, scaled to the crop width: for a finding about
    a page (blurred, too dark, cut off) that has no box of its own."""
    image = image.copy()
    for left, top, right, bottom in hidden:
        region = (max(0, left), max(0, top), min(image.width, right), min(image.height, bottom))
        if region[2] > region[0] and region[3] > region[1]:
            patch = image.crop(region).filter(ImageFilter.GaussianBlur(12))
            image.paste(patch, region[:2])
    image.thumbnail((CROP_MAX_WIDTH, CROP_MAX_WIDTH))
    return image


def _page_of(finding: Finding, document: DocumentReport | None) -> int | None:
    """The page a finding is about, when it has no box: its evidence's or ctx's page, or the
    only page of a one-page document."""
    if finding.evidence and finding.evidence.page:
        return finding.evidence.page
    page = finding.ctx.get("page")
    if isinstance(page, int) and page > 0:
        return page
    if document is not None and document.pages == 1:
        return 1
    return None


def _data_uri(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


WORDS = {
    "zh": {
        "title": "材料预检报告",
        "checked": "按「{profile}」核对，核对日期 {as_of}",
        "masked": "个人信息已遮盖",
        "documents": "材料",
        "file": "文件",
        "kind": "识别为",
        "pages": "页数",
        "findings": "问题与修改建议",
        "none": "没有发现问题。",
        "whole_page": "整页",
    },
    "en": {
        "title": "Document check",
        "checked": "checked as {profile}, as of {as_of}",
        "masked": "personal data masked",
        "documents": "Documents",
        "file": "file",
        "kind": "recognised as",
        "pages": "pages",
        "findings": "Findings and fixes",
        "none": "No findings.",
        "whole_page": "whole page",
    },
}


def render_html(report: Report, sources: Iterable[Source], *, policy: Policy | None = None) -> str:
    """The report as one self-contained HTML page, in the report's language and in words
    (no internal codes as text), each finding beside a crop or a thumbnail of its page."""
    policy = policy or load_policy()
    lang: Lang = "en" if report.lang == "en" else "zh"
    images = PageImages(sources, policy)
    documents = {document.file: document for document in report.documents}
    rows = []
    for finding in report.findings:
        document = documents.get(finding.file or "")
        located = _box_of(finding, document)
        page = located[0] if located else _page_of(finding, document)
        crop = None
        page_image = images.get(finding.file, page) if finding.file and page else None
        if page_image is not None and page is not None:
            hidden = _personal_boxes(document, page) if report.masked else []
            if located:
                crop = _data_uri(crop_with_box(page_image, located[1], hidden))
            else:
                crop = _data_uri(page_thumbnail(page_image, hidden))
        rows.append(
            {
                "finding": finding,
                "crop": crop,
                "whole_page": crop is not None and located is None,
                "severity": severity_label(finding.severity, lang),
            }
        )
    template = templates().get_template("report.html.j2")
    return template.render(
        report=report,
        rows=rows,
        words=WORDS[lang],
        verdict=report.summary.text,
        profile=profile_label(report.profile, lang, policy),
        kinds={document.kind: kind_label(document.kind, lang) for document in report.documents},
    )
