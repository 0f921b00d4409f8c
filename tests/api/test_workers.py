"""Checks run off the event loop on a bounded pool: /healthz answers while they run, a request
that cannot get a worker in time gets 503 with Retry-After, and a check that runs too long 503."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.errors import ApiError
from api.workers import WorkerPool


@pytest.fixture(name="gate")
def _gate(monkeypatch):
    """Makes every application check block until the test opens the gate."""
    gate = threading.Event()
    started = threading.Semaphore(0)

    def slow_check(*args, **kwargs):
        started.release()
        gate.wait(10)
        raise RuntimeError("the gate only holds checks; this one never finishes normally")

    monkeypatch.setattr("checker.check.check_source", slow_check)
    yield gate, started
    gate.set()


def post_check(client):
    return client.post("/v1/checks", files=[("files", ("a.jpg", b""))])


def test_healthz_answers_while_every_worker_is_busy(make_client, gate):
    opened, started = gate
    client = make_client(check_threads=1, queue_timeout_seconds=5)
    with ThreadPoolExecutor(1) as background:
        pending = background.submit(post_check, client)
        assert started.acquire(timeout=5)
        began = time.perf_counter()
        assert client.get("/healthz").status_code == 200
        assert time.perf_counter() - began < 0.5
        opened.set()
        pending.exception()  # the check itself raised; only its timing mattered here


def test_a_request_that_cannot_get_a_worker_is_503_with_retry_after(
    make_client, gate, expect_problem
):
    opened, started = gate
    client = make_client(check_threads=1, queue_timeout_seconds=0.2, retry_after_seconds=7)
    with ThreadPoolExecutor(1) as background:
        pending = background.submit(post_check, client)
        assert started.acquire(timeout=5)
        response = post_check(client)
        opened.set()
        pending.exception()
    problem = expect_problem(response, 503)
    assert problem["type"].endswith(":busy")
    assert response.headers["retry-after"] == "7"


def test_the_pool_times_out_a_long_check():
    pool = WorkerPool(1, queue_timeout=1, timeout=0.1, retry_after=1)
    with pytest.raises(ApiError) as raised:
        asyncio.run(pool.run(lambda: time.sleep(0.5)))
    assert raised.value.status == 503
    assert raised.value.code == "timeout"
    pool.close()


def test_the_pool_skips_a_job_whose_request_gave_up():
    pool = WorkerPool(1, queue_timeout=0.1, timeout=5, retry_after=1)
    ran = []

    async def scenario():
        first = asyncio.ensure_future(pool.run(lambda: time.sleep(0.4)))
        await asyncio.sleep(0.05)
        with pytest.raises(ApiError):
            await pool.run(lambda: ran.append("second"))
        await first

    asyncio.run(scenario())
    pool.close()
    assert ran == []


def test_the_pool_runs_again_after_close():
    pool = WorkerPool(2, queue_timeout=1, timeout=1, retry_after=1)
    assert asyncio.run(pool.run(lambda: 41 + 1)) == 42
    pool.close()
    assert asyncio.run(pool.run(lambda: "again")) == "again"
    pool.close()
