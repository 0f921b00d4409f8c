"""The application folders under a root, each with the fingerprint of its files, and which of
them a run still has to check."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from checker.batch.results import RESULTS, read_results


class BatchError(Exception):
    """The batch cannot run at all (no such root, dask missing, cluster unreachable)."""


@dataclass(frozen=True)
class Application:
    """One application folder, the fingerprint of its files and their size in bytes (which
    grows with the pages to read: the batch starts the biggest applications first)."""

    name: str
    path: Path
    fingerprint: str
    size: int = 0


@dataclass(frozen=True)
class Plan:
    """The applications under a root: those to check in this run, and those already done."""

    todo: list[Application]
    done: list[Application]


def fingerprint(folder: Path) -> tuple[str, int]:
    """sha256 over the names and bytes of the folder's files (sub-folders are not read), and
    their size in bytes."""
    digest, size = hashlib.sha256(), 0
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        with path.open("rb") as file:
            content = hashlib.file_digest(file, "sha256").digest()
            size += file.tell()
        digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0" + content)
    return digest.hexdigest(), size


def find_applications(root: str | os.PathLike[str], *, exclude: Path | None = None) -> list[Path]:
    """The application folders under `root`, by name; hidden folders and `exclude` skipped."""
    root = Path(root)
    if not root.is_dir():
        raise BatchError(f"{root}: not a folder")
    skip = exclude.resolve() if exclude is not None else None
    return sorted(
        path
        for path in root.iterdir()
        if path.is_dir() and not path.name.startswith(".") and path.resolve() != skip
    )


def plan(
    root: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    *,
    retry_failed: bool = False,
) -> Plan:
    """Which applications to check: all of them, less those `out` already holds unchanged."""
    out_path = Path(out) if out is not None else None
    previous = read_results(out_path / RESULTS) if out_path is not None else {}
    todo, done = [], []
    for folder in find_applications(root, exclude=out_path):
        application = Application(folder.name, folder.resolve(), *fingerprint(folder))
        last = previous.get(application.name) or {}
        unchanged = last.get("fingerprint") == application.fingerprint
        if unchanged and (last.get("verdict") is not None or not retry_failed):
            done.append(application)
        else:
            todo.append(application)
    return Plan(todo=todo, done=done)
