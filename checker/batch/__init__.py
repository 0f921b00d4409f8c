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

The application folders and which to check are `checker.batch.folders`; the workers and the
two executors `checker.batch.workers`; the results file `checker.batch.results`; the summary
and index `checker.batch.summary`.

Results hold masked reports only, and error texts name the error's type and place in the code,
never a value read from a document; application folder names are the operator's own and are
logged.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path

from checker.batch.folders import Application, plan
from checker.batch.results import RESULTS, Result, ResultsFile, write_atomic
from checker.batch.summary import write_summary
from checker.batch.workers import Job, run_dask, run_local
from checker.ocr import process_reader
from checker.policy import Policy, load_policy
from schemas.catalogue import Lang

logger = logging.getLogger(__name__)


class Executor(StrEnum):
    """Where the applications are checked."""

    LOCAL = "local"  # a process pool on this machine
    DASK = "dask"  # a dask.distributed cluster (the `dask` extra)


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
    also when the loop is stopped early. `todo` replaces the plan (from `plan()`). The biggest
    applications (bytes of their files) start first.
    `workers` defaults to the number of cores. Raises BatchError, PolicyError, OcrError or
    ValueError before anything is checked when the batch cannot run.
    """
    executor = Executor(executor)
    if not isinstance(policy, Policy):
        policy = load_policy(None if policy is None else Path(policy))
    if profile not in policy.profiles:
        raise ValueError(f"unknown profile {profile!r}; known: {', '.join(policy.profiles)}")
    if executor is Executor.LOCAL:
        process_reader(policy.ocr)  # tesseract missing: stop here, not once per application
    job = Job(profile, as_of or dt.date.today(), lang, policy, html)
    out_path = Path(out) if out is not None else None
    if todo is None:
        todo = plan(root, out_path, retry_failed=retry_failed).todo
    # the biggest first, so the last to finish are small ones and no worker idles long at
    # the end (24 generated applications on two workers: 131 s of work on the busier one
    # in folder order, 126 s biggest first, 125 s the even split)
    todo = sorted(todo, key=lambda application: -application.size)
    if executor is Executor.LOCAL:
        outcomes = run_local(todo, job, workers or os.cpu_count() or 1)
    else:
        outcomes = run_dask(todo, job, workers, scheduler)
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
