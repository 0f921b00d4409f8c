"""Memory a long-lived worker process gives back to the system.

glibc serves a large allocation from its own mapping, given back when it is freed, only up
to a threshold that it raises each time such a block is freed; after the first OCR runs, the
detector's and tesseract's large buffers come from the heap, and a heap freed in the middle
stays with the process. Fixing the threshold keeps them mapped. Measured on three of the
batch bench's applications (`python -m bench.batch`), one worker: peak memory 1130 MB
before, 881 MB after, the same reports, no slower within the noise of one run.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import cache

logger = logging.getLogger(__name__)

MMAP_THRESHOLD = 128 * 1024  # bytes: a block this large or larger is mapped on its own
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)


@cache
def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (it has `mallopt` and `malloc_trim`), else None."""
    name = ctypes.util.find_library("c")
    try:
        library = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    if library is None or not hasattr(library, "mallopt") or not hasattr(library, "malloc_trim"):
        return None
    return library


@cache
def give_back_large_blocks() -> bool:
    """Have this process map every allocation of MMAP_THRESHOLD bytes or more on its own, so
    that freeing it returns the memory; False where the C library is not glibc. Once per
    process (a batch or API worker calls it before its first check)."""
    library = _glibc()
    done = bool(library is not None and library.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    logger.debug("fixed mmap threshold %s", "set" if done else "not available")
    return done


def give_back_free_heap() -> None:
    """Return the heap's free pages to the system (glibc's `malloc_trim`; nothing elsewhere):
    what an engine lets go of in small blocks otherwise stays with the process, in the middle
    of its heap, though no longer used."""
    library = _glibc()
    if library is not None:
        library.malloc_trim(0)


def large_blocks_given_back() -> bool:
    """Whether this process maps its large blocks on their own (`give_back_large_blocks` ran
    here and worked), so that working memory an engine releases goes back to the system; in
    a process that does not, released buffers stay in the heap and it grows in pieces."""
    return give_back_large_blocks.cache_info().currsize > 0 and give_back_large_blocks()
