"""Pools of worker processes that check side by side (batch, demo, one application's files):
spawned, so a caller's threads are never forked; each leaves Ctrl-C to its parent and runs one
tesseract thread and one onnxruntime thread, since the processes already fill the cores."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from checker.ocr.rapidocr import ONNX_THREADS_VARIABLE

Submit = Callable[..., Future[Any]]  # an executor's submit: a call handed to a worker


def init_pool_worker() -> None:
    """A pool worker's set-up: Ctrl-C is the parent's to handle; one thread per engine."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    os.environ[ONNX_THREADS_VARIABLE] = "1"


def process_pool(workers: int) -> ProcessPoolExecutor:
    """`workers` spawned worker processes, set up by `init_pool_worker`."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=init_pool_worker)
