"""The dask executor: the same results as the local pool, on a LocalCluster on 127.0.0.1."""

import datetime as dt
import json
import logging
import shutil
from pathlib import Path

import pytest

from checker import batch
from checker.batch.folders import BatchError, plan
from checker.batch.results import RESULTS, Result
from checker.batch.summary import SUMMARY
from checker.batch.workers import _distributed_quiet

distributed = pytest.importorskip("distributed")

AS_OF = dt.date(2026, 11, 15)
FIXTURES = Path(__file__).parents[2] / "fixtures" / "applications"
CASES = ["clean_csv_two_statements", "clean_id_certificate_pdf", "defect_id_expired"]


@pytest.fixture(name="root", scope="module")
def fixture_root(tmp_path_factory):
    """A few committed applications and one whose declared.json is not JSON."""
    root = tmp_path_factory.mktemp("dask") / "applications"
    for case in CASES:
        shutil.copytree(FIXTURES / case, root / case)
    shutil.copytree(FIXTURES / CASES[0], root / "broken_form")
    (root / "broken_form" / "declared.json").write_text("{", encoding="utf-8")
    return root


@pytest.fixture(name="cluster", scope="module")
def fixture_cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield cluster


def outcome(result: Result) -> tuple[str | None, list[str], bool]:
    return result.verdict, result.codes, result.error is None


def test_dask_gives_the_same_results_as_the_local_pool(root, cluster):
    local = {r.application: r for r in batch.run(root, workers=2, as_of=AS_OF)}

    dask = {
        r.application: r
        for r in batch.run(root, executor="dask", scheduler=cluster.scheduler_address, as_of=AS_OF)
    }

    assert sorted(dask) == sorted(local) == sorted(path.name for path in root.iterdir())
    assert {name: outcome(r) for name, r in dask.items()} == {
        name: outcome(r) for name, r in local.items()
    }
    assert not dask["broken_form"].checked


@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")  # the module's cluster has it
def test_dask_local_cluster_writes_the_same_results_file(root, tmp_path):
    out = tmp_path / "out"

    results = list(batch.run(root, out=out, executor="dask", workers=2, as_of=AS_OF))

    lines = [json.loads(line) for line in (out / RESULTS).read_bytes().splitlines()]
    assert sorted(line["application"] for line in lines) == sorted(r.application for r in results)
    assert (out / SUMMARY).is_file()
    assert plan(root, out).todo == []


def test_unreachable_scheduler_is_a_batch_error(root):
    import dask

    with (
        dask.config.set({"distributed.comm.timeouts.connect": "2s"}),
        pytest.raises(BatchError),
    ):
        list(batch.run(root, executor="dask", scheduler="tcp://127.0.0.1:9", as_of=AS_OF))


def test_distributed_teardown_errors_are_held_back_and_its_level_restored(caplog):
    """A CommClosedError that distributed logs while the batch's cluster shuts down does not
    reach the batch's stderr; its loggers log as before afterwards."""
    batched = logging.getLogger("distributed.batched")
    before = logging.getLogger("distributed").level
    with caplog.at_level(logging.INFO):
        with _distributed_quiet():
            batched.error("Error in batched write")
        assert not [r for r in caplog.records if r.name == "distributed.batched"]
        assert logging.getLogger("distributed").level == before
        batched.error("after the shutdown")
    assert [r.getMessage() for r in caplog.records if r.name == "distributed.batched"] == [
        "after the shutdown"
    ]
