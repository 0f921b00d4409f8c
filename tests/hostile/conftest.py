"""Fixtures for the hostile-input tests: a fresh temp dir to prove nothing is left behind,
a memory ceiling, the good statement that sits beside every bad file, and an API client."""

from __future__ import annotations

import gc
import resource
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .corpus import GOOD_FILE, good_statement

MEMORY_HEADROOM = 1 << 30  # address space a test may add before MemoryError stops it


@pytest.fixture(name="fresh_tmp")
def _fresh_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """TMPDIR (and tempfile's cached choice) pointed at a new empty folder for the test.

    The test asserts on `fresh_tmp.leftovers()` after its work; the folder is the process's
    temp dir only while the test runs.
    """
    folder = tmp_path_factory.mktemp("tmpdir")
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)
    assert Path(tempfile.gettempdir()) == folder
    yield TempDir(folder)


class TempDir:
    """A temp dir that can say what is in it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def leftovers(self) -> list[str]:
        return sorted(str(path.relative_to(self.folder)) for path in self.folder.rglob("*"))


@pytest.fixture(name="memory_ceiling")
def _memory_ceiling() -> Iterator[MemoryCeiling]:
    """`with memory_ceiling.guard():` caps this process's address space at its current size
    plus MEMORY_HEADROOM, so a memory bomb fails the test instead of taking the machine down."""
    yield MemoryCeiling()
    # pytest keeps a failed test's traceback (for pdb), and with it the bomb's memory
    sys.last_type = sys.last_value = sys.last_traceback = None
    gc.collect()


class MemoryCeiling:
    @contextmanager
    def guard(self, headroom: int = MEMORY_HEADROOM) -> Iterator[None]:
        """Run the block under the cap; a MemoryError in it fails the test (after the cap is
        lifted, so that pytest can still write the report)."""
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        ceiling = _address_space() + headroom
        if hard != resource.RLIM_INFINITY:
            ceiling = min(ceiling, hard)
        failed = False
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
        try:
            yield
        except MemoryError as error:
            error.__traceback__ = None  # drop the frames that hold the memory
            failed = True
        finally:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        if failed:
            gc.collect()
            pytest.fail(f"MemoryError: over {headroom >> 20} MiB more address space")


def _address_space() -> int:
    """This process's virtual memory size in bytes (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")


@pytest.fixture(name="good", scope="session")
def _good() -> tuple[str, bytes]:
    """The good document put beside each bad one: a GBK bank statement export."""
    return GOOD_FILE, good_statement()
