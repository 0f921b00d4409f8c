"""Batch: check every application folder under a root, in parallel, resumably.

Each subfolder of the root is one application: its files, and an optional `declared.json`
(see `checker.check.expand_sources`). `run` checks the folders on a local process pool or on a
`dask.distributed` cluster and yields one `Result` per application as it finishes.

With an output folder, every result is also appended as one JSON line to `results.jsonl`: one
`os.write` of the whole line to a file opened with O_APPEND, then fsync, so a crash or Ctrl-C
never leaves half a line (a trailing partial line, from a power cut, is cut off on the next
run). A re-run skips applications whose folder is unchanged since their line was written (the
fingerprint is a sha256 over the folder's file names and bytes); the last line of an
application wins. `summary.csv`, and `index.html` when HTML reports were asked for, are
rewritten from `results.jsonl` at the end of every run.

Results hold masked reports only, and error texts name the error's type and place in the code,
never a value read from a document; application folder names are the operator's own and are
logged.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import os
import resource
import signal
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from checker.ocr import Reader, get_reader
from checker.policy import OcrSettings, Policy, load_policy
from schemas.catalogue import Lang
from schemas.findings import Severity
from schemas.report import Report, Verdict

logger = logging.getLogger(__name__)

RESULTS = "results.jsonl"
SUMMARY = "summary.csv"
INDEX = "index.html"
HTML_DIR = "html"
TOP_CODES = 5  # codes shown per application in summary.csv
WORKER_DIED = "the worker process died (crash or out of memory) while this application was in it"


class Executor(StrEnum):
    """Where the applications are checked."""

    LOCAL = "local"  # a process pool on this machine
    DASK = "dask"  # a dask.distributed cluster (the `dask` extra)


class BatchError(Exception):
    """The batch cannot run at all (no such root, dask missing, cluster unreachable)."""


@dataclass(frozen=True)
class Application:
    """One application folder and the fingerprint of its files."""

    name: str
    path: Path
    fingerprint: str


@dataclass(frozen=True)
class Plan:
    """The applications under a root: those to check in this run, and those already done."""

    todo: list[Application]
    done: list[Application]


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


# --- finding the applications ------------------------------------------------------------


def fingerprint(folder: Path) -> str:
    """sha256 over the names and bytes of the folder's files (sub-folders are not read)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        with path.open("rb") as file:
            content = hashlib.file_digest(file, "sha256").digest()
        digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0" + content)
    return digest.hexdigest()


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
        application = Application(folder.name, folder.resolve(), fingerprint(folder))
        last = previous.get(application.name) or {}
        unchanged = last.get("fingerprint") == application.fingerprint
        if unchanged and (last.get("verdict") is not None or not retry_failed):
            done.append(application)
        else:
            todo.append(application)
    return Plan(todo=todo, done=done)


# --- the results file --------------------------------------------------------------------


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


# --- the worker side ---------------------------------------------------------------------


@cache
def _reader(settings: OcrSettings) -> Reader:
    """One OCR reader per worker process (building one runs `tesseract --version`)."""
    return get_reader(settings)


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
    started = time.perf_counter()
    try:
        report = run_application(
            [application.path],
            profile=job.profile,
            as_of=job.as_of,
            lang=job.lang,
            mask=True,
            policy=job.policy,
            reader=_reader(job.policy.ocr),
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


def _init_local_worker() -> None:
    """Pool workers leave Ctrl-C to the parent, which stops them; one tesseract thread each."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["OMP_THREAD_LIMIT"] = "1"


# --- executors ---------------------------------------------------------------------------

Check = Callable[[Application, Job], _Outcome]


def _failed(application: Application, error: str) -> _Outcome:
    result = Result(application=application.name, fingerprint=application.fingerprint, error=error)
    return _Outcome(result)


def _run_local(
    todo: Sequence[Application], job: Job, workers: int, check: Check = check_one
) -> Generator[_Outcome, None, None]:
    """A process pool of `workers` (spawned, so a caller's threads are never forked).

    At most two applications per worker are in flight: when a worker dies, only those are
    recorded as failed, and a new pool takes the rest.
    """
    import multiprocessing

    queue = list(reversed(todo))
    window = 2 * workers
    context = multiprocessing.get_context("spawn")
    while queue:
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_local_worker)
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


def _run_dask(
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
        client.close()
        if cluster is not None:
            cluster.close()


# --- the public loop ---------------------------------------------------------------------


def run(
    root: str | os.PathLike[str],
    *,
    out: str | os.PathLike[str] | None = None,
    workers: int | None = None,
    executor: Executor | str = Executor.LOCAL,
    scheduler: str | None = None,
    profile: str = "personal_loan",
    as_of: dt.date | None = None,
    lang: Lang = "zh",
    policy: Policy | str | os.PathLike[str] | None = None,
    html: bool = False,
    retry_failed: bool = False,
    todo: Iterable[Application] | None = None,
) -> Iterator[Result]:
    """Check the applications under `root`, yielding each result as it finishes.

    With `out`, results are appended to `out/results.jsonl`, applications it already holds
    unchanged are skipped (failed ones too, unless `retry_failed`), HTML reports go to
    `out/html/` when `html`, and `summary.csv` (and `index.html`) are rewritten at the end,
    also when the loop is stopped early. `todo` replaces the plan (from `plan()`).
    `workers` defaults to the number of cores. Raises BatchError, PolicyError, OcrError or
    ValueError before anything is checked when the batch cannot run.
    """
    executor = Executor(executor)
    if not isinstance(policy, Policy):
        policy = load_policy(None if policy is None else Path(policy))
    if profile not in policy.profiles:
        raise ValueError(f"unknown profile {profile!r}; known: {', '.join(policy.profiles)}")
    if executor is Executor.LOCAL:
        _reader(policy.ocr)  # tesseract missing: stop here, not once per application
    job = Job(profile, as_of or dt.date.today(), lang, policy, html)
    out_path = Path(out) if out is not None else None
    if todo is None:
        todo = plan(root, out_path, retry_failed=retry_failed).todo
    todo = list(todo)
    if executor is Executor.LOCAL:
        outcomes = _run_local(todo, job, workers or os.cpu_count() or 1)
    else:
        outcomes = _run_dask(todo, job, workers, scheduler)
    if out_path is None:
        yield from (outcome.result for outcome in outcomes)
        return
    try:
        with ResultsFile(out_path / RESULTS) as results:
            for outcome in outcomes:
                if outcome.html is not None and outcome.result.html is not None:
                    write_atomic(out_path / outcome.result.html, outcome.html.encode())
                results.append(outcome.result)
                if not outcome.result.checked:
                    logger.warning(
                        "%s could not be checked: %s",
                        outcome.result.application,
                        outcome.result.error,
                    )
                yield outcome.result
    finally:
        outcomes.close()
        write_summary(out_path, lang)


# --- summary and index -------------------------------------------------------------------

SUMMARY_COLUMNS = [
    "application",
    "verdict",
    "errors",
    "warnings",
    "top_codes",
    "error",
    "seconds",
    "html",
]

INDEX_REASONS = 8  # reasons listed per application on index.html; the rest in its report
INDEX_WORDS = {
    "zh": {
        "title": "批量预检",
        "count": "共 {count} 份申请",
        "application": "申请",
        "verdict": "结论",
        "reasons": "原因",
        "failed": "未能检查",
        "more": "另有 {count} 条，见该申请的报告",
        "none": "没有发现问题",
    },
    "en": {
        "title": "Batch check",
        "count": "{count} applications",
        "application": "application",
        "verdict": "verdict",
        "reasons": "reasons",
        "failed": "could not be checked",
        "more": "{count} more in the application's report",
        "none": "no findings",
    },
}


def index_rows(out: str | os.PathLike[str], lang: Lang) -> list[dict[str, Any]]:
    """One row per application for `index.html`, in words: the verdict with its tally, and
    the errors' and warnings' messages (the masked report's), or why it was not checked."""
    from checker.labels import severity_label, verdict_label

    rows = []
    for name, data in sorted(read_results(Path(out) / RESULTS).items()):
        report = data.get("report") or {}
        verdict = data.get("verdict")
        reasons = [
            {"severity": severity_label(finding["severity"], lang), "message": finding["message"]}
            for severity in (Severity.ERROR, Severity.WARNING)
            for finding in report.get("findings", [])
            if finding.get("severity") == severity
        ]
        if verdict is None:
            words = INDEX_WORDS[lang]["failed"]
        else:
            words = (report.get("summary") or {}).get("text") or verdict_label(verdict, lang)
        rows.append(
            {
                "application": name,
                "link": quote(data["html"]) if data.get("html") else "",
                "verdict": verdict or "",
                "verdict_words": words,
                "error": data.get("error") or "",
                "reasons": reasons[:INDEX_REASONS],
                "more": max(0, len(reasons) - INDEX_REASONS),
            }
        )
    return rows


def summary_rows(out: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """One row per application in `out/results.jsonl` (its last line), by name."""
    rows = []
    for name, data in sorted(read_results(Path(out) / RESULTS).items()):
        rows.append(
            {
                "application": name,
                "verdict": data.get("verdict") or "",
                "errors": data.get("errors", 0),
                "warnings": data.get("warnings", 0),
                "top_codes": " ".join(data.get("codes", [])[:TOP_CODES]),
                "error": data.get("error") or "",
                "seconds": data.get("seconds", ""),
                "html": data.get("html") or "",
            }
        )
    return rows


def write_summary(out: str | os.PathLike[str], lang: Lang = "zh") -> list[dict[str, Any]]:
    """Rewrite `summary.csv`, and `index.html` (in `lang`) when any application has an HTML
    report."""
    out = Path(out)
    rows = summary_rows(out)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(out / SUMMARY, text.getvalue().encode("utf-8"))
    if any(row["html"] for row in rows):
        from checker.html import templates

        template = templates().get_template("index.html.j2")
        page = template.render(rows=index_rows(out, lang), words=INDEX_WORDS[lang], lang=lang)
        write_atomic(out / INDEX, page.encode("utf-8"))
    return rows
