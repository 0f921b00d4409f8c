"""Ingest turns any file into a Document: pages or tables when it can, findings when it cannot.

Every input is built here in code (Pillow, fpdf2, openpyxl, struct); no binary fixtures.
"""

from __future__ import annotations

import io
import os
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

import checker.ingest.image
from checker.document import Document, Word
from checker.findings import localize
from checker.ingest import display_name, ingest, sniff
from checker.ingest import pdf as ingest_pdf
from checker.ingest.image import estimate_dpi, image_dpi
from checker.ingest.pdf import fit_to_pixels, looks_like_text
from checker.ingest.words import Char, PageGeometry, group_words
from checker.policy import Limits, default_policy
from schemas.findings import Code

CJK_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_fonts = pytest.mark.skipif(
    not (CJK_FONT.exists() and LATIN_FONT.exists()), reason="needs the Droid and DejaVu fonts"
)
PX_PER_PT = 300 / 72


# ---------------------------------------------------------------- builders


def image_bytes(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def page_image(size: tuple[int, int] = (400, 300), mode: str = "RGB") -> Image.Image:
    """A white page with a black bar at the top left, so orientation can be checked."""
    image = Image.new("RGB", size, "white")
    image.paste("black", (0, 0, size[0] // 2, size[1] // 4))
    return image if mode == "RGB" else image.convert(mode)


def tiff_pages(count: int) -> bytes:
    frames = [page_image((120, 80)) for _ in range(count)]
    return image_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:])


def jpeg_with_orientation(orientation: int) -> bytes:
    image = page_image((400, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    return image_bytes(image, "JPEG", exif=exif.tobytes(), dpi=(72, 72))


def huge_png_header(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width x height; the pixel data is a few bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def new_pdf(**encryption: str) -> FPDF:
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("cjk", fname=str(CJK_FONT))
    pdf.add_font("latin", fname=str(LATIN_FONT))
    if encryption:
        pdf.set_encryption(**encryption)
    return pdf


def text_pdf(**encryption: str) -> bytes:
    """An A4 income certificate with a real text layer: Chinese and Latin on two lines."""
    pdf = new_pdf(**encryption)
    pdf.add_page()
    pdf.set_font("cjk", size=20)
    pdf.text(72, 100, "收入证明")
    pdf.text(72, 140, "姓名：张三")
    pdf.set_font("latin", size=12)
    pdf.text(300, 140, "Income 12,345.00 CNY")
    return bytes(pdf.output())


def pdf_with_pages(count: int, text: str = "第一页内容：工资收入证明材料，共计若干页。") -> bytes:
    pdf = new_pdf()
    pdf.set_font("cjk", size=14)
    for _ in range(count):
        pdf.add_page()
        pdf.text(72, 100, text)
    return bytes(pdf.output())


def rotated(pdf_bytes: bytes, degrees: int) -> bytes:
    """The PDF with its first page's /Rotate set, saved by pypdfium2."""
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        document[0].set_rotation(degrees)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    finally:
        document.close()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "流水"
    sheet.append(["交易日期", "摘要", "金额", "余额"])
    sheet.append([openpyxl.utils.datetime.from_excel(45352), "工资", 12345.5, 20000])
    sheet.append(["2024-03-02", "转账", -100, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_zip_bomb(part_bytes: int) -> bytes:
    """A small zip that names itself a workbook and holds one highly compressible huge part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * part_bytes)
    return buffer.getvalue()


def only_finding(document: Document) -> Code:
    assert len(document.findings) == 1, document.findings
    return document.findings[0].code


# ---------------------------------------------------------------- fixtures


@pytest.fixture(name="limits")
def fixture_limits() -> Limits:
    return default_policy().limits


@pytest.fixture(name="small_limits")
def fixture_small_limits(limits: Limits) -> Limits:
    """Limits low enough to trip with inputs built in milliseconds."""
    return limits.model_copy(
        update={
            "max_file_bytes": 200_000,
            "max_pages": 3,
            "max_pixels": 1_000_000,
            "max_table_rows": 5,
            "max_table_bytes": 100_000,
        }
    )


@pytest.fixture(name="no_rendering")
def fixture_no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any PDF render beyond the seal check's small preview fail the test: text-layer
    pages must not be rendered for reading."""
    real_render = pdfium.PdfPage.render

    def render(page: pdfium.PdfPage, *args: object, scale: float = 1, **kwargs: object) -> object:
        if scale > ingest_pdf.PREVIEW_DPI / 72:
            raise AssertionError("a page with a text layer was rendered")
        return real_render(page, *args, scale=scale, **kwargs)

    monkeypatch.setattr(pdfium.PdfPage, "render", render)


# ---------------------------------------------------------------- images


@pytest.mark.parametrize(
    ("data", "media_type", "pages", "mode"),
    [
        (image_bytes(page_image(), "PNG"), "image/png", 1, "RGB"),
        (image_bytes(page_image(mode="L"), "PNG"), "image/png", 1, "L"),
        (image_bytes(page_image(mode="RGBA"), "PNG"), "image/png", 1, "RGB"),
        (image_bytes(page_image(), "JPEG"), "image/jpeg", 1, "RGB"),
        (tiff_pages(3), "image/tiff", 3, "RGB"),
        (image_bytes(page_image(mode="1"), "TIFF", compression="group4"), "image/tiff", 1, "L"),
        (image_bytes(page_image(), "WEBP"), "image/webp", 1, "RGB"),
        (image_bytes(page_image(), "BMP"), "image/bmp", 1, "RGB"),
        (image_bytes(page_image(mode="I;16"), "PNG"), "image/png", 1, "L"),
    ],
    ids=[
        "png",
        "png-grey",
        "png-alpha",
        "jpeg",
        "tiff-3-pages",
        "tiff-g4",
        "webp",
        "bmp",
        "png-16-bit",
    ],
)
def test_image_formats_become_pages(limits, data, media_type, pages, mode):
    document = ingest(data, name="scan", limits=limits)
    assert document.media_type == media_type
    assert len(document.pages) == pages
    for number, page in enumerate(document.pages, start=1):
        assert page.number == number
        assert page.image is not None and page.image.mode == mode
        assert (page.width, page.height) == page.image.size
        assert page.text_layer is None
    if pages:
        assert document.findings == []


def test_transparent_background_is_flattened_onto_white(limits):
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    document = ingest(image_bytes(image, "PNG"), name="screenshot.png", limits=limits)
    assert document.pages[0].image.getpixel((25, 25)) == (255, 255, 255)


@pytest.mark.parametrize(
    ("orientation", "size", "black_corner"),
    [(1, (400, 200), (0, 0)), (6, (200, 400), (199, 0)), (3, (400, 200), (399, 199))],
    ids=["upright", "rotate-90-cw", "rotate-180"],
)
def test_exif_orientation_is_applied(limits, orientation, size, black_corner):
    document = ingest(jpeg_with_orientation(orientation), name="id.jpg", limits=limits)
    image = document.pages[0].image
    assert image.size == size
    assert image.convert("L").getpixel(black_corner) < 64


@pytest.mark.parametrize(
    ("info", "size", "dpi"),
    [
        ({"dpi": (300, 300)}, (2480, 3508), 300),
        ({"dpi": (72.0, 72.0)}, (4032, 3024), 300),  # a phone's placeholder 72 DPI
        ({"dpi": (72.0, 72.0)}, (800, 600), 72),
        ({"dpi": (5000, 5000)}, (1000, 800), 200),
        ({"dpi": (0, 0)}, (1000, 800), 200),
        ({"dpi": "x"}, (1000, 800), 200),
        ({}, (2000, 1000), 300),
        ({}, (1999, 1000), 200),
    ],
    ids=[
        "scan-300",
        "phone-72",
        "screen-72",
        "absurd",
        "zero",
        "garbage",
        "none-large",
        "none-small",
    ],
)
def test_image_dpi(info, size, dpi):
    assert image_dpi(info, *size) == dpi


def test_estimated_dpi_is_300_for_long_side_from_2000():
    assert (estimate_dpi(2000, 10), estimate_dpi(10, 1999)) == (300, 200)


# ---------------------------------------------------------------- PDF


@needs_fonts
def test_pdf_text_layer_gives_words_in_pixels_without_rendering(limits, no_rendering):
    document = ingest(text_pdf(), name="income.pdf", limits=limits)
    assert document.media_type == "application/pdf"
    assert document.findings == []
    [page] = document.pages
    assert page.image is None
    assert (page.width, page.height, page.dpi) == (2481, 3508, 300)  # as pdfium renders it
    reading = page.text_layer
    assert (reading.page, reading.source, reading.engine) == (1, "text_layer", "pdfium")
    assert reading.text.splitlines() == ["收入证明", "姓名：张三 Income 12,345.00 CNY"]
    title = next(word for word in reading.words if word.text == "收入证明")
    # drawn at x=72 pt, baseline y=100 pt from the top, 20 pt glyphs, 4 characters wide
    assert title.box[0] == pytest.approx(72 * PX_PER_PT, abs=8)
    assert title.box[2] == pytest.approx((72 + 4 * 20) * PX_PER_PT, abs=8)
    assert 78 * PX_PER_PT <= title.box[1] <= 84 * PX_PER_PT
    assert 100 * PX_PER_PT <= title.box[3] <= 106 * PX_PER_PT
    assert title.confidence == 1.0


@needs_fonts
@pytest.mark.parametrize("degrees", [0, 90, 180, 270], ids=lambda d: f"rotate-{d}")
def test_pdf_word_boxes_match_the_rendered_ink(limits, degrees):
    """On a rotated page too, the words' boxes are where pdfium itself draws them."""
    data = rotated(pdf_with_pages(1, "兹证明张三同志在我单位工作，月收入壹万元整"), degrees)
    [page] = ingest(data, name="rotated.pdf", limits=limits).pages
    words = page.text_layer.words
    assert [word.text for word in words] == ["兹证明张三同志在我单位工作，月收入壹万元整"]
    document = pdfium.PdfDocument(data)
    try:
        render = document[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    assert render.size == (page.width, page.height)
    ink = Image.eval(render, lambda value: 255 if value < 128 else 0).getbbox()
    box = words[0].box
    assert all(abs(got - want) <= 15 for got, want in zip(box, ink, strict=True)), (box, ink)


@needs_fonts
def test_pdf_page_with_a_stray_stamp_only_is_rendered(limits):
    document = ingest(pdf_with_pages(1, "第1页"), name="scan.pdf", limits=limits)
    [page] = document.pages
    assert page.text_layer is None
    assert page.image is not None and page.image.mode == "L"


def test_image_only_pdf_is_rendered_greyscale_at_render_dpi(limits):
    data = image_bytes(page_image((1240, 1754)), "PDF", resolution=150)  # A4 at 150 DPI
    document = ingest(data, name="scan.pdf", limits=limits, render_dpi=200)
    [page] = document.pages
    assert page.text_layer is None
    assert page.dpi == 200
    assert page.image.mode == "L"
    assert page.image.size == pytest.approx((1653, 2339), abs=2)
    assert page.image.getpixel((10, 10)) < 64  # the black bar, top left


def test_a_colour_scan_in_a_pdf_keeps_its_colour(limits):
    """A certificate scanned to PDF: its red seal must still be red after the render."""
    image = page_image((1240, 1754))
    ImageDraw.Draw(image).ellipse((800, 1200, 1100, 1500), outline=(220, 30, 30), width=12)
    document = ingest(image_bytes(image, "PDF", resolution=150), name="scan.pdf", limits=limits)
    [page] = document.pages
    assert page.image.mode == "RGB"
    red, green, blue = page.image.getpixel(
        (page.image.width * 950 // 1240, page.image.height * 1206 // 1754)
    )
    assert red > 150 and green < 100 and blue < 100


@pytest.mark.parametrize("colour", [False, True])
def test_a_rendered_page_has_pdfiums_own_pixels(limits, colour):
    """Rendered in RGBX to share the bitmap's memory, a page holds the pixels of pdfium's
    plain (BGR) render: converted to grey, or kept in colour."""
    image = page_image((1240, 1754))
    draw = ImageDraw.Draw(image)
    draw.ellipse((800, 1200, 1100, 1500), outline=(220, 30, 30) if colour else (90, 90, 90))
    draw.text((100, 300), "2026-05-07 12,345.00", fill=(40, 40, 40))
    data = image_bytes(image, "PDF", resolution=150)
    [page] = ingest(data, name="scan.pdf", limits=limits, render_dpi=200).pages
    plain = pdfium.PdfDocument(data)[0].render(scale=200 / 72).to_pil()
    assert plain.mode == "RGB"
    expected = plain if colour else plain.convert("L")
    assert page.image.mode == expected.mode
    assert page.image.tobytes() == expected.tobytes()


def test_oversized_pdf_page_is_rendered_at_a_lower_dpi(limits):
    data = image_bytes(page_image((2480, 3508)), "PDF", resolution=72)  # a 34 x 49 inch page
    document = ingest(data, name="phone-scan.pdf", limits=limits)
    [page] = document.pages
    assert page.dpi < 300
    assert page.width * page.height <= limits.max_pixels


def test_page_too_large_at_any_document_dpi_is_refused():
    geometry = PageGeometry(left=0, bottom=0, right=14400, top=14400, rotation=0, dpi=300)
    assert fit_to_pixels(geometry, 60_000_000) is None
    a4 = PageGeometry(left=0, bottom=0, right=595, top=842, rotation=0, dpi=300)
    assert fit_to_pixels(a4, 60_000_000) == a4


@pytest.mark.parametrize(
    ("text", "usable"),
    [
        ("中华人民共和国居民身份证 姓名 张三 住址 北京市", True),
        ("Income certificate for the year 2024", True),
        ("第1页", False),
        ("\ufffd" * 30, False),
        ("\ue000\ue001" * 15 + "姓名张三", False),
        ("收入证明" * 5 + "\ufffd" * 3, False),
        ("收入证明" * 20 + "\ufffd", True),
        (" \n" * 50, False),
    ],
    ids=[
        "chinese",
        "english",
        "too-short",
        "unmapped",
        "private-use",
        "some-garbage",
        "one-unmapped",
        "blank",
    ],
)
def test_text_layer_is_trusted_only_when_it_looks_like_text(text, usable):
    assert looks_like_text(list(text)) is usable


def test_characters_group_into_words_and_lines():
    def char(text: str, left: float, top: float) -> Char:
        return Char(text, (left, top, left + 20, top + 24))

    chars = [
        char("姓", 100, 100),
        char("名", 120, 100),  # one CJK run
        char("张", 300, 101),
        char("三", 320, 101),  # after a wide gap, same line
        Char("\r", (340, 100, 340, 100), generated=True),
        char("A", 100, 200),
        char(" ", 120, 200),
        char("B", 140, 200),
        char("\ufffd", 160, 200),
        char("C", 180, 200),
    ]
    words = group_words(chars)
    assert [(word.text, word.line) for word in words] == [
        ("姓名", (0, 0, 0)),
        ("张三", (0, 0, 0)),
        ("A", (0, 0, 1)),
        ("B\ufffdC", (0, 0, 1)),
    ]
    assert words[0] == Word("姓名", (100, 100, 140, 124), 1.0, (0, 0, 0))
    assert words[3].confidence == 0.0  # an unmapped glyph is not a clean read


# ---------------------------------------------------------------- tables


@pytest.mark.parametrize(
    ("data", "encoding", "rows"),
    [
        (
            '交易日期,摘要,金额\n2024-03-01,工资,"12,345.00"\n'.encode("gbk"),
            "gb18030",
            [["交易日期", "摘要", "金额"], ["2024-03-01", "工资", "12,345.00"]],
        ),
        (
            "\ufeff交易日期,摘要\r\n2024-03-01,工资\r\n".encode(),
            "utf-8-sig",
            [["交易日期", "摘要"], ["2024-03-01", "工资"]],
        ),
        (
            "交易日期\t摘要\n2024-03-01\t工资\n".encode("utf-16"),
            "utf-16",
            [["交易日期", "摘要"], ["2024-03-01", "工资"]],
        ),
        (
            b"date;amount\n2024-03-01;100\n",
            "utf-8",
            [["date", "amount"], ["2024-03-01", "100"]],
        ),
    ],
    ids=["gbk-comma", "utf8-bom-crlf", "utf16-tab", "utf8-semicolon"],
)
def test_csv_exports_are_decoded_and_split(limits, data, encoding, rows):
    document = ingest(data, name="statement.csv", limits=limits)
    assert document.media_type == "text/csv"
    assert document.findings == []
    [table] = document.tables
    assert (table.name, table.encoding, table.rows) == ("csv", encoding, rows)


def test_xlsx_sheets_become_tables_of_strings(limits):
    document = ingest(xlsx_bytes(), name="statement.xlsx", limits=limits)
    assert document.media_type.endswith("spreadsheetml.sheet")
    assert document.findings == []
    [table] = document.tables
    assert table.name == "流水"
    assert table.rows == [
        ["交易日期", "摘要", "金额", "余额"],
        ["2024-03-01", "工资", "12345.5", "20000"],
        ["2024-03-02", "转账", "-100"],
    ]


def test_xlsx_zip_bomb_is_refused_before_decompressing(small_limits, monkeypatch):
    def load_workbook(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", load_workbook)
    data = xlsx_zip_bomb(5_000_000)
    assert len(data) < 50_000
    document = ingest(data, name="statement.xlsx", limits=small_limits)
    assert only_finding(document) == Code.FILE_TOO_LARGE
    assert document.findings[0].ctx["limit"] == small_limits.max_table_bytes
    assert document.findings[0].ctx["size"] > 5_000_000


# ---------------------------------------------------------------- bad input


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


BAD_INPUTS: list[tuple[str, Callable[[], bytes], Code, dict[str, object]]] = [
    ("zero-bytes", lambda: b"", Code.FILE_EMPTY, {}),
    (
        "over-max-bytes",
        lambda: b"%PDF-1.7\n" + b"0" * 300_000,
        Code.FILE_TOO_LARGE,
        {"size": 300_009, "limit": 200_000},
    ),
    (
        "truncated-jpeg",
        lambda: _truncated(image_bytes(page_image(), "JPEG")),
        Code.FILE_CORRUPT,
        {},
    ),
    ("truncated-png", lambda: _truncated(image_bytes(page_image(), "PNG")), Code.FILE_CORRUPT, {}),
    (
        "png-header-100000x100000",
        lambda: huge_png_header(100_000, 100_000),
        Code.IMAGE_TOO_LARGE,
        {"pixels": 10_000_000_000},
    ),
    (
        "png-over-max-pixels",
        lambda: image_bytes(page_image((1200, 1000)), "PNG"),
        Code.IMAGE_TOO_LARGE,
        {"pixels": 1_200_000, "limit": 1_000_000},
    ),
    (
        "tiff-too-many-frames",
        lambda: tiff_pages(5),
        Code.TOO_MANY_PAGES,
        {"pages": ">3", "limit": 3},
    ),
    (
        "pdf-too-many-pages",
        lambda: pdf_with_pages(5),
        Code.TOO_MANY_PAGES,
        {"pages": 5, "limit": 3},
    ),
    (
        "pdf-encrypted",
        lambda: text_pdf(owner_password="o", user_password="secret"),
        Code.PDF_ENCRYPTED,
        {},
    ),
    ("pdf-corrupt", lambda: b"%PDF-1.4\n1 0 obj <<>> garbage", Code.FILE_CORRUPT, {}),
    ("pdf-truncated", lambda: _truncated(pdf_with_pages(2))[:200], Code.FILE_CORRUPT, {}),
    (
        "unknown-bytes",
        lambda: bytes(range(256)) * 4,
        Code.FILE_UNSUPPORTED,
        {"detected": "unknown binary data"},
    ),
    (
        "gif",
        lambda: image_bytes(page_image(mode="P"), "GIF"),
        Code.FILE_UNSUPPORTED,
        {"detected": "GIF image"},
    ),
    (
        "plain-zip",
        lambda: _zip({"notes.txt": "hello"}),
        Code.FILE_UNSUPPORTED,
        {"detected": "ZIP archive"},
    ),
    ("truncated-xlsx", lambda: _truncated(xlsx_bytes()), Code.FILE_CORRUPT, {}),
    (
        "xlsx-zip-bomb",
        lambda: xlsx_zip_bomb(1_000_000),
        Code.FILE_TOO_LARGE,
        {"size": 1_000_019, "limit": 100_000},
    ),
    ("csv-too-many-rows", lambda: b"a,b\n" * 6, Code.TABLE_TOO_LONG, {}),
    (
        "csv-over-table-bytes",
        lambda: b"a,b\n" * 30_000,
        Code.FILE_TOO_LARGE,
        {"size": 120_000, "limit": 100_000},
    ),
]


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@needs_fonts
@pytest.mark.parametrize(
    ("build", "code", "ctx"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_is_a_finding(small_limits, build, code, ctx):
    document = ingest(build(), name="upload.bin", limits=small_limits)
    assert only_finding(document) == code
    finding = document.findings[0]
    assert finding.file == "upload.bin"
    assert finding.ctx.items() >= ctx.items()
    assert document.pages == [] and document.tables == []
    for lang in ("en", "zh"):
        [worded] = localize([finding], lang)
        assert "{" not in worded.message and "{" not in worded.hint, worded.message


def test_bomb_header_is_refused_quickly_without_allocating(limits):
    data = huge_png_header(100_000, 100_000)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        document = ingest(data, name="bomb.png", limits=limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert only_finding(document) == Code.IMAGE_TOO_LARGE
    assert time.perf_counter() - started < 1.0
    assert peak < 5_000_000


def test_heic_without_pillow_heif_names_the_extra(limits, monkeypatch):
    monkeypatch.setattr(checker.ingest.image, "_heif_opener_registered", lambda: False)
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    document = ingest(heic, name="IMG_0001.HEIC", limits=limits)
    assert document.media_type == "image/heic"
    assert only_finding(document) == Code.FILE_UNSUPPORTED
    assert "docready[heic]" in document.findings[0].ctx["detected"]


def test_extension_that_lies_is_ignored(limits):
    document = ingest(image_bytes(page_image(), "PNG"), name="statement.pdf", limits=limits)
    assert document.media_type == "image/png"
    assert len(document.pages) == 1
    assert document.findings == []


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"BM,2024-03-01,100\n", "csv"),  # "BM" alone is not a bitmap
        (b"junk before the header %PDF-1.7\n", "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls"),
    ],
    ids=["csv-starting-bm", "pdf-after-junk", "old-xls"],
)
def test_sniffing_uses_more_than_two_bytes(data, kind):
    assert sniff(data).kind == kind


# ---------------------------------------------------------------- paths and names


def test_path_is_read_and_named_by_its_basename(tmp_path, limits):
    path = tmp_path / "身份证 正面.png"
    path.write_bytes(image_bytes(page_image(), "PNG"))
    document = ingest(path, limits=limits)
    assert document.file == "身份证 正面.png"
    assert document.size == path.stat().st_size
    assert len(document.sha256) == 64
    assert len(document.pages) == 1


def test_large_path_is_refused_from_its_size_without_reading(tmp_path, small_limits, monkeypatch):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MiB written
    real_open = open

    def guarded_open(file, *args, **kwargs):
        assert os.fspath(file) != os.fspath(path), "the oversized file was opened"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded_open)
    document = ingest(str(path), limits=small_limits)
    assert only_finding(document) == Code.FILE_TOO_LARGE
    assert document.findings[0].ctx == {"size": 50 * 1024 * 1024, "limit": 200_000}
    assert document.size == 50 * 1024 * 1024


def test_bytes_without_a_name_is_a_programming_error(limits):
    with pytest.raises(TypeError, match="name"):
        ingest(b"%PDF-1.7", limits=limits)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\id.jpg", "id.jpg"),
        ("C:\\Users\\张三\\Desktop\\身份证.jpg", "身份证.jpg"),
        ("scan\x00.pdf", "scan.pdf"),
        ("bank\x1b[31mstatement\n.csv", "bank[31mstatement.csv"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("身份证😀👨‍👩‍👧.jpg", "身份证😀👨‍👩‍👧.jpg"),
        ("x" * 1000 + ".pdf", "x" * 251 + ".pdf"),
        ("y" * 1000, "y" * 255),
        ("..", "unnamed"),
        ("dir/", "unnamed"),
        ("\udcff.png", "\ufffd.png"),
        ("e\u0301.pdf", "\u00e9.pdf"),
    ],
    ids=[
        "dot-dot",
        "windows-dot-dot",
        "windows-path",
        "nul",
        "escape-and-newline",
        "bidi-override",
        "emoji",
        "1000-chars-with-suffix",
        "1000-chars",
        "only-dots",
        "directory",
        "undecodable-byte",
        "decomposed-accent",
    ],
)
def test_display_name_is_sanitised(limits, raw, shown):
    assert display_name(raw) == shown
    document = ingest(b"", name=raw, limits=limits)
    assert document.file == shown
    assert len(document.file) <= 255


# ---------------------------------------------------------------- never raises

MAGIC_PREFIXES = [
    b"",
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"II*\x00",
    b"MM\x00*",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"BM\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x28\x00\x00\x00",
    b"\x00\x00\x00\x18ftypheic",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    "交易日期,金额\n".encode("gbk"),
]


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")  # Pillow's note on a bad EXIF block
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(MAGIC_PREFIXES), body=st.binary(max_size=2048))
def test_any_bytes_give_a_document_and_never_raise(prefix, body):
    limits = default_policy().limits
    document = ingest(prefix + body, name="fuzz", limits=limits)
    assert isinstance(document, Document)
    assert document.size == len(prefix + body)
    assert document.pages or document.tables or document.findings
