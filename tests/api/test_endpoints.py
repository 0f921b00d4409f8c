"""Each endpoint once, on inputs whose findings the pipeline already guarantees."""

from __future__ import annotations

import json

import pytest

from schemas.catalogue import catalogue

AS_OF = "2026-11-15"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_names_the_ocr_engine(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["ocr"]["engine"] == "tesseract"
    assert body["ocr"]["languages"] == "chi_sim+eng"


def test_readyz_is_503_without_tesseract(client, monkeypatch, expect_problem):
    monkeypatch.setattr("pytesseract.pytesseract.tesseract_cmd", "/nonexistent/tesseract")
    problem = expect_problem(client.get("/readyz"), 503)
    assert problem["type"].endswith(":ocr_unavailable")


def test_policies_list_profiles_and_limits(client):
    body = client.get("/v1/policies").json()
    assert body["default_profile"] == "personal_loan"
    assert {"personal_loan", "identity_only"} <= set(body["profiles"])
    assert body["profiles"]["personal_loan"]["requires"]
    assert body["limits"]["max_file_bytes"] == 25 * 1024 * 1024
    assert body["limits"]["max_files"] == 12


def test_finding_codes_are_the_catalogue(client):
    body = client.get("/v1/finding-codes").json()
    assert set(body) == {code.value for code in catalogue()}
    assert body["id_expired"]["severity"] == "error"
    assert body["id_expired"]["en"]["message"]
    assert body["id_expired"]["zh"]["hint"]


def test_fields_validate_names_the_bad_field(client):
    response = client.post(
        "/v1/fields/validate?lang=en", json={"name": "张三", "id_number": "11010519900307123"}
    )
    assert response.status_code == 200
    findings = response.json()["findings"]
    assert [(f["code"], f["field"]) for f in findings] == [("declared_invalid", "id_number")]
    assert "18" in findings[0]["message"]


def test_fields_validate_passes_good_fields(client):
    response = client.post("/v1/fields/validate", json={"id_number": "440305199810011782"})
    assert response.json() == {"findings": []}


@pytest.mark.parametrize(
    ("header", "expected"),
    [("en-US,en;q=0.9", "en"), ("zh-CN", "zh"), ("fr, en;q=0.5, zh;q=0.8", "zh"), (None, "zh")],
)
def test_accept_language_picks_the_wording(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    body = client.post("/v1/fields/validate", json={"phone": "12"}, headers=headers).json()
    message = body["findings"][0]["message"]
    assert message.isascii() == (expected == "en")


def test_check_reports_an_empty_upload_and_the_missing_documents(client):
    response = client.post(
        "/v1/checks",
        files=[("files", ("id_front.jpg", b""))],
        data={"as_of": AS_OF, "lang": "en", "declared": json.dumps({"name": "张三"})},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    report = response.json()
    assert report["verdict"] == "not_ready"
    assert report["as_of"] == AS_OF
    assert report["profile"] == "personal_loan"
    assert report["lang"] == "en"
    assert report["masked"] is True
    assert [document["file"] for document in report["documents"]] == ["id_front.jpg"]
    assert "findings" not in report["documents"][0]  # listed once, under findings
    codes = [finding["code"] for finding in report["findings"]]
    assert codes[0] == "file_empty"
    assert codes.count("document_missing") == 3


def test_check_with_another_profile(client):
    response = client.post(
        "/v1/checks",
        files=[("files", ("a.jpg", b""))],
        data={"as_of": AS_OF, "profile": "identity_only"},
    )
    report = response.json()
    assert report["profile"] == "identity_only"
    assert [f["code"] for f in report["findings"]].count("document_missing") == 1


def test_check_keeps_two_uploads_with_one_name_apart(client):
    response = client.post(
        "/v1/checks",
        files=[("files", ("scan.jpg", b"")), ("files", ("scan.jpg", b"")), ("files", ("..", b""))],
        data={"as_of": AS_OF},
    )
    files = [document["file"] for document in response.json()["documents"]]
    assert files == ["scan.jpg", "scan (2).jpg", "unnamed"]


def test_check_never_keeps_a_path_in_the_name(client):
    response = client.post(
        "/v1/checks", files=[("files", ("../../etc/passwd", b""))], data={"as_of": AS_OF}
    )
    assert response.json()["documents"][0]["file"] == "passwd"


def test_check_as_html_has_the_verdict_and_findings(client):
    response = client.post(
        "/v1/checks",
        files=[("files", ("a.jpg", b""))],
        data={"as_of": AS_OF, "lang": "en", "html": "true"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["docready-verdict"] == "not_ready"
    assert 'data-code="file_empty"' in response.text
    assert 'data-code="document_missing"' in response.text


def test_document_check_reports_an_empty_file(client):
    response = client.post(
        "/v1/documents/check", files={"file": ("id.jpg", b"")}, data={"lang": "en"}
    )
    assert response.status_code == 200
    report = response.json()
    assert report["file"] == "id.jpg"
    assert [finding["code"] for finding in report["findings"]] == ["file_empty"]
    assert report["findings"][0]["message"].isascii()


def test_document_check_refuses_an_unsupported_file_with_415(client, expect_problem):
    response = client.post("/v1/documents/check", files={"file": ("notes.bin", b"\x00\x01junk")})
    problem = expect_problem(response, 415)
    assert problem["type"].endswith(":unsupported_file")
    assert [finding["code"] for finding in problem["findings"]] == ["file_unsupported"]


def test_application_check_reports_an_unsupported_file_as_a_finding(client):
    response = client.post(
        "/v1/checks", files=[("files", ("notes.bin", b"\x00\x01junk"))], data={"as_of": AS_OF}
    )
    assert response.status_code == 200
    assert "file_unsupported" in [finding["code"] for finding in response.json()["findings"]]


@pytest.mark.ocr
def test_document_check_reads_an_id_card(client, sample_file):
    name, data = sample_file("defect_id_expired", "id_back.jpg")
    response = client.post(
        "/v1/documents/check", files={"file": (name, data, "image/jpeg")}, data={"as_of": AS_OF}
    )
    assert response.status_code == 200
    report = response.json()
    assert report["file"] == "id_back.jpg"
    assert report["media_type"] == "image/jpeg"
    assert report["pages"] == 1
    assert report["quality"][0]["source"] == "ocr"


def test_openapi_documents_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/v1/checks",
        "/v1/documents/check",
        "/v1/fields/validate",
        "/v1/policies",
        "/v1/finding-codes",
        "/healthz",
        "/readyz",
    } <= set(paths)
    body = paths["/v1/checks"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert body["schema"]["required"] == ["files"]
    assert client.get("/docs").status_code == 200


def test_intake_page_and_its_script_are_served(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/static/app.js" in page.text
    assert client.get("/static/app.js").status_code == 200


@pytest.mark.parametrize(
    ("page", "assets"),
    [("/docs", ["swagger-ui-bundle.js", "swagger-ui.css"]), ("/redoc", ["redoc.standalone.js"])],
)
def test_api_docs_work_offline(client, page, assets):
    """Swagger UI and ReDoc come from this server, never from a CDN."""
    html = client.get(page)
    assert html.status_code == 200
    assert "https://" not in html.text and "//cdn" not in html.text
    for asset in assets:
        assert f"/static/docs/{asset}" in html.text
        served = client.get(f"/static/docs/{asset}")
        assert served.status_code == 200 and len(served.content) > 10_000
