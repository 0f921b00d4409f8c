"""The intake page in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright)
against a uvicorn server on a free loopback port: type the fields, see live validation,
upload an ID card photo of a sample application, see the verdict and the findings."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright import sync_api as playwright_api

from api.app import create_app
from api.settings import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CASE = Path(__file__).resolve().parents[2] / "fixtures" / "applications" / "defect_id_expired"


@pytest.fixture(autouse=True)
def _chromium_is_installed() -> None:
    assert shutil.which(CHROMIUM), "`make test` installs Debian's chromium"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(name="server", scope="module")
def _server() -> Iterator[str]:
    """A uvicorn server in a thread of this process, on 127.0.0.1 and a free port."""
    port = free_port()
    config = uvicorn.Config(
        create_app(Settings()), host="127.0.0.1", port=port, access_log=False, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(name="page")
def _page(server):
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        page.goto(server + "/")
        yield page
        browser.close()


def test_live_validation_marks_a_bad_id_number(page):
    page.fill("input[name=id_number]", "11010519900307123")
    message = page.locator("input[name=id_number] ~ .field-message")
    playwright_api.expect(message).to_contain_text("18")
    playwright_api.expect(page.locator("input[name=id_number]")).to_have_attribute(
        "aria-invalid", "true"
    )
    page.fill("input[name=id_number]", "")
    playwright_api.expect(message).to_have_text("")


@pytest.mark.ocr
def test_uploading_an_id_card_shows_the_verdict_and_findings(page):
    declared = json.loads((CASE / "declared.json").read_text(encoding="utf-8"))
    for name, value in declared.items():
        page.fill(f"input[name={name}]", value)
    page.fill("#as_of", "2026-11-15")
    page.select_option("#lang", "en")
    page.set_input_files("#files", str(CASE / "id_back.jpg"))
    playwright_api.expect(page.locator("#file-list li")).to_contain_text("id_back.jpg")
    page.click("#submit")

    verdict = page.locator("#verdict")
    playwright_api.expect(verdict).to_have_attribute("data-verdict", "not_ready", timeout=60_000)
    report = page.frame_locator("#report")
    missing = report.locator('.finding[data-code="document_missing"]')
    playwright_api.expect(missing.filter(has_text="income proof")).to_be_visible()
    playwright_api.expect(missing.filter(has_text="bank statements")).to_be_visible()
    playwright_api.expect(report.locator(".hint").first).to_be_visible()  # the fix, too
