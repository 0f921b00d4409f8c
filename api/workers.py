"""The bounded worker pool that runs checks off the event loop.

Checks are blocking (image work in Python, tesseract as a subprocess), so they run on a
ThreadPoolExecutor of `size` threads while the event loop keeps answering (`/healthz`). A job
that waits longer than `queue_timeout` for a thread is dropped before it starts and the request
gets 503 with Retry-After; a job that runs longer than `timeout` gets 503 too (the thread
finishes its current page in the background: tesseract has its own per-page timeout).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from api.errors import ApiError

T = TypeVar("T")


class WorkerPool:
    """Runs blocking calls on a bounded thread pool, with a queue wait limit and a timeout."""

    def __init__(
        self, size: int, *, queue_timeout: float, timeout: float, retry_after: int
    ) -> None:
        self.size = size
        self.queue_timeout = queue_timeout
        self.timeout = timeout
        self.retry_after = retry_after
        self._executor: ThreadPoolExecutor | None = None

    @property
    def executor(self) -> ThreadPoolExecutor:
        """The thread pool, started on first use (and again after `close`)."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.size, thread_name_prefix="docready-check")
        return self._executor

    async def run(self, function: Callable[[], T]) -> T:
        """`function()` on a worker thread; raises ApiError 503 when no worker is free in time
        or the call outlasts the timeout."""
        loop = asyncio.get_running_loop()
        started: asyncio.Future[None] = loop.create_future()
        abandoned = threading.Event()

        def job() -> T:
            if abandoned.is_set():
                raise _Abandoned  # the request stopped waiting: skip the work
            loop.call_soon_threadsafe(_set_started, started)
            return function()

        done = asyncio.wrap_future(self.executor.submit(job))
        either: set[asyncio.Future[Any]] = {started, done}
        await asyncio.wait(either, timeout=self.queue_timeout, return_when=asyncio.FIRST_COMPLETED)
        if not started.done() and not done.done():
            abandoned.set()
            done.cancel()
            raise ApiError(
                503,
                "busy",
                "All workers are busy; try again shortly.",
                headers={"Retry-After": str(self.retry_after)},
            )
        try:
            return await asyncio.wait_for(done, self.timeout)
        except TimeoutError:
            raise ApiError(
                503,
                "timeout",
                f"The check took longer than {self.timeout:g} s and was stopped.",
            ) from None

    def close(self) -> None:
        """Stop taking work; running jobs finish in the background, queued ones are dropped."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


class _Abandoned(Exception):
    """A queued job whose request gave up waiting for a worker."""


def _set_started(started: asyncio.Future[None]) -> None:
    if not started.done():
        started.set_result(None)
