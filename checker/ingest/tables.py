"""Reading CSV exports and XLSX, legacy XLS and ODS workbooks into tables of cell strings.

XLSX stays with openpyxl (read-only, zip-bomb checked); `.xls` and `.ods` are read with
python-calamine, one Rust reader for both (xlrd reads only `.xls`, and openpyxl neither).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from xml.etree.ElementTree import ParseError

import openpyxl
import python_calamine
from openpyxl.utils.exceptions import InvalidFileException

from checker.document import Table
from checker.ingest.common import Content, Refused
from checker.policy import Limits
from schemas.findings import Code

DELIMITERS = ",\t;|"
MAX_TABLE_COLUMNS = 256  # no bank or payroll export comes near; a row wider is not a statement
SNIFF_SAMPLE_CHARS = 8192
MAX_ODD_CHAR_SHARE = 0.01  # control characters allowed in something still called text
# Control (except tab, newlines and the \x1a end mark of old DOS exports), surrogate and
# private-use characters: what binary data decodes to, and text does not contain.
ODD_CHARS = re.compile(
    "[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]"
)
# What a damaged, encrypted or exotic ZIP makes zipfile raise.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,  # compression methods and ZIP versions zipfile does not know
    RuntimeError,  # an encrypted member
    OSError,
    EOFError,
    ValueError,
    struct.error,
)
XLSX_ERRORS = (
    *ZIP_ERRORS,
    InvalidFileException,
    ParseError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
)


def decode_text(data: bytes, *, final: bool = True) -> tuple[str, str] | None:
    """The bytes as text and the encoding that read them: UTF-16 by BOM, UTF-8, GB18030.

    None when no encoding reads them or the result has the control characters of binary
    data. With final=False, `data` may be a prefix cut inside a character.
    """
    for encoding in _candidate_encodings(data):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(data, final=final)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            name = "utf-8" if encoding == "utf-8-sig" and not text_had_bom(data) else encoding
            return text, name
        return None
    return None


def text_had_bom(data: bytes) -> bool:
    return data.startswith(codecs.BOM_UTF8)


def read_csv(data: bytes, limits: Limits) -> Content:
    """One table from a CSV or tab-separated export, decoded and split by its delimiter."""
    if len(data) > limits.max_table_bytes:
        raise Refused.because(Code.FILE_TOO_LARGE, size=len(data), limit=limits.max_table_bytes)
    decoded = decode_text(data)
    if decoded is None:
        raise Refused.because(Code.FILE_CORRUPT)
    text, encoding = decoded
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
        rows = _limited(reader, limits.max_table_rows)
    except csv.Error:
        raise Refused.because(Code.FILE_CORRUPT) from None
    return Content(tables=[Table(name="csv", rows=rows, encoding=encoding)])


def sniff_delimiter(text: str) -> str:
    """The delimiter: csv.Sniffer's guess, else tab if the first line has one, else comma."""
    sample = text[:SNIFF_SAMPLE_CHARS]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first_line = sample.split("\n", 1)[0]
        return "\t" if "\t" in first_line else ","


def read_xlsx(data: bytes, limits: Limits) -> Content:
    """One table per worksheet; refuses zip bombs before anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > limits.max_table_bytes:
            raise Refused.because(Code.FILE_TOO_LARGE, size=unpacked, limit=limits.max_table_bytes)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:  # nothing to read is not "nothing wrong"
                raise Refused.because(Code.FILE_CORRUPT)
            return Content(tables=[_sheet_table(sheet, limits) for sheet in workbook.worksheets])
        finally:
            workbook.close()
    except XLSX_ERRORS:
        raise Refused.because(Code.FILE_CORRUPT) from None


# An OLE file whose directory names a Workbook (or the older Book) stream is a spreadsheet.
_OLE_WORKBOOK = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
CALAMINE_ERRORS = (python_calamine.CalamineError, ValueError, OSError, TypeError, IndexError)


def read_legacy_sheets(data: bytes, limits: Limits, *, ods: bool = False) -> Content:
    """One table per sheet of a legacy `.xls` (BIFF) or an `.ods` workbook, with python-calamine.

    The limits are XLSX's: an ODS is a ZIP and is refused by its unpacked size before it is
    read; an `.xls` is not compressed, so its file size already bounds it. Rows and columns are
    limited while they are read. An OLE file that holds no workbook (a Word `.doc`) is refused
    as unsupported, a workbook calamine cannot read as corrupt.
    """
    if ods:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except ZIP_ERRORS:
            raise Refused.because(Code.FILE_CORRUPT) from None
        if unpacked > limits.max_table_bytes:
            raise Refused.because(Code.FILE_TOO_LARGE, size=unpacked, limit=limits.max_table_bytes)
    elif len(data) > limits.max_table_bytes:
        raise Refused.because(Code.FILE_TOO_LARGE, size=len(data), limit=limits.max_table_bytes)
    elif not any(name in data[:65536] or name in data[-65536:] for name in _OLE_WORKBOOK):
        raise Refused.because(Code.FILE_UNSUPPORTED, detected="old Office file (XLS or DOC)")
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            tables = []
            for index, name in enumerate(workbook.sheet_names):
                sheet = workbook.get_sheet_by_index(index)
                rows = (_trimmed([cell_text(value) for value in row]) for row in sheet.iter_rows())
                tables.append(Table(name=name, rows=_limited(rows, limits.max_table_rows)))
        finally:
            workbook.close()
    except CALAMINE_ERRORS:
        raise Refused.because(Code.FILE_CORRUPT) from None
    if not tables:
        raise Refused.because(Code.FILE_CORRUPT)
    return Content(tables=tables)


def cell_text(value: object) -> str:
    """A cell value as the string a person would read in the sheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # a whole number stored as a float (xls, ods): 20260901
    return str(value)


def _sheet_table(sheet: object, limits: Limits) -> Table:
    sheet.reset_dimensions()  # type: ignore[attr-defined]  # a false A1:XFD1048576 pads rows
    rows = (
        _trimmed([cell_text(value) for value in row])
        for row in sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    )
    return Table(name=sheet.title, rows=_limited(rows, limits.max_table_rows))  # type: ignore[attr-defined]


def _trimmed(cells: list[str]) -> list[str]:
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def _limited(rows: Iterable[list[str]], max_rows: int) -> list[list[str]]:
    """The rows, or a refusal as soon as there are more than `max_rows`, or a row (its
    trailing empty cells trimmed) has more than MAX_TABLE_COLUMNS cells."""
    kept: list[list[str]] = []
    for row in rows:
        if len(kept) == max_rows:
            raise Refused.because(Code.TABLE_TOO_LONG, limit=max_rows)
        if len(row) > MAX_TABLE_COLUMNS and len(_trimmed(row)) > MAX_TABLE_COLUMNS:
            raise Refused.because(Code.TABLE_TOO_WIDE, limit=MAX_TABLE_COLUMNS)
        kept.append(row)
    return kept


def _candidate_encodings(data: bytes) -> list[str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ["utf-16"]
    return ["utf-8-sig", "gb18030"]


def _looks_like_text(text: str) -> bool:
    return len(ODD_CHARS.findall(text)) <= MAX_ODD_CHAR_SHARE * len(text)
