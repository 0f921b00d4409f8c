"""The batch on a dask cluster started as a real one is: `dask scheduler` and two `dask worker`
processes of their own. One worker is killed while the batch runs; every application must still
be in results.jsonl exactly once, with the verdict and codes the local executor gives.

Bounded: six applications, workers started without a nanny (a killed worker stays dead), the
whole test under about a minute on two cores.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker import batch
from checker.batch.results import RESULTS

AS_OF = dt.date(2026, 11, 15)
FIXTURES = Path(__file__).parents[2] / "fixtures" / "applications"
CASES = [
    "clean_csv_two_statements",
    "clean_id_certificate_pdf",
    "defect_balance_break",
    "defect_id_expired",
    "defect_statement_gap",
    "defect_income_words",
]
DASK = str(Path(sys.executable).with_name("dask"))
START_TIMEOUT = 60.0


def _start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    """A cluster process in its own process group (so that it can be killed whole), its output
    kept in `log`; the OCR cache off, so the workers really read the pages."""
    env = {**os.environ, "DOCREADY_OCR_CACHE": "off"}
    with log.open("wb") as output:
        return subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.fixture(name="cluster")
def fixture_cluster(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """The scheduler's address and the two worker processes."""
    info = tmp_path / "scheduler.json"
    processes = [
        _start(
            [
                DASK,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(info),
            ],
            tmp_path / "scheduler.log",
        )
    ]
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        workers = [
            _start(
                [
                    DASK,
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--host",
                    "127.0.0.1",
                    "--name",
                    f"worker-{index}",
                ],
                tmp_path / f"worker-{index}.log",
            )
            for index in range(2)
        ]
        processes += workers
        _wait_for_workers(address, 2)
        yield address, workers
    finally:
        for process in reversed(processes):
            _kill(process)


def _wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, timeout=START_TIMEOUT) as client:
        client.wait_for_workers(count, timeout=START_TIMEOUT)


@pytest.mark.ocr
def test_a_worker_killed_mid_batch_loses_no_application(tmp_path, cluster):
    address, workers = cluster
    root = tmp_path / "applications"
    for case in CASES:
        shutil.copytree(FIXTURES / case, root / case)
    out = tmp_path / "out"

    results = []
    for result in batch.run(root, out=out, executor="dask", scheduler=address, as_of=AS_OF):
        results.append(result)
        if len(results) == 1:
            _kill(workers[0])  # the other application it held is checked again elsewhere

    assert workers[0].poll() is not None and workers[1].poll() is None
    lines = [json.loads(line) for line in (out / RESULTS).read_bytes().splitlines()]
    assert sorted(line["application"] for line in lines) == sorted(CASES)
    local = {r.application: r for r in batch.run(root, workers=2, as_of=AS_OF)}
    for line in lines:
        expected = local[line["application"]]
        assert line["error"] is None, line
        assert (line["verdict"], line["codes"]) == (expected.verdict, expected.codes)
