"""The hostile-input corpus: every bad file is built here from code, none is committed.

Each `Item` is one bad (or merely odd) upload: the bytes, the name the applicant gave it, and
what docready must say about it. `build_corpus(folder)` writes every item into a folder (with
a `manifest.json`), for the fuzz target's seeds or for trying an item by hand:

    python tests/hostile/corpus.py /tmp/hostile-corpus

The limits the items aim at are the default policy's (checker/policies/default.yaml): 25 MiB
a file, 60 Mpx a page, 50 pages, 100 000 rows and 10 MiB of table text.
"""

from __future__ import annotations

import io
import json
import random
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "applications"
GOOD_CASE = "clean_csv_two_statements"
GOOD_FILE = "statement_2026-05_2026-07.csv"  # a GBK bank statement export: read without OCR
GOOD_KIND = "bank_statement"
CARD_SIZE = (1011, 638)  # an ID card scanned at 300 DPI: OCR on it stays around a second
MANY = 5000  # "thousands" of pages or frames; the default policy allows 50


@dataclass(frozen=True)
class Item:
    """One hostile upload and what the checker must make of it.

    `codes`: the document must carry at least one of these finding codes (empty: no
    requirement beyond "no crash"); `forbidden`: codes it must not carry (a readable file
    must not be called corrupt). `kind`: the media type ingest must sniff. `status`: what
    `POST /v1/documents/check` answers. `shown`: the display name the report must use.
    `disk_name`: the name on disk for the CLI where `name` cannot be a file name.
    """

    id: str
    name: str
    build: Callable[[], bytes]
    codes: frozenset[str] = frozenset()
    forbidden: frozenset[str] = frozenset()
    media_type: str | None = None
    pages: int | None = None
    status: int = 200
    shown: str | None = None
    disk_name: str | None = None
    note: str = ""
    bug: str | None = None  # a known library bug this item shows: the test is xfail(strict)
    tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def file_name(self) -> str:
        """The name to give the file on disk (CLI, batch, build_corpus)."""
        return self.disk_name or self.name

    def data(self) -> bytes:
        return _built(self.id)


# ---------------------------------------------------------------- small builders


def image_bytes(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def card_image(size: tuple[int, int] = CARD_SIZE) -> Image.Image:
    """A white card with dark bars where a card's text lines would be."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    width, height = size
    for row in range(5):
        top = height // 8 + row * height // 7
        draw.rectangle((width // 10, top, width * 6 // 10, top + height // 25), fill=30)
    return image


def png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG whose header declares width x height RGB pixels: a few hundred bytes on disk."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # a few rows of real (zero) data; a full 30 GB stream would compress to ~30 MB
    pixels = zlib.compress(b"\x00" * (1 + 3 * min(width, 4096)) * 16, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def many_frame_tiff(frames: int = MANY) -> bytes:
    """A little-endian TIFF of `frames` 1x1 bilevel frames, one IFD after the other."""
    entries = 8
    ifd_size = 2 + entries * 12 + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    for index in range(frames):
        start = len(out)
        strip = start + ifd_size  # one byte of pixel data after each IFD
        following = strip + 2 if index < frames - 1 else 0
        tags = [
            (256, 4, 1, 1),  # ImageWidth
            (257, 4, 1, 1),  # ImageLength
            (258, 3, 1, 1),  # BitsPerSample
            (259, 3, 1, 1),  # Compression: none
            (262, 3, 1, 1),  # Photometric: black is zero
            (273, 4, 1, strip),  # StripOffsets
            (278, 4, 1, 1),  # RowsPerStrip
            (279, 4, 1, 1),  # StripByteCounts
        ]
        out += struct.pack("<H", entries)
        for tag, kind, count, value in tags:
            out += struct.pack("<HHII", tag, kind, count, value)
        out += struct.pack("<I", following)
        out += b"\x80\x00"  # the pixel, and a pad byte to keep IFDs word-aligned
    return bytes(out)


def tiff_ifd_loop() -> bytes:
    """A TIFF whose second IFD points back at the first: frames without end."""
    data = bytearray(many_frame_tiff(2))
    second = struct.unpack_from("<I", data, 8 + 2 + 8 * 12)[0]
    struct.pack_into("<I", data, second + 2 + 8 * 12, 8)
    return bytes(data)


def pdf_document(objects: list[bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF of numbered objects (1-based) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (len(objects) + 1, root, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _text_stream(lines: list[str], size: int = 12) -> bytes:
    body = b"BT /F1 %d Tf 72 760 Td %d TL " % (size, size + 6)
    for line in lines:
        body += b"(" + line.encode("latin-1") + b") Tj T* "
    body += b"ET"
    return b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"


TEXT_LINES = [
    "This page has a real text layer and nothing to check.",
    "It is long enough to be trusted as text rather than rendered.",
]


def text_pdf(extra_catalog: bytes = b"", extra_objects: list[bytes] | None = None) -> bytes:
    """A one-page A4 PDF with a Helvetica text layer (no OCR needed)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        _text_stream(TEXT_LINES),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *(extra_objects or []),
    ]
    return pdf_document(objects)


def many_page_pdf(pages: int = MANY) -> bytes:
    """A PDF with `pages` empty A4 pages, each its own object."""
    first = 3
    kids = b" ".join(b"%d 0 R" % (first + index) for index in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return pdf_document(objects)


def page_tree_loop() -> bytes:
    """A page tree whose intermediate node lists itself as a kid."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R 4 0 R] /Count 1000000 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>",
    ]
    return pdf_document(objects)


def encrypted_pdf() -> bytes:
    """A text PDF (fpdf2, RC4) that needs a user password to open."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    for number, line in enumerate(TEXT_LINES):
        pdf.text(72, 100 + 24 * number, line)
    return bytes(pdf.output())


def javascript_pdf() -> bytes:
    """A text PDF that runs JavaScript on open (OpenAction) and from the page's AA."""
    script = (
        b"<< /Type /Action /S /JavaScript /JS (app.alert\\('pwned'\\); "
        b"this.exportDataObject\\({cName: 'x', nLaunch: 2}\\);) >>"
    )
    return text_pdf(b"/OpenAction 6 0 R /Names << /JavaScript 7 0 R >> ", [script, _js_tree()])


def _js_tree() -> bytes:
    return b"<< /Names [(init) 6 0 R] >>"


def corrupt_xref_pdf() -> bytes:
    """The text PDF with every cross-reference offset, and startxref, pointing at garbage."""
    data = text_pdf()
    data = re.sub(rb"\d{10} 00000 n ", lambda m: b"%010d 00000 n " % 7_777_777, data)
    return re.sub(rb"startxref\n\d+", b"startxref\n99999999", data)


def broken_pdf() -> bytes:
    """A PDF header, a corrupt cross-reference table and no objects at all."""
    return (
        b"%PDF-1.7\nxref\n0 3\n0000000000 65535 f \nzzzzzzzzzz 00000 n \n"
        b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"
    )


def pdf_image_bomb() -> bytes:
    """A one-page PDF drawing a 20000 x 20000 greyscale image (400 Mpx, ~400 KB deflated)."""
    side = 20_000
    row = b"\xff" * side
    compressor = zlib.compressobj(9)
    stream = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    image = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (side, side, len(stream))
        + stream
        + b"\nendstream"
    )
    content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /XObject << /Im1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        image,
    ]
    return pdf_document(objects)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "流水"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A valid small workbook whose first sheet's XML is replaced by `sheet_xml`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["交易日期", "金额"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            archive.writestr(info.filename, data)
    return buffer.getvalue()


def xlsx_zip_bomb(unpacked: int = 1 << 30) -> bytes:
    """A workbook whose sheet XML inflates to 1 GiB of spaces (about 1 MB deflated); the
    sizes in the ZIP directory are the true ones."""
    head = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>'
    )
    chunk = b" " * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = (unpacked - len(head)) // len(chunk)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    deflated = first + repeated * count + compressor.flush()  # full flushes: blocks repeat
    members = _xlsx_members([["交易日期", "金额"]])
    members["xl/worksheets/sheet1.xml"] = (deflated, crc, len(head) + count * len(chunk))
    return zip_raw(members)


def _xlsx_members(rows: list[list[object]]) -> dict[str, tuple[bytes, int, int]]:
    """The members of a small real workbook as (raw deflate data, crc32, size)."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(rows))) as source:
        for name in source.namelist():
            data = source.read(name)
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            deflated = compressor.compress(data) + compressor.flush()
            members[name] = (deflated, zlib.crc32(data), len(data))
    return members


def zip_raw(members: dict[str, tuple[bytes, int, int]]) -> bytes:
    """A ZIP of already deflated members, headers written by hand (sizes as given)."""
    out = bytearray()
    directory = bytearray()
    for name, (deflated, crc, size) in members.items():
        encoded = name.encode()
        offset = len(out)
        fields = (20, 0, 8, 0, 0x21, crc, len(deflated), size, len(encoded))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + deflated
        directory += struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIH", *fields)
        directory += struct.pack("<HHHHII", 0, 0, 0, 0, 0, offset) + encoded
    start = len(out)
    out += directory
    count = len(members)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), start, 0)
    return bytes(out)


def xlsx_wide_rows(rows: int = 20_000) -> bytes:
    """A small sheet XML (about 1 MB) whose rows each hold one cell in column ZZZ (18278):
    a reader that pads every row out to its last cell makes 18 278 cells a row."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main"><sheetData>'
    )
    body = b"".join(b'<row r="%d"><c r="ZZZ%d"><v>1</v></c></row>' % (n, n) for n in range(1, rows))
    return xlsx_with_sheet(head + body + b"</sheetData></worksheet>")


def xlsx_without_worksheets() -> bytes:
    """A well-formed workbook whose `<sheets>` list is empty: nothing to read in it."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["交易日期", "金额"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/workbook.xml":
                data = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data, flags=re.S)
            archive.writestr(name, data)
    return buffer.getvalue()


def csv_one_long_line(size: int = 10_000_000) -> bytes:
    """One 10 MB line of short comma-separated cells (under the 10 MiB table limit)."""
    return b"12.50," * (size // 6)


def csv_one_huge_field(size: int = 10_000_000) -> bytes:
    """One 10 MB line that is one cell: past csv's field size limit."""
    return "交易日期,".encode("gbk") + b"9" * (size - 9)


def good_statement() -> bytes:
    return (FIXTURES / GOOD_CASE / GOOD_FILE).read_bytes()


def csv_gbk_shuffled() -> bytes:
    """A GBK statement export under a UTF-8 Chinese name: the good statement's text."""
    return good_statement()


def png_with_pdf_inside() -> bytes:
    """A polyglot: a valid PNG (a card) that is also a valid PDF (%PDF- in its first KiB,
    a whole PDF after IEND)."""
    png = image_bytes(card_image(), "PNG")
    pdf = text_pdf()
    header_end = 8 + 25  # signature + IHDR chunk
    marker = png_chunk(b"tEXt", b"Comment\x00%PDF-1.7 " + b" " * 16)
    return png[:header_end] + marker + png[header_end:] + pdf


def pdf_with_xlsx_inside() -> bytes:
    """A polyglot: a text PDF followed by an XLSX (ZIP readers look from the end)."""
    return text_pdf() + xlsx_bytes([["交易日期", "金额"], ["2026-05-03", "100.00"]])


def noise_image() -> bytes:
    rng = random.Random(10)
    width, height = CARD_SIZE
    image = Image.frombytes("L", CARD_SIZE, rng.randbytes(width * height))
    return image_bytes(image, "PNG")


def blank_page() -> bytes:
    return image_bytes(Image.new("L", CARD_SIZE, 255), "PNG")


def one_pixel() -> bytes:
    return image_bytes(Image.new("RGB", (1, 1), "white"), "PNG")


def jpeg_huge_header() -> bytes:
    """A JPEG whose SOF header declares 65500 x 65500 pixels (4.3 Gpx)."""
    data = bytearray(image_bytes(Image.new("L", (16, 16), 128), "JPEG"))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, 65500, 65500)
    return bytes(data)


# ---------------------------------------------------------------- the corpus

CORRUPT = frozenset({"file_corrupt"})
FILE_CODES = frozenset(
    {
        "file_empty",
        "file_too_large",
        "file_unsupported",
        "file_corrupt",
        "pdf_encrypted",
        "too_many_pages",
        "image_too_large",
        "table_too_long",
    }
)
READ_PROBLEMS = frozenset(
    {
        "unreadable",
        "document_unknown",
        "image_low_resolution",
        "image_blurry",
        "image_too_dark",
        "image_cut_off",
        "image_glare",
        "ocr_timeout",
        "ocr_failed",
    }
)
LONG_NAME = "银行流水" * 40 + "😀.png"  # 165 characters, 484 bytes: longer than a disk allows

ITEMS: list[Item] = [
    Item("zero-bytes", "empty.jpg", lambda: b"", codes=frozenset({"file_empty"})),
    Item(
        "truncated-jpeg",
        "id_front.jpg",
        lambda: truncated(image_bytes(card_image().convert("RGB"), "JPEG", quality=90)),
        codes=CORRUPT,
        media_type="image/jpeg",
    ),
    Item(
        "truncated-png",
        "id_back.png",
        lambda: truncated(image_bytes(card_image(), "PNG")),
        codes=CORRUPT,
        media_type="image/png",
    ),
    Item(
        "png-bomb-100000x100000",
        "bomb.png",
        png_bomb,
        codes=frozenset({"image_too_large"}),
        media_type="image/png",
    ),
    Item(
        "jpeg-header-65500x65500",
        "huge.jpg",
        jpeg_huge_header,
        codes=frozenset({"image_too_large"}),
        media_type="image/jpeg",
    ),
    Item(
        "tiff-5000-frames",
        "scan.tiff",
        many_frame_tiff,
        codes=frozenset({"too_many_pages"}),
        media_type="image/tiff",
    ),
    Item(
        "tiff-ifd-loop",
        "loop.tif",
        tiff_ifd_loop,
        codes=frozenset({"file_corrupt", "too_many_pages"}) | READ_PROBLEMS,
        media_type="image/tiff",
        note="Pillow stops at the loop; the frames before it are pages (or it is corrupt)",
    ),
    Item(
        "pdf-5000-pages",
        "statement.pdf",
        many_page_pdf,
        codes=frozenset({"too_many_pages"}),
        media_type="application/pdf",
    ),
    Item(
        "pdf-page-tree-loop",
        "loop.pdf",
        page_tree_loop,
        codes=frozenset({"file_corrupt", "too_many_pages", "unreadable"}) | READ_PROBLEMS,
        media_type="application/pdf",
    ),
    Item(
        "pdf-encrypted",
        "certificate.pdf",
        encrypted_pdf,
        codes=frozenset({"pdf_encrypted"}),
        media_type="application/pdf",
    ),
    Item(
        "pdf-javascript",
        "certificate.pdf",
        javascript_pdf,
        codes=frozenset({"document_unknown"}),
        forbidden=FILE_CODES,
        media_type="application/pdf",
        pages=1,
        note="read like any PDF: the script is never run (no form environment)",
    ),
    Item(
        "pdf-corrupt-xref",
        "statement.pdf",
        corrupt_xref_pdf,
        codes=frozenset({"document_unknown"}),
        forbidden=FILE_CODES,
        media_type="application/pdf",
        pages=1,
        note="PDFium rebuilds a broken cross-reference table from the objects",
    ),
    Item(
        "pdf-xref-no-objects",
        "statement.pdf",
        broken_pdf,
        codes=CORRUPT,
        media_type="application/pdf",
    ),
    Item(
        "pdf-image-400mpx",
        "scan.pdf",
        pdf_image_bomb,
        codes=frozenset({"image_too_large"}),
        media_type="application/pdf",
        note="an A4 page drawing a 400 Mpx image: PDFium decodes it whole (~600 MB) to render",
    ),
    Item(
        "extension-lies-png-as-pdf",
        "statement.pdf",
        lambda: image_bytes(card_image(), "PNG"),
        forbidden=FILE_CODES,
        media_type="image/png",
        pages=1,
    ),
    Item(
        "extension-lies-pdf-as-jpg",
        "photo.jpg",
        text_pdf,
        codes=frozenset({"document_unknown"}),
        forbidden=FILE_CODES,
        media_type="application/pdf",
        pages=1,
    ),
    Item(
        "polyglot-png-pdf",
        "id_front.png",
        png_with_pdf_inside,
        forbidden=FILE_CODES,
        media_type="image/png",
        pages=1,
        note="the image magic wins over the %PDF- marker inside the first KiB",
    ),
    Item(
        "polyglot-pdf-xlsx",
        "statement.xlsx",
        pdf_with_xlsx_inside,
        codes=frozenset({"document_unknown"}),
        forbidden=FILE_CODES,
        media_type="application/pdf",
        pages=1,
    ),
    Item(
        "xlsx-zip-bomb-1gb",
        "statement.xlsx",
        xlsx_zip_bomb,
        codes=frozenset({"file_too_large"}),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    Item(
        "xlsx-rows-padded-to-column-zzz",
        "statement.xlsx",
        xlsx_wide_rows,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        codes=frozenset({"table_too_long", "table_too_wide", "document_unknown"}),
        note="20 000 one-cell rows become 365 million cells: no cap on a table's cells",
    ),
    Item(
        "xlsx-no-worksheets",
        "statement.xlsx",
        xlsx_without_worksheets,
        codes=frozenset({"file_corrupt", "document_unknown"}),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        note="found by the fuzz target: no pages, no tables and no finding, so never checked",
    ),
    Item(
        "csv-gbk-utf8-name",
        "银行流水_长川银行_2026年5-7月.csv",
        csv_gbk_shuffled,
        forbidden=FILE_CODES,
        media_type="text/csv",
        tags=frozenset({"statement"}),
    ),
    Item(
        "csv-10mb-one-line",
        "statement.csv",
        csv_one_long_line,
        codes=frozenset({"document_unknown", "table_too_wide"}),
        note="1.67 million cells in one row: read, then 8 s and ~650 MB to classify",
        media_type="text/csv",
    ),
    Item(
        "csv-10mb-one-field",
        "statement.csv",
        csv_one_huge_field,
        codes=CORRUPT,
        media_type="text/csv",
    ),
    Item(
        "name-dot-dot",
        "../../../etc/passwd",
        lambda: b"",
        codes=frozenset({"file_empty"}),
        shown="passwd",
        disk_name="passwd",
    ),
    Item(
        "name-nul",
        "scan\x00.jpg.exe",
        lambda: b"",
        codes=frozenset({"file_empty"}),
        shown="scan.jpg.exe",
        disk_name="scan.jpg.exe",
    ),
    Item(
        "name-very-long",
        LONG_NAME,
        one_pixel,
        shown=LONG_NAME,
        disk_name="银行流水" * 20 + "😀.png",  # 244 bytes: ext4 allows 255
        codes=frozenset({"image_low_resolution"}),
    ),
    Item(
        "name-emoji-and-controls",
        "身份证😀👨‍👩‍👧\u202egpj.\x1b[31m.png",
        blank_page,
        shown="身份证😀👨‍👩‍👧gpj.[31m.png",
        disk_name="身份证😀👨‍👩‍👧.png",
        codes=frozenset({"unreadable"}),
    ),
    Item(
        "image-pure-noise",
        "id_front.png",
        noise_image,
        codes=READ_PROBLEMS,
        media_type="image/png",
        pages=1,
    ),
    Item(
        "blank-white-page",
        "income_certificate.png",
        blank_page,
        codes=frozenset({"unreadable"}),
        media_type="image/png",
        pages=1,
    ),
    Item(
        "image-1x1",
        "id_back.png",
        one_pixel,
        codes=frozenset({"image_low_resolution"}),
        media_type="image/png",
        pages=1,
    ),
]

BY_ID = {item.id: item for item in ITEMS}


@cache
def _built(item_id: str) -> bytes:
    return BY_ID[item_id].build()


def build_corpus(folder: str | Path) -> list[Path]:
    """Write every item into `folder` (one file each, by id) and a manifest; the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths, manifest = [], []
    for item in ITEMS:
        path = folder / f"{item.id}.bin"
        path.write_bytes(item.data())
        paths.append(path)
        manifest.append(
            {
                "id": item.id,
                "file": path.name,
                "name": item.name,
                "bytes": path.stat().st_size,
                "codes": sorted(item.codes),
                "note": item.note,
            }
        )
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return paths


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/hostile/corpus.py OUT_FOLDER", file=sys.stderr)
        return 2
    paths = build_corpus(argv[0])
    total = sum(path.stat().st_size for path in paths)
    print(f"{len(paths)} items, {total} bytes in {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
