"""Fixtures for the HTTP API: an app built from explicit settings, and a client for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings

APPLICATIONS = Path(__file__).resolve().parents[2] / "fixtures" / "applications"
AS_OF = "2026-11-15"
PROBLEM_JSON = "application/problem+json"

MakeClient = Callable[..., TestClient]


@pytest.fixture(name="make_client")
def _make_client(monkeypatch: pytest.MonkeyPatch) -> Iterator[MakeClient]:
    """Builds a TestClient for an app with the given settings (environment ignored)."""
    for name in ("DOCREADY_API_KEYS", "DOCREADY_CORS_ORIGINS", "DOCREADY_POLICY_FILE"):
        monkeypatch.delenv(name, raising=False)
    clients: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        # checks in threads unless a test asks for worker processes: a monkeypatch made here
        # does not reach a spawned worker (tests/api/test_worker_processes.py runs those)
        settings.setdefault("check_processes", False)
        client = TestClient(create_app(Settings(**settings)))
        clients.append(client.__enter__())  # runs the lifespan
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture(name="client")
def _client(make_client: MakeClient) -> TestClient:
    """A client for an app with the default settings."""
    return make_client()


@pytest.fixture(name="sample_file")
def _sample_file() -> Callable[[str, str], tuple[str, bytes]]:
    """(file name, bytes) of a file of a committed sample application."""

    def read(case: str, name: str) -> tuple[str, bytes]:
        return name, (APPLICATIONS / case / name).read_bytes()

    return read


@pytest.fixture(name="expect_problem")
def _expect_problem() -> Callable[[Any, int], dict[str, Any]]:
    """Asserts that a response is an RFC 9457 problem with a status; gives its body."""

    def check(response: Any, status: int) -> dict[str, Any]:
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == PROBLEM_JSON
        problem = response.json()
        assert problem["status"] == status
        assert problem["title"]
        kind = problem["type"]
        assert kind == "about:blank" or kind.startswith("urn:docready:problem:")
        return problem

    return check
