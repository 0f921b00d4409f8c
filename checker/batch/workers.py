"""The worker side and the two executors: one application checked in a worker process, on a
local process pool or on a dask.distributed cluster, every error a result that says so."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import resource
import time
import traceback
from collections import Counter
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from checker.batch.folders import Application, BatchError
from checker.batch.results import HTML_DIR, Result
from checker.memory import give_back_large_blocks
from checker.ocr import process_reader
from checker.policy import Policy
from checker.processes import process_pool
from schemas.catalogue import Lang
from schemas.findings import Severity
from schemas.report import Report

logger = logging.getLogger(__name__)

WORKER_DIED = "the worker process died (crash or out of memory) while this application was in it"


@dataclass(frozen=True)
class Job:
    """What a worker needs besides the folder; picklable, sent with every application."""

    profile: str
    as_of: dt.date
    lang: Lang
    policy: Policy
    html: bool = False


@dataclass
class _Outcome:
    """A worker's answer: the result and the HTML text, which the caller writes."""

    result: Result
    html: str | None = field(default=None, repr=False)


def describe_error(error: BaseException) -> str:
    """Why an application could not be checked, without any value read from its files."""
    from json import JSONDecodeError

    from checker.check import DeclaredError

    if isinstance(error, DeclaredError):
        return f"{error.path.name}: {error.reason}"
    if isinstance(error, JSONDecodeError):
        return f"declared.json is not valid JSON (line {error.lineno}, column {error.colno})"
    if isinstance(error, UnicodeDecodeError):
        return f"a text file is not valid {error.encoding} (byte {error.start})"
    if isinstance(error, ValidationError):
        where = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
            for item in error.errors(include_input=False, include_url=False)
        )
        return f"invalid fields: {where}"
    if isinstance(error, OSError):
        name = Path(error.filename).name if error.filename else ""
        return f"{type(error).__name__}: {error.strerror or 'I/O error'}" + (
            f" ({name})" if name else ""
        )
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{where}"


def _peak_rss_mb() -> float:
    """Peak resident memory of this process or its largest finished child (tesseract), MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)  # ru_maxrss is in KiB on Linux


def _code_order(report: Report) -> list[str]:
    """Distinct codes: errors, then warnings, then info; the more frequent first."""
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    counts = Counter((finding.severity, finding.code.value) for finding in report.findings)
    ordered = sorted(counts, key=lambda key: (rank[key[0]], -counts[key], key[1]))
    return list(dict.fromkeys(code for _, code in ordered))


def check_one(application: Application, job: Job) -> _Outcome:
    """Check one application folder; every error becomes a result that says so."""
    from checker.check import expand_sources, run_application

    os.environ["OMP_THREAD_LIMIT"] = "1"  # one tesseract thread per worker process
    give_back_large_blocks()
    started = time.perf_counter()
    try:
        report = run_application(
            [application.path],
            profile=job.profile,
            as_of=job.as_of,
            lang=job.lang,
            mask=True,
            policy=job.policy,
            reader=process_reader(job.policy.ocr),
        )
    except Exception as error:
        seconds = round(time.perf_counter() - started, 3)
        error_text = describe_error(error)
        result = _failed(application, error_text).result
        return _Outcome(
            result.model_copy(update={"seconds": seconds, "peak_rss_mb": _peak_rss_mb()})
        )
    html = None
    if job.html:
        from checker.html import render_html

        try:
            sources, _ = expand_sources([application.path])
            html = render_html(report, sources, policy=job.policy)
        except Exception as error:
            logger.warning("%s: HTML report not made: %s", application.name, describe_error(error))
    severities = Counter(finding.severity for finding in report.findings)
    result = Result(
        application=application.name,
        fingerprint=application.fingerprint,
        verdict=report.verdict,
        errors=severities[Severity.ERROR],
        warnings=severities[Severity.WARNING],
        codes=_code_order(report),
        seconds=round(time.perf_counter() - started, 3),
        peak_rss_mb=_peak_rss_mb(),
        html=f"{HTML_DIR}/{application.name}.html" if html is not None else None,
        report=report,
    )
    return _Outcome(result, html)


# --- executors ---------------------------------------------------------------------------

Check = Callable[[Application, Job], _Outcome]


@contextlib.contextmanager
def _distributed_quiet() -> Generator[None, None, None]:
    """dask.distributed's logs held back while the batch's client and cluster shut down: its
    comms closing in either order log a CommClosedError with its traceback now and then
    (once in a CI run of the README's dask example), which says nothing about the checks."""
    distributed = logging.getLogger("distributed")
    level = distributed.level
    distributed.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        distributed.setLevel(level)


def _failed(application: Application, error: str) -> _Outcome:
    result = Result(application=application.name, fingerprint=application.fingerprint, error=error)
    return _Outcome(result)


def run_local(
    todo: Sequence[Application], job: Job, workers: int, check: Check = check_one
) -> Generator[_Outcome, None, None]:
    """A process pool of `workers` (spawned, so a caller's threads are never forked).

    At most two applications per worker are in flight: when a worker dies, only those are
    recorded as failed, and a new pool takes the rest.
    """
    queue = list(reversed(todo))
    window = 2 * workers
    while queue:
        pool = process_pool(workers)
        running: dict[Future[_Outcome], Application] = {}
        try:
            while queue or running:
                while queue and len(running) < window:
                    application = queue.pop()
                    running[pool.submit(check, application, job)] = application
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        raise
                    except Exception as error:  # pickling errors and the like
                        outcome = _failed(running[future], describe_error(error))
                    del running[future]
                    yield outcome
        except BrokenProcessPool as error:
            logger.error("%s; %d application(s) were in flight", error, len(running))
            for future, application in running.items():
                ok = future.done() and not future.cancelled() and future.exception() is None
                yield future.result() if ok else _failed(application, WORKER_DIED)
        finally:
            _stop(pool, now=bool(running))


def _stop(pool: ProcessPoolExecutor, *, now: bool) -> None:
    """Shut the pool down; `now` (interrupted): cancel the queue and end busy workers too."""
    if not now:
        pool.shutdown(wait=True)
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())  # 3.14: terminate_workers
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def run_dask(
    todo: Sequence[Application],
    job: Job,
    workers: int | None,
    scheduler: str | None,
    check: Check = check_one,
) -> Generator[_Outcome, None, None]:
    """The same checks on dask.distributed: `scheduler`'s cluster, or a LocalCluster.

    The workers read the folders by their absolute path, so on a real cluster the root must be
    on a path every worker sees the same way.
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise BatchError(
            "the dask executor needs dask.distributed: pip install 'docready[dask]'"
        ) from None
    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            client = Client(cluster)
        else:
            client = Client(scheduler)  # waits distributed.comm.timeouts.connect (30 s)
    except OSError as error:
        if cluster is not None:
            cluster.close()
        raise BatchError(f"cannot reach the dask scheduler {scheduler}: {error}") from None
    try:
        threads = sum(client.nthreads().values()) or 1
        queue = list(reversed(todo))
        running: dict[object, Application] = {}
        futures = as_completed()
        while queue and len(running) < 2 * threads:
            application = queue.pop()
            future = client.submit(check, application, job, pure=False)
            running[future.key] = application
            futures.add(future)
        for future in futures:
            application = running.pop(future.key)
            try:
                yield future.result()
            except Exception as error:  # KilledWorker after repeated worker deaths, ...
                yield _failed(application, describe_error(error))
            future.release()
            if queue:
                application = queue.pop()
                future = client.submit(check, application, job, pure=False)
                running[future.key] = application
                futures.add(future)
    finally:
        with _distributed_quiet():
            client.close()
            if cluster is not None:
                cluster.close()
