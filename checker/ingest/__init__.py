"""Ingest: one uploaded file, as bytes or a path, becomes a Document of pages or tables.

The type is sniffed from the bytes, never taken from the name. A bad file is never an
exception: what went wrong is a finding in `Document.findings`. Only a caller's mistake
raises (bytes without a name, a path that cannot be read).
"""

from __future__ import annotations

import hashlib
import logging
import os
import unicodedata
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO

from checker.document import Document
from checker.findings import new_finding
from checker.ingest.common import Content, Problem, Refused
from checker.ingest.image import read_heif, read_image
from checker.ingest.pdf import read_pdf
from checker.ingest.tables import (
    ZIP_ERRORS,
    decode_text,
    read_csv,
    read_legacy_sheets,
    read_xlsx,
)
from checker.policy import Limits, Policy
from schemas.findings import Code, Finding

logger = logging.getLogger(__name__)

MAX_NAME_CHARS = 255
MAX_KEPT_SUFFIX = 16  # a longer "extension" is part of the name when the name is cut
UNNAMED = "unnamed"
SNIFF_TEXT_BYTES = 64 * 1024
PDF_HEADER_WINDOW = 1024  # PDF readers accept junk before %PDF- within the first KiB
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1"}


class Kind(StrEnum):
    """The file types ingest can read, and one for all the others."""

    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    WEBP = "webp"
    BMP = "bmp"
    HEIF = "heif"
    PDF = "pdf"
    XLSX = "xlsx"
    XLS = "xls"
    ODS = "ods"
    CSV = "csv"
    OTHER = "other"


@dataclass(frozen=True)
class FileType:
    """What the bytes are: a kind, its media type, and a label for messages."""

    kind: Kind
    media_type: str | None
    label: str


PIL_FORMATS = {
    Kind.JPEG: "JPEG",
    Kind.PNG: "PNG",
    Kind.TIFF: "TIFF",
    Kind.WEBP: "WEBP",
    Kind.BMP: "BMP",
}


Source = str | os.PathLike[str] | tuple[str, bytes]  # a path, or (file name, bytes)


def ingest_source(source: Source, policy: Policy) -> Document:
    """`ingest` of a path or a (file name, bytes) pair, as the policy says (its size limits,
    the render's resolution)."""
    if isinstance(source, tuple):
        name, data = source
        return ingest(data, name=name, limits=policy.limits, render_dpi=policy.ocr.render_dpi)
    return ingest(source, limits=policy.limits, render_dpi=policy.ocr.render_dpi)


def ingest(
    source: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    limits: Limits,
    render_dpi: int = 300,
) -> Document:
    """Read one file into a Document; problems with the file are its findings.

    `source` is a path, or the file's bytes with `name` (the name the applicant gave it).
    Raises TypeError for bytes without a name and OSError for a path that cannot be read.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        if name is None:
            raise TypeError("ingest(bytes) needs name= for the document's display name")
        return _ingest_bytes(bytes(source), display_name(name), limits, render_dpi)
    path = os.fspath(source)
    file = display_name(name if name is not None else os.path.basename(os.fsdecode(path)))
    size = os.stat(path).st_size
    if size > limits.max_file_bytes:
        return _too_large(file, size, limits)
    with open(path, "rb") as handle:
        data = handle.read(limits.max_file_bytes + 1)  # the file may grow after the stat
    return _ingest_bytes(data, file, limits, render_dpi)


def display_name(raw: str) -> str:
    """A file name safe to show and store: the base name only, no control characters,
    at most 255 characters (keeping a short extension when it is cut)."""
    text = unicodedata.normalize("NFC", raw)
    text = "".join(_safe_char(char) for char in text)
    text = text.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if text in ("", ".", ".."):
        return UNNAMED
    if len(text) <= MAX_NAME_CHARS:
        return text
    stem, dot, suffix = text.rpartition(".")
    if dot and stem and len(suffix) <= MAX_KEPT_SUFFIX:
        return stem[: MAX_NAME_CHARS - len(suffix) - 1] + "." + suffix
    return text[:MAX_NAME_CHARS]


def sniff(data: bytes) -> FileType:
    """The file type from the leading bytes (magic numbers); text is tried last."""
    for test in (_sniff_image, _sniff_document, _sniff_archive, _sniff_text):
        found = test(data)
        if found is not None:
            return found
    return FileType(Kind.OTHER, None, "unknown binary data")


def _ingest_bytes(data: bytes, file: str, limits: Limits, render_dpi: int) -> Document:
    digest = hashlib.sha256(data).hexdigest()
    if len(data) > limits.max_file_bytes:
        return _too_large(file, len(data), limits, sha256=digest)
    document = Document(file=file, media_type=None, sha256=digest, size=len(data))
    content = _read(data, document, limits, render_dpi)
    document.pages, document.tables = content.pages, content.tables
    document.findings = [_finding(problem, file) for problem in content.problems]
    logger.debug(
        "ingested %s… as %s: %d pages, %d tables, findings %s",
        digest[:12],
        document.media_type,
        len(document.pages),
        len(document.tables),
        [finding.code.value for finding in document.findings],
    )
    return document


def _read(data: bytes, document: Document, limits: Limits, render_dpi: int) -> Content:
    """Sniff the bytes, set the media type, and run the reader for their kind."""
    if not data:
        return Content(problems=[Problem(Code.FILE_EMPTY)])
    file_type = sniff(data)
    document.media_type = file_type.media_type
    try:
        return _run_reader(file_type, data, limits, render_dpi)
    except Refused as refusal:
        return Content(problems=[refusal.problem])


def _run_reader(file_type: FileType, data: bytes, limits: Limits, render_dpi: int) -> Content:
    match file_type.kind:
        case Kind.PDF:
            return read_pdf(data, limits, render_dpi=render_dpi)
        case Kind.XLSX:
            return read_xlsx(data, limits)
        case Kind.XLS:
            return read_legacy_sheets(data, limits)
        case Kind.ODS:
            return read_legacy_sheets(data, limits, ods=True)
        case Kind.CSV:
            return read_csv(data, limits)
        case Kind.HEIF:
            return read_heif(data, limits)
        case Kind.OTHER:
            raise Refused.because(Code.FILE_UNSUPPORTED, detected=file_type.label)
    return read_image(data, limits, pil_format=PIL_FORMATS[file_type.kind])


def _too_large(file: str, size: int, limits: Limits, *, sha256: str = "") -> Document:
    """A document refused for its size. From a path the bytes were never read: no hash."""
    finding = new_finding(Code.FILE_TOO_LARGE, file=file, size=size, limit=limits.max_file_bytes)
    return Document(file=file, media_type=None, sha256=sha256, size=size, findings=[finding])


def _finding(problem: Problem, file: str) -> Finding:
    return new_finding(problem.code, file=file, loc=problem.loc, **problem.ctx)


def _safe_char(char: str) -> str:
    """Control and direction-override characters go; an undecodable byte becomes U+FFFD."""
    category = unicodedata.category(char)
    if category == "Cs":  # os.fsdecode's stand-in for a byte that was not UTF-8
        return "\ufffd"
    if category == "Cc" or char in BIDI_CONTROLS:
        return ""
    return char


def _sniff_image(data: bytes) -> FileType | None:
    if data.startswith(b"\xff\xd8\xff"):
        return FileType(Kind.JPEG, "image/jpeg", "JPEG image")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType(Kind.PNG, "image/png", "PNG image")
    if data[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return FileType(Kind.TIFF, "image/tiff", "TIFF image")
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return FileType(Kind.WEBP, "image/webp", "WebP image")
    if data.startswith(b"BM") and data[14:18] in _BMP_HEADER_SIZES:
        return FileType(Kind.BMP, "image/bmp", "BMP image")
    if data[4:8] == b"ftyp":
        return _sniff_iso_media(data)
    if data.startswith((b"GIF87a", b"GIF89a")):
        return FileType(Kind.OTHER, "image/gif", "GIF image")
    return None


_BMP_HEADER_SIZES = {size.to_bytes(4, "little") for size in (12, 40, 52, 56, 64, 108, 124)}


def _sniff_iso_media(data: bytes) -> FileType:
    """HEIC/HEIF photos, or other ISO base media files (AVIF, video)."""
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, min(len(data), 64), 4)}
    if brands & HEIF_BRANDS:
        return FileType(Kind.HEIF, "image/heic", "HEIC/HEIF image")
    if brands & {b"avif", b"avis"}:
        return FileType(Kind.OTHER, "image/avif", "AVIF image")
    return FileType(Kind.OTHER, None, "video or other media file")


def _sniff_document(data: bytes) -> FileType | None:
    if b"%PDF-" in data[:PDF_HEADER_WINDOW]:
        return FileType(Kind.PDF, "application/pdf", "PDF")
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return FileType(Kind.XLS, "application/vnd.ms-excel", "old Office file (XLS or DOC)")
    return None


def _sniff_archive(data: bytes) -> FileType | None:
    """XLSX, or another ZIP-based format named by what it holds."""
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        for magic, label in _OTHER_ARCHIVES:
            if data.startswith(magic):
                return FileType(Kind.OTHER, None, label)
        return None
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except ZIP_ERRORS:
        # A damaged zip: most likely a spreadsheet cut short, and the reader will say so.
        return FileType(Kind.XLSX, "application/zip", "damaged ZIP archive")
    if "xl/workbook.xml" in names:
        return FileType(Kind.XLSX, _XLSX_TYPE, "XLSX workbook")
    if "content.xml" in names and _ods_mimetype(data):
        return FileType(Kind.ODS, _ODS_TYPE, "ODS spreadsheet")
    if "word/document.xml" in names:
        return FileType(Kind.OTHER, _DOCX_TYPE, "Word document (DOCX)")
    if "OFD.xml" in names:
        return FileType(Kind.OTHER, "application/ofd", "OFD document")
    return FileType(Kind.OTHER, "application/zip", "ZIP archive")


_ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


def _ods_mimetype(data: bytes) -> bool:
    """An OpenDocument spreadsheet stores its media type uncompressed, first in the archive."""
    return _ODS_TYPE.encode() in data[:200]


_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_OTHER_ARCHIVES = (
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x1f\x8b", "gzip archive"),
)


def _sniff_text(data: bytes) -> FileType | None:
    if decode_text(data[:SNIFF_TEXT_BYTES], final=len(data) <= SNIFF_TEXT_BYTES) is None:
        return None
    return FileType(Kind.CSV, "text/csv", "text")
