"""Batch bench: applications per minute with 1 and 2 workers, a re-run, peak memory per worker.

Generates `--count` random applications with the fixture generator into build/bench-batch/
(kept between runs), then times `checker.batch.run` over them:

1. 1 worker, empty OCR cache, empty output folder;
2. 2 workers, another empty OCR cache and output folder (target: ≥ 1.8× the rate of 1);
3. 2 workers again over run 2's output folder: every application is skipped (target: ≥ 20×
   faster than run 2);
4. 2 workers, a new output folder but run 2's warm OCR cache (for information).

Peak memory per worker is the largest peak RSS a worker reported (its own, or its largest
tesseract child's). Run: `python -m bench batch` or `python -m bench.batch --count 50`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench import summary
from checker import batch
from checker.batch.folders import find_applications, plan

HERE = Path(__file__).resolve().parents[1]
BUILD = HERE / "build" / "bench-batch"
AS_OF = dt.date(2026, 11, 15)
TARGET_SPEEDUP = 1.8
TARGET_PER_MINUTE = 40.0  # applications a minute with two workers (issue #21)
TARGET_PEAK_MB = 600
TARGET_RERUN = 20.0


@dataclass
class Run:
    name: str
    applications: int
    checked: int
    failed: int  # could not be checked in this run
    seconds: float
    cpu_seconds: float  # user + system of the workers and their tesseract processes
    peak_rss_mb: float

    @property
    def per_minute(self) -> float:
        return self.applications / self.seconds * 60


def _build(case: object, seed: int, out: Path) -> None:
    from fixtures.application import build_case

    build_case(case, seed, out)  # type: ignore[arg-type]


def generate(seed: int, count: int, workers: int) -> Path:
    """`python -m fixtures.generate --seed SEED --count COUNT`, built on `workers` processes."""
    from fixtures.cases import random_case

    root = BUILD / f"applications-seed{seed}-count{count}"
    done = root / ".complete"
    if done.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    rng = random.Random(f"{seed}:random")  # as fixtures.generate does
    cases = [random_case(rng, i) for i in range(1, count + 1)]
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_build, cases, [seed] * count, [root] * count))
    print(f"generated {count} applications in {time.perf_counter() - started:.0f} s")
    done.touch()
    return root


def timed(name: str, root: Path, out: Path, cache: Path, workers: int) -> Run:
    """One batch run with its own OCR cache folder (workers inherit the environment)."""
    os.environ["DOCREADY_CACHE_DIR"] = str(cache)
    todo = plan(root, out).todo
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    results = list(batch.run(root, out=out, workers=workers, as_of=AS_OF, todo=todo))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pool's workers are reaped now
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    applications = len(find_applications(root))
    peak = max((result.peak_rss_mb or 0.0 for result in results), default=0.0)
    failed = sum(not result.checked for result in results)
    run = Run(name, applications, len(results) - failed, failed, seconds, cpu, peak)
    print(
        f"{name:<34} {run.checked:>4} checked {failed:>3} failed  {seconds:8.1f} s"
        f"  {run.per_minute:8.1f} /min"
        f"  CPU {cpu:7.1f} s ({cpu / seconds:.2f} cores)  peak/worker {peak:5.0f} MB",
        flush=True,
    )
    return run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.batch", description=__doc__)
    parser.add_argument("--count", type=int, default=200, help="applications (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    root = generate(args.seed, args.count, workers=os.cpu_count() or 1)
    runs_dir = BUILD / "runs"
    shutil.rmtree(runs_dir, ignore_errors=True)
    saved = os.environ.get("DOCREADY_CACHE_DIR")
    try:
        one = timed("1 worker, cold cache", root, runs_dir / "out1", runs_dir / "cache1", 1)
        two = timed("2 workers, cold cache", root, runs_dir / "out2", runs_dir / "cache2", 2)
        rerun = timed("2 workers, re-run (resume)", root, runs_dir / "out2", runs_dir / "cache2", 2)
        warm = timed(
            "2 workers, warm cache, new output", root, runs_dir / "out3", runs_dir / "cache2", 2
        )
    finally:
        if saved is None:
            os.environ.pop("DOCREADY_CACHE_DIR", None)
        else:
            os.environ["DOCREADY_CACHE_DIR"] = saved
    speedup = two.per_minute / one.per_minute
    faster = two.seconds / rerun.seconds
    print(f"2 workers / 1 worker: {speedup:.2f}× (target ≥ {TARGET_SPEEDUP}×)")
    print(
        f"re-run: {faster:.0f}× faster than the first 2-worker run (target ≥ {TARGET_RERUN:.0f}×)"
    )
    print(f"warm cache, no resume: {two.seconds / warm.seconds:.1f}× faster")
    print(
        f"load average now: {', '.join(f'{load:.1f}' for load in os.getloadavg())}"
        f" on {os.cpu_count()} cores (other processes make the 1→2 worker speedup smaller)"
    )
    summary.record("batch, 1 worker, cold cache", f"{one.per_minute:.1f} /min")
    summary.record(
        "batch, 2 workers, cold cache",
        f"{two.per_minute:.1f} /min",
        f"≥ {TARGET_PER_MINUTE:g} /min",
        two.per_minute >= TARGET_PER_MINUTE,
    )
    summary.record(
        "batch, 2 workers / 1", f"{speedup:.2f}×", f"≥ {TARGET_SPEEDUP}×", speedup >= TARGET_SPEEDUP
    )
    peak = max(run.peak_rss_mb for run in (one, two))
    summary.record(
        "peak memory per worker", f"{peak:.0f} MB", f"≤ {TARGET_PEAK_MB} MB", peak <= TARGET_PEAK_MB
    )
    ok = speedup >= TARGET_SPEEDUP and faster >= TARGET_RERUN
    ok = ok and not any(run.failed for run in (one, two, warm))
    return 0 if ok else 1


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
