"""Reading PDFs with pypdfium2: a usable text layer is kept as words, other pages rendered."""

from __future__ import annotations

import math
import threading
import time
import unicodedata
from dataclasses import replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from checker.document import Page, Reading
from checker.ingest.common import Content, Problem, Refused
from checker.ingest.words import Char, PageGeometry, group_words
from checker.policy import Limits
from checker.reading.seal import is_colourless
from schemas.findings import Code

# PDFium is not thread-safe: one call into it at a time in this process.
PDFIUM_LOCK = threading.Lock()
PASSWORD_ERRORS = {pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY}
MIN_FIT_DPI = 100  # an oversized page is rendered smaller, down to this resolution
MIN_TEXT_CHARS = 20  # fewer visible characters than this: a scan with a stray stamp, OCR it
MAX_GARBAGE_SHARE = 0.05  # more unmapped or private-use characters than this: OCR instead
GARBAGE_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Cs"}
GARBAGE_CHARS = {"\ufffd", "\ufffe", "\uffff"}
MAX_FORM_DEPTH = 15  # form XObjects nested deeper than this are not searched for images
PREVIEW_DPI = 72  # A4 is 595 px wide: a 4 cm seal ~110 px (the seal check works at 400)


def read_pdf(data: bytes, limits: Limits, *, render_dpi: int) -> Content:
    """Pages of a PDF: text-layer pages as words, the others as renders (in colour where the
    page has any: a certificate's red seal must survive the render)."""
    with PDFIUM_LOCK:
        document = _open(data)
        try:
            count = len(document)
            if count > limits.max_pages:
                raise Refused.because(Code.TOO_MANY_PAGES, pages=count, limit=limits.max_pages)
            content = Content()
            for index in range(count):
                _read_page(document, index + 1, limits, render_dpi, content)
            return content
        finally:
            document.close()


def pages_to_render(data: bytes, limits: Limits) -> int:
    """How many pages of this PDF have too few characters in their text layer to be read from
    it (fewer than MIN_TEXT_CHARS): pages `read_pdf` will render for OCR. Nothing is rendered
    or decoded. 0 when the PDF cannot be opened or has more pages than `limits` allow."""
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return 0
        try:
            if len(document) > limits.max_pages:
                return 0
            return sum(1 for index in range(len(document)) if _few_chars(document, index))
        finally:
            document.close()


def _few_chars(document: pdfium.PdfDocument, index: int) -> bool:
    try:
        page = document[index]
    except pdfium.PdfiumError:
        return False  # ingest finds it unreadable: nothing to read
    try:
        textpage = page.get_textpage()
        try:
            return bool(textpage.count_chars() < MIN_TEXT_CHARS)
        finally:
            textpage.close()
    finally:
        page.close()


def _open(data: bytes) -> pdfium.PdfDocument:
    """The PDF document, or a refusal: encrypted or damaged."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code in PASSWORD_ERRORS:
            raise Refused.because(Code.PDF_ENCRYPTED) from None
        raise Refused.because(Code.FILE_CORRUPT) from None


def _read_page(
    document: pdfium.PdfDocument, number: int, limits: Limits, dpi: int, content: Content
) -> None:
    """Add page `number` to `content`, or a problem saying why it could not be read."""
    try:
        page = document[number - 1]
    except pdfium.PdfiumError:
        content.problems.append(_unreadable(number))
        return
    try:
        geometry = _geometry(page, dpi)
        started = time.perf_counter()
        chars = _chars(page, geometry)
        if looks_like_text([char.text for char in chars]):
            reading = _text_layer(chars, number, geometry, started)
            content.pages.append(
                Page(
                    number,
                    geometry.width,
                    geometry.height,
                    geometry.dpi,
                    text_layer=reading,
                    preview=_preview(page, limits),
                )
            )
        else:
            _render_page(page, number, geometry, limits, content)
    except pdfium.PdfiumError:
        content.problems.append(_unreadable(number))
    finally:
        page.close()


def _text_layer(chars: list[Char], number: int, geometry: PageGeometry, started: float) -> Reading:
    """The page's words, grouped upright and then placed on the page as displayed."""
    words = [replace(word, box=geometry.displayed(word.box)) for word in group_words(chars)]
    return Reading(
        page=number,
        words=words,
        source="text_layer",
        engine="pdfium",
        seconds=time.perf_counter() - started,
    )


def looks_like_text(chars: list[str]) -> bool:
    """Whether a text layer is real text: enough visible characters, few unmapped ones."""
    visible = [char for char in chars if not char.isspace()]
    garbage = sum(
        1
        for char in visible
        if char in GARBAGE_CHARS or unicodedata.category(char) in GARBAGE_CATEGORIES
    )
    readable = len(visible) - garbage
    return readable >= MIN_TEXT_CHARS and garbage <= MAX_GARBAGE_SHARE * len(visible)


def _geometry(page: pdfium.PdfPage, dpi: int) -> PageGeometry:
    """How PDF points on this page map to pixels of its upright render at `dpi`."""
    left, bottom, right, top = page.get_bbox()
    return PageGeometry(
        left=left, bottom=bottom, right=right, top=top, rotation=page.get_rotation(), dpi=dpi
    )


def fit_to_pixels(geometry: PageGeometry, max_pixels: int) -> PageGeometry | None:
    """The geometry at the highest DPI (up to the one asked) whose render fits `max_pixels`.

    A photo put into a PDF at 72 DPI makes a page 50 inches long; it is rendered at a lower
    DPI rather than refused. None when even MIN_FIT_DPI is too much: not a document page.
    """
    pixels = geometry.width * geometry.height
    if pixels <= max_pixels:
        return geometry
    dpi = math.floor(geometry.dpi * math.sqrt(max_pixels / pixels))
    while dpi >= MIN_FIT_DPI:
        fitted = replace(geometry, dpi=dpi)
        if fitted.width * fitted.height <= max_pixels:
            return fitted
        dpi -= 1
    return None


def _chars(page: pdfium.PdfPage, geometry: PageGeometry) -> list[Char]:
    """Every character of the text layer with its upright box in pixels."""
    textpage = page.get_textpage()
    try:
        chars = []
        for index in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage, index)
            text = chr(code) if 0 <= code <= 0x10FFFF else "\ufffd"
            if pdfium_c.FPDFText_HasUnicodeMapError(textpage, index) == 1:
                text = "\ufffd"
            generated = bool(pdfium_c.FPDFText_IsGenerated(textpage, index))
            try:
                box = geometry.upright(textpage.get_charbox(index, loose=True))
            except pdfium.PdfiumError:
                continue
            chars.append(Char(text=text, box=box, generated=generated))
        return chars
    finally:
        textpage.close()


def _render_page(
    page: pdfium.PdfPage, number: int, geometry: PageGeometry, limits: Limits, content: Content
) -> None:
    """Render a page for OCR after checking its pixel count: kept in colour when it has any
    (a seal is told by its red), else greyscale (a third of the memory)."""
    if geometry.width < 1 or geometry.height < 1:
        content.problems.append(_unreadable(number))
        return
    fitted = fit_to_pixels(geometry, limits.max_pixels)
    if fitted is None:
        pixels = {"pixels": geometry.width * geometry.height, "limit": limits.max_pixels}
        content.problems.append(Problem(Code.IMAGE_TOO_LARGE, pixels, loc=("page", number)))
        return
    # PDFium decodes every image on the page at its full size, whatever the render's size
    embedded = image_pixels(page)
    if embedded > limits.max_pixels:
        pixels = {"pixels": embedded, "limit": limits.max_pixels}
        content.problems.append(Problem(Code.IMAGE_TOO_LARGE, pixels, loc=("page", number)))
        return
    geometry = fitted
    # in RGBX, PIL's own layout for colour, the image shares the bitmap's memory (a BGR
    # render was copied: an A4 page at 300 DPI held 26 MB of render and 35 of copy at once);
    # the same pixels once converted, grey or colour
    bitmap = page.render(scale=geometry.dpi / 72, prefer_bgrx=True, rev_byteorder=True)
    try:
        rendered = bitmap.to_pil()
        image = rendered.convert("L" if is_colourless(rendered) else "RGB")
    finally:
        bitmap.close()
    content.pages.append(Page(number, image.width, image.height, geometry.dpi, image=image))


def _preview(page: pdfium.PdfPage, limits: Limits) -> Image.Image | None:
    """A text-layer page rendered small in colour (PREVIEW_DPI), for the seal check: a seal
    is often an image or paths over the text. None when its images are too large to decode."""
    if image_pixels(page) > limits.max_pixels:
        return None
    bitmap = page.render(scale=PREVIEW_DPI / 72)
    try:
        image: Image.Image = bitmap.to_pil()
    finally:
        bitmap.close()
    return image if image.mode == "RGB" else image.convert("RGB")


def image_pixels(page: pdfium.PdfPage) -> int:
    """The pixels of all the images drawn on the page (form XObjects included), from their
    dictionaries: nothing is decoded."""
    total = 0
    for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=MAX_FORM_DEPTH):
        try:
            width, height = image.get_px_size()
        except pdfium.PdfiumError:
            continue
        total += width * height
    return total


def _unreadable(number: int) -> Problem:
    return Problem(Code.UNREADABLE, {"page": number}, loc=("page", number))


def render_pdf_page(data: bytes, number: int, *, dpi: int, max_pixels: int) -> Image.Image | None:
    """Page `number` (1-based) rendered in colour at `dpi`, e.g. for a report's crops.

    None when the PDF or the page cannot be opened; the caller has already ingested the
    file, so its problems are known and reported there.
    """
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return None
        try:
            if not 1 <= number <= len(document):
                return None
            page = document[number - 1]
            try:
                if image_pixels(page) > max_pixels:
                    return None  # ingest refused this page already (image_too_large)
                bitmap = page.render(scale=dpi / 72)
                try:
                    rendered: Image.Image = bitmap.to_pil().convert("RGB")
                    return rendered
                finally:
                    bitmap.close()
            finally:
                page.close()
        except pdfium.PdfiumError:
            return None
        finally:
            document.close()
