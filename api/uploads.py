"""Reading a multipart/form-data upload into memory, refusing it as soon as a limit is passed.

The body is parsed as it streams in (python-multipart), so a file over the per-file limit (413)
or one file too many (422, like any other malformed field) is refused without reading the
rest. Files are kept as bytes and handed to the library as (display name, bytes): nothing is
written to disk, under any name.
The request-wide byte limit is the `BodyLimit` middleware's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from api.deps import invalid
from api.errors import ApiError
from checker.ingest import display_name

MAX_FIELD_BYTES = 64 * 1024  # one text field, e.g. the declared fields as JSON
MAX_FIELDS = 32


@dataclass
class Upload:
    """What a multipart body held: files as (display name, bytes) and the text fields."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)


class _Collector:
    """python-multipart callbacks that collect parts and enforce the per-part limits."""

    def __init__(self, *, max_file_bytes: int, max_files: int) -> None:
        self.max_file_bytes = max_file_bytes
        self.max_files = max_files
        self.upload = Upload()
        self.part = _Part()
        self.header_name = bytearray()
        self.header_value = bytearray()
        self.disposition = b""
        self.file_count = 0

    def on_part_begin(self) -> None:
        self.part, self.disposition = _Part(), b""

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        if bytes(self.header_name).lower() == b"content-disposition":
            self.disposition = bytes(self.header_value)
        self.header_name.clear()
        self.header_value.clear()

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options:
            self.part.filename = options[b"filename"].decode("utf-8", "replace")
            self.file_count += 1
            if self.file_count > self.max_files:
                raise invalid("files", f"At most {self.max_files} files per request.")
        elif len(self.upload.fields) >= MAX_FIELDS:
            raise ApiError(413, "too_many_fields", f"At most {MAX_FIELDS} form fields.")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self.part.data += data[start:end]
        if self.part.filename is None and len(self.part.data) > MAX_FIELD_BYTES:
            raise ApiError(413, "field_too_large", f"The field {self.part.name!r} is over 64 KiB.")
        if self.part.filename is not None and len(self.part.data) > self.max_file_bytes:
            raise ApiError(
                413,
                "file_too_large",
                f"{display_name(self.part.filename)} is larger than the limit of "
                f"{self.max_file_bytes} bytes per file.",
                limit=self.max_file_bytes,
            )

    def on_part_end(self) -> None:
        if self.part.filename is None:
            self.upload.fields[self.part.name] = self.part.data.decode("utf-8", "replace")
            return
        taken = {name for name, _ in self.upload.files}
        name = _unique(display_name(self.part.filename), taken)
        self.upload.files.append((name, bytes(self.part.data)))


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)`… before the extension when it is already taken."""
    if name not in taken:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not (dot and stem):
        stem, dot, suffix = name, "", ""
    number = 2
    while f"{stem} ({number}){dot}{suffix}" in taken:
        number += 1
    return f"{stem} ({number}){dot}{suffix}"


async def read_upload(request: Request, *, max_file_bytes: int, max_files: int) -> Upload:
    """The multipart body of `request`; ApiError 415 when it is not multipart/form-data,
    400 when it is malformed, 413 when a file or a field is over its limit, and a 422
    naming `files` for one file too many."""
    media_type, options = parse_options_header(request.headers.get("content-type"))
    if media_type != b"multipart/form-data":
        raise ApiError(415, "unsupported_media_type", "Send the files as multipart/form-data.")
    boundary = options.get(b"boundary")
    if not boundary:
        raise ApiError(400, "malformed_multipart", "The multipart boundary is missing.")
    collector = _Collector(max_file_bytes=max_file_bytes, max_files=max_files)
    callbacks = {
        name: getattr(collector, name)
        for name in (
            "on_part_begin",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
            "on_part_data",
            "on_part_end",
        )
    }
    try:
        parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        raise ApiError(400, "malformed_multipart", "The multipart body is malformed.") from None
    return collector.upload
