"""Errors are RFC 9457 problem documents, whatever raised them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings


def test_an_unknown_path_is_a_problem(client, expect_problem):
    problem = expect_problem(client.get("/v1/nothing"), 404)
    assert problem == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Not Found",
    }


def test_a_wrong_method_is_a_problem(client, expect_problem):
    response = client.get("/v1/checks")
    expect_problem(response, 405)
    assert response.headers["allow"] == "POST"


def test_a_validation_problem_lists_each_field(client, expect_problem):
    response = client.post("/v1/fields/validate", json={"name": 1, "phone": 2})
    problem = expect_problem(response, 422)
    assert problem["type"] == "urn:docready:problem:invalid_request"
    assert {error["field"] for error in problem["errors"]} == {"name", "phone"}
    assert all(error["message"] and error["loc"] for error in problem["errors"])


def test_an_unexpected_error_is_a_problem_without_details(monkeypatch, expect_problem):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("checker.check.check_source", broken)
    # TestClient re-raises server errors unless told not to
    # in threads: the monkeypatch does not reach a worker process
    app = create_app(Settings(check_processes=False))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/v1/checks", files=[("files", ("a.jpg", b""))])
    problem = expect_problem(response, 500)
    assert "secret" not in response.text
    assert problem["type"] == "about:blank"


def test_a_missing_ocr_engine_is_503(client, monkeypatch, expect_problem):
    monkeypatch.setattr("pytesseract.pytesseract.tesseract_cmd", "/nonexistent/tesseract")
    response = client.post("/v1/documents/check", files={"file": ("a.jpg", b"")})
    problem = expect_problem(response, 503)
    assert problem["type"].endswith(":ocr_unavailable")


@pytest.mark.parametrize("status", [401, 413, 415, 422, 503])
def test_every_documented_error_is_problem_json(client, status):
    operation = client.get("/openapi.json").json()["paths"]["/v1/checks"]["post"]
    content = operation["responses"][str(status)]["content"]
    assert list(content) == ["application/problem+json"]
