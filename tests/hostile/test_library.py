"""Every corpus item through the library, beside a good statement: a finding for the bad
file, the good one still read, no exception, no hang, no temp file left, memory bounded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from checker.check import run_application
from checker.ocr import get_reader
from checker.policy import default_policy

from .corpus import BY_ID, GOOD_FILE, Item
from .expect import (
    AS_OF,
    HANG_GUARD_SECONDS,
    assert_application_report,
    assert_good_statement_checked,
    codes_by_file,
    item_params,
)

INGEST_PEAK_GUARD_MB = 512  # ingest alone, per item; the default policy allows a 60 Mpx page
SUBPROCESS_ADDRESS_SPACE = 2 << 30  # a memory bomb fails with MemoryError here, not in CI
FIGURES_ENV = "DOCREADY_HOSTILE_FIGURES"  # a JSON-lines file to append per-item figures to


@pytest.mark.parametrize("item", item_params())
def test_application_with_bad_item(item: Item, good, fresh_tmp, memory_ceiling):
    started = time.perf_counter()
    with memory_ceiling.guard():
        report = run_application([(item.name, item.data()), good], as_of=AS_OF, lang="en")
    elapsed = time.perf_counter() - started
    assert_application_report(item, report.to_json())
    assert elapsed < HANG_GUARD_SECONDS
    assert fresh_tmp.leftovers() == []


_INGEST_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    from checker.ingest import ingest
    from checker.policy import default_policy
    data = open(sys.argv[1], "rb").read()
    def peak_mb():  # VmHWM: this process's own peak (ru_maxrss keeps the parent's at exec)
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    before = peak_mb()
    started = time.perf_counter()
    name = open(sys.argv[2], encoding="utf-8").read()  # a name may hold NUL: not an argument
    document = ingest(data, name=name, limits=default_policy().limits)
    seconds = time.perf_counter() - started
    print(json.dumps({{
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "baseline_mb": before,
        "codes": [finding.code.value for finding in document.findings],
        "pages": len(document.pages),
        "tables": len(document.tables),
    }}))
    """
)


@pytest.mark.parametrize("item", item_params())
def test_ingest_stays_within_memory(item: Item, tmp_path):
    """Ingest alone, in a fresh process: its peak resident memory (VmHWM) is the figure,
    with the address space capped so a bomb fails here instead of swapping."""
    path = tmp_path / "item"
    path.write_bytes(item.data())
    name = tmp_path / "name"
    name.write_text(item.name, encoding="utf-8")
    script = _INGEST_SCRIPT.format(limit=SUBPROCESS_ADDRESS_SPACE)
    completed = subprocess.run(
        [sys.executable, "-c", script, str(path), str(name)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS * 2,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    figures = json.loads(completed.stdout)
    _record(item, figures)
    assert figures["codes"] or figures["pages"] or figures["tables"]
    assert figures["peak_mb"] < INGEST_PEAK_GUARD_MB, figures
    assert figures["seconds"] < HANG_GUARD_SECONDS


def _record(item: Item, figures: dict[str, object]) -> None:
    target = os.environ.get(FIGURES_ENV)
    if target:
        line = {"id": item.id, "bytes": len(item.data()), **figures}
        with Path(target).open("a", encoding="utf-8") as file:
            file.write(json.dumps(line) + "\n")


def test_ocr_timeout_is_a_finding_and_leaves_no_temp_file(good, fresh_tmp):
    """Tesseract stopped by the policy's timeout: `ocr_timeout` on that page, the rest of
    the application still checked, and the killed run's temp files gone."""
    policy = default_policy()
    policy = policy.model_copy(
        update={"ocr": policy.ocr.model_copy(update={"timeout_seconds": 0.01})}
    )
    reader = get_reader(policy.ocr, cache=False)
    noise = BY_ID["image-pure-noise"]
    started = time.perf_counter()
    report = run_application(
        [(noise.name, noise.data()), good], as_of=AS_OF, policy=policy, reader=reader
    )
    assert time.perf_counter() - started < HANG_GUARD_SECONDS
    data = json.loads(report.to_json())
    assert "ocr_timeout" in codes_by_file(data)[noise.name]
    assert report.verdict == "not_ready"  # could not check is never passed
    assert_good_statement_checked(data["documents"])
    assert fresh_tmp.leftovers() == []


def test_good_statement_alone_is_ready_to_read(good):
    """The control: the good statement on its own has no file finding."""
    report = run_application([good], as_of=AS_OF, lang="en")
    data = json.loads(report.to_json())
    assert_good_statement_checked(data["documents"])
    assert not codes_by_file(data)[GOOD_FILE] & {"file_corrupt", "unreadable"}
