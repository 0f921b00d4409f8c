"""The results file: one JSON line per application, appended whole or not at all; the
last line of an application wins, a trailing partial line is cut off."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from schemas.report import Report, Verdict

logger = logging.getLogger(__name__)

RESULTS = "results.jsonl"
HTML_DIR = "html"


class Result(BaseModel):
    """The outcome of one application: a masked report, or why it could not be checked."""

    application: str
    fingerprint: str
    verdict: Verdict | None = None  # None: could not be checked, see `error`
    errors: int = 0
    warnings: int = 0
    codes: list[str] = []  # distinct finding codes: errors first, then warnings, then info
    error: str | None = None  # why it could not be checked (never a document's content)
    seconds: float = 0.0
    peak_rss_mb: float | None = None  # the worker's peak memory so far, tesseract included
    html: str | None = None  # path of the HTML report, relative to the output folder
    report: Report | None = None

    @property
    def checked(self) -> bool:
        return self.verdict is not None

    def to_line(self) -> bytes:
        """One JSON line; each finding is listed once, under `report.findings`."""
        text = self.model_dump_json(exclude={"report": {"documents": {"__all__": {"findings"}}}})
        return text.encode() + b"\n"


def read_results(path: Path) -> dict[str, dict[str, Any]]:
    """The last line of each application in a results file, as JSON data.

    A trailing partial line (a write cut by a power loss) is removed from the file; a line
    that is not JSON is skipped with a warning.
    """
    if not path.exists():
        return {}
    trim_partial_line(path)
    lines: dict[str, dict[str, Any]] = {}
    with path.open("rb") as file:
        for number, line in enumerate(file, start=1):
            try:
                data = json.loads(line)
                lines[data["application"]] = data
            except (ValueError, TypeError, KeyError):
                logger.warning("%s line %d is not a result; ignored", path.name, number)
    return lines


def trim_partial_line(path: Path) -> None:
    """Cut the file after its last newline, if something follows it."""
    with path.open("r+b") as file:
        size = file.seek(0, os.SEEK_END)
        if size == 0:
            return
        file.seek(size - 1)
        if file.read(1) == b"\n":
            return
        end = 0
        position = size
        while position > 0 and end == 0:
            start = max(0, position - 65536)
            file.seek(start)
            block = file.read(position - start)
            newline = block.rfind(b"\n")
            if newline >= 0:
                end = start + newline + 1
            position = start
        logger.warning("%s: removed a partial last line (%d bytes)", path.name, size - end)
        file.truncate(end)


class ResultsFile:
    """Appends result lines so that each one is in the file whole, or not at all."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            trim_partial_line(path)
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def append(self, result: Result) -> None:
        line = result.to_line()
        written = os.write(self._fd, line)
        if written != len(line):  # a full disk; cut our own partial line off again
            os.fsync(self._fd)
            trim_partial_line(self.path)
            raise OSError(f"{self.path}: short write ({written} of {len(line)} bytes)")
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> ResultsFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `path` through a temp file in its folder and os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
