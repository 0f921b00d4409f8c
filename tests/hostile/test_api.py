"""Every corpus item through the HTTP API: `POST /v1/checks` beside a good statement (a 200
report with a finding for the bad file) and `POST /v1/documents/check` alone (the item's
status: 200 with findings, or a 4xx problem)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from .corpus import GOOD_FILE, Item
from .expect import (
    AS_OF,
    HANG_GUARD_SECONDS,
    assert_application_report,
    assert_bad_item_reported,
    item_params,
)


@pytest.fixture(name="client", scope="module")
def _client() -> Iterator[object]:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    settings = Settings(api_keys=[], cors_origins=[], policy_file=None, check_threads=2)
    with TestClient(create_app(settings)) as client:
        yield client


def multipart(parts: list[tuple[str, str, bytes]], fields: dict[str, str]) -> tuple[bytes, str]:
    """A multipart/form-data body written byte by byte, so that a file name reaches the
    server as a hostile client would send it (NUL, escape, bidi characters, `../`).

    Only `"`, CR and LF are percent-escaped, as browsers do (WHATWG HTML form encoding).
    """
    boundary = "docready-hostile-boundary-7d3a"
    body = bytearray()
    for field, name, data in parts:
        escaped = name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
        body += f"--{boundary}\r\n".encode()
        body += f'Content-Disposition: form-data; name="{field}"; filename="{escaped}"\r\n'.encode()
        body += b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n"
    for field, value in fields.items():
        body += f"--{boundary}\r\n".encode()
        body += f'Content-Disposition: form-data; name="{field}"\r\n\r\n{value}\r\n'.encode()
    body += f"--{boundary}--\r\n".encode()
    return bytes(body), f"multipart/form-data; boundary={boundary}"


FIELDS = {"as_of": AS_OF.isoformat(), "lang": "en"}


@pytest.mark.parametrize("item", item_params())
def test_api_checks_with_bad_item(item: Item, good, client, fresh_tmp, memory_ceiling):
    body, content_type = multipart(
        [("files", item.name, item.data()), ("files", GOOD_FILE, good[1])], FIELDS
    )
    started = time.perf_counter()
    with memory_ceiling.guard():
        response = client.post("/v1/checks", content=body, headers={"content-type": content_type})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text[:2000]
    assert_application_report(item, response.json())
    assert elapsed < HANG_GUARD_SECONDS
    assert fresh_tmp.leftovers() == []


@pytest.mark.parametrize("item", item_params())
def test_api_document_check_of_bad_item(item: Item, client, fresh_tmp, memory_ceiling):
    body, content_type = multipart([("file", item.name, item.data())], FIELDS)
    started = time.perf_counter()
    with memory_ceiling.guard():
        response = client.post(
            "/v1/documents/check", content=body, headers={"content-type": content_type}
        )
    elapsed = time.perf_counter() - started
    assert response.status_code == item.status, response.text[:2000]
    if item.status >= 400:
        problem = response.json()
        assert problem["detail"], problem
    else:
        document = response.json()
        codes = {finding["code"] for finding in document["findings"]}
        assert_bad_item_reported(item, document, codes)
    assert elapsed < HANG_GUARD_SECONDS
    assert fresh_tmp.leftovers() == []
