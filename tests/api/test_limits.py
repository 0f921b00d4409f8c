"""Each limit: 413 for size and count, 415 for type, 422 for a malformed field, 401 for keys,
and the policy's pixel and page limits (lowered by settings) as findings."""

from __future__ import annotations

import asyncio
import io
import logging

import pypdfium2
import pytest
from PIL import Image

from api.app import create_app
from api.settings import Settings
from checker.policy import load_policy

AS_OF = "2026-11-15"


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, height), 255).save(buffer, format="PNG")
    return buffer.getvalue()


def blank_pdf(pages: int) -> bytes:
    document = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def codes(response) -> list[str]:
    return [finding["code"] for finding in response.json()["findings"]]


# ---- 413 ---------------------------------------------------------------------------------


def test_a_request_over_the_limit_is_refused_from_its_content_length(make_client, expect_problem):
    client = make_client(max_request_bytes=1000)
    response = client.post("/v1/checks", files=[("files", ("a.jpg", b"x" * 2000))])
    problem = expect_problem(response, 413)
    assert problem["type"].endswith(":request_too_large")
    assert problem["limit"] == 1000


def test_a_streamed_request_over_the_limit_is_cut_off():
    """Driven over raw ASGI: TestClient buffers the whole body before the app sees it."""
    app = create_app(Settings(max_request_bytes=1000))
    chunks = [b"--b\r\n", *[b"y" * 100] * 99]
    received: list[bytes] = []
    sent: list[dict] = []

    async def receive() -> dict:
        chunk = chunks[len(received)]
        received.append(chunk)
        return {"type": "http.request", "body": chunk, "more_body": len(received) < len(chunks)}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/checks",
        "raw_path": b"/v1/checks",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"multipart/form-data; boundary=b")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert len(received) < len(chunks)  # refused before the whole body was read


def test_a_streamed_json_body_over_the_limit_is_413_not_400(make_client, expect_problem):
    client = make_client(max_request_bytes=100)

    def body():
        yield b'{"name": "'
        yield b"x" * 200
        yield b'"}'

    response = client.post(
        "/v1/fields/validate", content=body(), headers={"Content-Type": "application/json"}
    )
    expect_problem(response, 413)


def test_a_file_over_the_per_file_limit_is_refused(make_client, expect_problem):
    client = make_client(max_file_bytes=1000)
    response = client.post(
        "/v1/checks",
        files=[("files", ("small.jpg", b"x" * 10)), ("files", ("big.jpg", b"x" * 1001))],
    )
    problem = expect_problem(response, 413)
    assert problem["type"].endswith(":file_too_large")
    assert "big.jpg" in problem["detail"]


def test_too_many_files_are_refused_naming_files(make_client, expect_problem):
    client = make_client(max_files=2)
    files = [("files", (f"{index}.jpg", b"")) for index in range(3)]
    problem = expect_problem(client.post("/v1/checks", files=files), 422)
    assert problem["errors"][0]["field"] == "files"
    assert "At most 2 files" in problem["detail"]


def test_a_huge_text_field_is_refused(client, expect_problem):
    response = client.post(
        "/v1/checks", files=[("files", ("a.jpg", b""))], data={"declared": "x" * 70_000}
    )
    expect_problem(response, 413)


# ---- 415 ---------------------------------------------------------------------------------


def test_a_body_that_is_not_multipart_is_415(client, expect_problem):
    problem = expect_problem(client.post("/v1/checks", json={"files": []}), 415)
    assert "multipart/form-data" in problem["detail"]


def test_a_fields_body_that_is_not_json_is_422(client, expect_problem):
    response = client.post(
        "/v1/fields/validate", content=b"name=x", headers={"Content-Type": "text/plain"}
    )
    expect_problem(response, 422)


def test_a_malformed_multipart_body_is_400(client, expect_problem):
    response = client.post(
        "/v1/checks",
        content=b"--b\r\nnot a header line at all\r\n\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code in (400, 422)
    expect_problem(response, response.status_code)


# ---- 422 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"as_of": "2026-13-01"}, "as_of"),
        ({"lang": "fr"}, "lang"),
        ({"mask": "perhaps"}, "mask"),
        ({"profile": "mortgage"}, "profile"),
        ({"profile": ""}, "profile"),
        ({"declared": "{not json"}, "declared"),
        ({"declared": '{"id_number": 110105}'}, "declared.id_number"),
    ],
)
def test_a_malformed_field_is_422_naming_it(client, expect_problem, data, field):
    response = client.post("/v1/checks", files=[("files", ("a.jpg", b""))], data=data)
    problem = expect_problem(response, 422)
    assert [error["field"] for error in problem["errors"]] == [field]
    assert field in problem["detail"]


def test_a_check_without_files_is_422_naming_files(client, expect_problem):
    body = b'--b\r\nContent-Disposition: form-data; name="as_of"\r\n\r\n2026-11-15\r\n--b--\r\n'
    response = client.post(
        "/v1/checks", content=body, headers={"Content-Type": "multipart/form-data; boundary=b"}
    )
    problem = expect_problem(response, 422)
    assert problem["errors"][0]["field"] == "files"


def test_a_fields_body_of_the_wrong_type_is_422_naming_the_field(client, expect_problem):
    response = client.post("/v1/fields/validate", json={"monthly_income": [1, 2]})
    problem = expect_problem(response, 422)
    assert problem["errors"][0]["field"] == "monthly_income"


# ---- 401 ---------------------------------------------------------------------------------


@pytest.fixture(name="keyed")
def _keyed(make_client):
    return make_client(api_keys="first-key,second-key")


@pytest.mark.parametrize("path", ["/v1/policies", "/v1/finding-codes"])
def test_with_keys_on_a_request_without_a_key_is_401(keyed, expect_problem, path):
    problem = expect_problem(keyed.get(path), 401)
    assert "X-API-Key" in problem["detail"]


def test_with_keys_on_a_wrong_key_is_401(keyed, expect_problem):
    response = keyed.post("/v1/fields/validate", json={}, headers={"X-API-Key": "guess"})
    expect_problem(response, 401)
    response = keyed.post("/v1/checks", files=[("files", ("a.jpg", b""))])
    expect_problem(response, 401)


def test_with_keys_on_any_listed_key_passes(keyed):
    for key in ("first-key", "second-key"):
        response = keyed.post("/v1/fields/validate", json={}, headers={"X-API-Key": key})
        assert response.status_code == 200


def test_with_keys_on_health_and_the_page_stay_open(keyed):
    assert keyed.get("/healthz").status_code == 200
    assert keyed.get("/").status_code == 200


# ---- pixels and pages: the policy's limits, lowered by settings, reported as findings ---------


def test_settings_lower_the_policys_page_limit(make_client):
    client = make_client(max_pages=1)
    response = client.post(
        "/v1/checks", files=[("files", ("two.pdf", blank_pdf(2)))], data={"as_of": AS_OF}
    )
    assert "too_many_pages" in codes(response)


def test_settings_lower_the_policys_pixel_limit(make_client):
    client = make_client(max_pixels=100)
    response = client.post(
        "/v1/documents/check", files={"file": ("photo.png", png(20, 20))}, data={"as_of": AS_OF}
    )
    assert codes(response) == ["image_too_large"]


def test_settings_cannot_raise_the_policys_limits():
    limits = load_policy().limits
    settings = Settings(max_file_bytes=limits.max_file_bytes * 2, max_pages=1)
    lowered = settings.policy().limits
    assert lowered.max_file_bytes == limits.max_file_bytes
    assert lowered.max_pages == 1


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DOCREADY_API_KEYS", "a, b")
    monkeypatch.setenv("DOCREADY_CORS_ORIGINS", "http://localhost:3000")
    monkeypatch.setenv("DOCREADY_MAX_FILES", "3")
    settings = Settings()
    assert [key.get_secret_value() for key in settings.api_keys] == ["a", "b"]
    assert settings.cors_origins == ["http://localhost:3000"]
    assert settings.max_files == 3


def test_cors_origins_from_settings(make_client):
    client = make_client(cors_origins=["http://localhost:3000"])
    response = client.options(
        "/v1/fields/validate",
        headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"},
    )
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    other = client.get("/healthz", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers


# ---- the access log -------------------------------------------------------------------------


def test_the_access_log_holds_no_file_name_and_no_personal_data(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(
        "/v1/checks",
        files=[("files", ("zhang_san_110105199003071234.jpg", b""))],
        data={"declared": '{"name": "张三", "id_number": "110105199003071234"}'},
    )
    client.get("/v1/nothing/here/110105199003071234")
    lines = [record.getMessage() for record in caplog.records if record.name == "docready.access"]
    assert lines[0].startswith("POST /v1/checks 200 ")
    assert lines[1].startswith("GET (unmatched) 404 ")
    server = [record for record in caplog.records if not record.name.startswith("httpx")]
    everything = "\n".join(record.getMessage() for record in server)
    assert "110105" not in everything
    assert "zhang_san" not in everything
    assert "张三" not in everything
