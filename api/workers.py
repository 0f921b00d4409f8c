"""The bounded worker pool that runs checks off the event loop.

Checks are blocking, so `size` threads take them while the event loop keeps answering
(`/healthz`). With `processes` (the server's default) each thread hands its check to the
`size` worker processes, in one piece (`call`) or in pieces side by side (`spread`: an
application's files): rendering a PDF or measuring an image holds the GIL, which in the
server's own process stalled `/healthz` for 643 ms. A worker process is started with `spawn`
(a fork of a threaded server can inherit a held lock), loads its engines at its first check
and keeps them. The pieces must then be picklable: module-level functions, or
`functools.partial`s of them.

A job that waits longer than `queue_timeout` for a thread is dropped before it starts and the
request gets 503 with Retry-After; a job that runs longer than `timeout` gets 503 too (the
worker finishes its current page in the background: tesseract has its own per-page timeout).
A worker process that dies (killed, out of memory) fails its request with 503 and the pool is
started again for the next.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

from api.errors import ApiError
from checker.memory import give_back_large_blocks
from checker.processes import Submit

T = TypeVar("T")
PARENT_POLL_SECONDS = 1.0  # how often a worker process looks whether the server is still there


class WorkerPool:
    """Runs blocking calls on a bounded pool (threads, each handing its call to a worker
    process with `processes`), with a queue wait limit and a timeout."""

    def __init__(
        self,
        size: int,
        *,
        queue_timeout: float,
        timeout: float,
        retry_after: int,
        processes: bool = False,
    ) -> None:
        self.size = size
        self.queue_timeout = queue_timeout
        self.timeout = timeout
        self.retry_after = retry_after
        self.processes = processes
        self._executor: ThreadPoolExecutor | None = None
        self._process_pool: ProcessPoolExecutor | None = None
        self._process_lock = threading.Lock()

    @property
    def executor(self) -> ThreadPoolExecutor:
        """The thread pool, started on first use (and again after `close`)."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.size, thread_name_prefix="docready-check")
        return self._executor

    async def run(self, function: Callable[[], T]) -> T:
        """`function()` on a worker thread (in a worker process with `processes`); raises
        ApiError 503 when no worker is free in time or the call outlasts the timeout."""
        return await self.run_steps(lambda pool: pool.call(function))

    async def run_steps(self, steps: Callable[[WorkerPool], T]) -> T:
        """`steps(pool)` on a worker thread, where it hands its pieces of work to the worker
        processes with `pool.call` and `pool.spread`; 503 as for `run`."""
        loop = asyncio.get_running_loop()
        started: asyncio.Future[None] = loop.create_future()
        abandoned = threading.Event()

        def job() -> T:
            if abandoned.is_set():
                raise _Abandoned  # the request stopped waiting: skip the work
            loop.call_soon_threadsafe(_set_started, started)
            return steps(self)

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

    def call(self, function: Callable[[], T]) -> T:
        """`function()` here, or in a worker process with `processes`."""
        if not self.processes:
            return function()
        pool = self._workers()
        with self._worker_lost(pool):
            return pool.submit(function).result()

    def spread(self, steps: Callable[[Submit, int], T]) -> T:
        """`steps(submit, workers)`: with `processes`, `submit(function, *args, **kwargs)` hands
        a call to the `size` worker processes and gives its future, so that one request's
        pieces run side by side while the other workers would idle (busy workers take them in
        turn); without, each call runs here when submitted, one worker."""
        if not self.processes:
            return steps(_submit_here, 1)
        pool = self._workers()
        with self._worker_lost(pool):
            return steps(pool.submit, self.size)

    @contextmanager
    def _worker_lost(self, pool: ProcessPoolExecutor) -> Iterator[None]:
        """A worker process that died becomes 503 `worker_lost`; the next call starts a new
        pool."""
        try:
            yield
        except BrokenProcessPool:
            with self._process_lock:
                if self._process_pool is pool:
                    self._process_pool = None  # the next check starts a new pool
            raise ApiError(
                503,
                "worker_lost",
                "The worker checking these files stopped; send them again.",
                headers={"Retry-After": str(self.retry_after)},
            ) from None

    def _workers(self) -> ProcessPoolExecutor:
        with self._process_lock:
            if self._process_pool is None:
                self._process_pool = ProcessPoolExecutor(
                    self.size,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=start_worker,
                    initargs=(os.getpid(),),
                )
            return self._process_pool

    def close(self) -> None:
        """Stop taking work; running jobs finish in the background, queued ones are dropped."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        with self._process_lock:
            if self._process_pool is not None:
                self._process_pool.shutdown(wait=False, cancel_futures=True)
                self._process_pool = None


def _submit_here(function: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
    """The call run now, in this thread, as a finished future."""
    future: Future[T] = Future()
    try:
        future.set_result(function(*args, **kwargs))
    except Exception as error:  # the future holds it, as an executor's would
        future.set_exception(error)
    return future


def start_worker(parent: int) -> None:
    """A worker process's set-up: it exits with its parent and gives large blocks back."""
    exit_with_parent(parent)
    give_back_large_blocks()


def exit_with_parent(parent: int) -> None:
    """In a worker process: exit once `parent` (the server) is gone, even when it was killed
    before it could stop its workers (a stopped bench left one running)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="docready-parent-watch", daemon=True).start()


class _Abandoned(Exception):
    """A queued job whose request gave up waiting for a worker."""


def _set_started(started: asyncio.Future[None]) -> None:
    if not started.done():
        started.set_result(None)
