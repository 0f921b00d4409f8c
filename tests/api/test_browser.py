"""The intake page in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright)
against a uvicorn server on a free loopback port: type the fields, see live validation,
upload an ID card photo of a sample application, see the verdict and the findings."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from PIL import Image
from playwright import sync_api as playwright_api

from api.app import create_app
from api.settings import Settings
from checker.documents.cn_id_back import ID_CARD
from checker.policy import default_policy

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


# ---- no internal codes on the page, in either language -----------------------------------


def _internal_codes() -> set[str]:
    """What a person must never read: finding codes, document kinds, profile keys, field
    names of the report (those with an underscore; `passport` is also a word)."""
    from checker.policy import default_policy
    from schemas.findings import Code
    from schemas.kinds import DocumentKind

    names = {code.value for code in Code} | set(DocumentKind) | set(default_policy().profiles)
    return {name for name in names if "_" in name} | {"as_of", "not_ready", "unknown"}


def _codes_in(text: str, files: list[str]) -> list[str]:
    for file in files:  # a file may be called income_certificate.png: that is its name
        text = text.replace(file, "")
    return sorted(code for code in _internal_codes() if re.search(rf"\b{code}\b", text))


def _sample_report(lang: str):
    from checker.findings import new_finding
    from schemas.findings import Code, Evidence
    from schemas.report import DocumentReport

    documents = [
        DocumentReport(file="front.png", kind="cn_id_front", pages=1),
        DocumentReport(file="back.png", kind="cn_id_back", pages=1),
        DocumentReport(file="letter.png", kind="unknown", pages=1),
    ]
    findings = [
        new_finding(Code.IMAGE_BLURRY, file="front.png", page=1, sharpness=3, threshold=9),
        new_finding(
            Code.ID_EXPIRED,
            file="back.png",
            field="valid_until",
            valid_until="2025-09-25",
            evidence=Evidence(file="back.png", page=1, box=(20, 20, 200, 80)),
        ),
        new_finding(Code.DOCUMENT_UNKNOWN, file="letter.png"),
        new_finding(
            Code.DOCUMENT_MISSING,
            document={"zh": "银行流水", "en": "bank statements"},
        ),
    ]
    return _finished(documents, findings, lang)


def _finished(documents, findings, lang: str):
    """The masked report of these documents and findings, as a personal loan on 2026-11-15."""
    from checker.report import finish_report
    from schemas.declared import DeclaredFields

    return finish_report(
        documents,
        findings,
        declared=DeclaredFields(),
        as_of=dt.date(2026, 11, 15),
        profile="personal_loan",
        lang=lang,
        mask=True,
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_report_text_has_no_internal_codes(lang, tmp_path):
    from checker.html import render_html

    image = Image.new("RGB", (600, 380), "white")
    files = ["front.png", "back.png", "letter.png"]
    for name in files:
        image.save(tmp_path / name)
    report = _sample_report(lang)
    html = render_html(report, [tmp_path / name for name in files])
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.set_content(html)
        text = page.inner_text("body")
        thumbnails = page.locator(".finding img").count()
        browser.close()
    assert _codes_in(text, files) == []
    assert report.summary.text in text
    assert thumbnails == 3  # every finding with a page: the blurred photo as a whole page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_intake_page_text_has_no_internal_codes(page, lang):
    page.select_option("#lang", lang)
    profiles = len(default_policy().profiles)
    playwright_api.expect(page.locator("#profile option")).to_have_count(profiles)
    option = page.locator("#profile option").first
    playwright_api.expect(option).to_contain_text("个人贷款" if lang == "zh" else "personal loan")
    text = page.inner_text("body") + " ".join(page.locator("#profile option").all_inner_texts())
    assert _codes_in(text, []) == []


def _batch_out(out: Path, lang: str) -> Path:
    """A batch output folder as `docready batch --html` leaves it: results.jsonl with a
    not-ready, a ready and a failed application (HTML reports for the two checked)."""
    from checker.batch.results import HTML_DIR, RESULTS, Result
    from checker.batch.summary import INDEX, write_summary
    from checker.findings import new_finding
    from schemas.findings import Code
    from schemas.report import DocumentReport

    def result(name: str, findings: list, kinds: tuple[str, ...]) -> Result:
        documents = [DocumentReport(file=f"{kind}.png", kind=kind, pages=1) for kind in kinds]
        report = _finished(documents, findings, lang)
        return Result(
            application=name,
            fingerprint="0" * 64,
            verdict=report.verdict,
            codes=sorted({finding.code.value for finding in findings}),
            html=f"{HTML_DIR}/{name}.html",
            report=report,
        )

    not_ready = [
        new_finding(Code.ID_EXPIRED, file="cn_id_back.png", valid_until="2025-09-25", card=ID_CARD),
        new_finding(
            Code.EMPLOYER_MISMATCH,
            file="income_certificate.png",
            document={"zh": "收入证明", "en": "income certificate"},
            certified="<i>Acme</i> 有限公司",
            payer="星河科技",
        ),
        new_finding(Code.DOCUMENT_MISSING, document={"zh": "银行流水", "en": "bank statements"}),
    ]
    out.mkdir()
    lines = [
        result("zhao_2026_001", not_ready, ("cn_id_back", "income_certificate")),
        result("qian_2026_002", [], ("cn_id_front", "cn_id_back")),
        Result(application="sun_2026_003", fingerprint="1" * 64, error="OSError (photo)"),
    ]
    (out / RESULTS).write_bytes(b"".join(line.to_line() for line in lines))
    write_summary(out, lang)
    return out / INDEX


INDEX_WORDS = {  # what a person reads on the index: verdicts in words, the failed one said so
    "zh": (
        "暂不可提交",
        "可以提交",
        "未能检查",
        "身份证已于 2025-09-25 过期。",
        "缺少材料：银行流水。",
    ),
    "en": (
        "not ready to submit",
        "ready to submit",
        "could not be checked",
        "The ID card expired on 2025-09-25.",
        "A required document is missing: bank statements.",
    ),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_batch_index_says_each_verdict_and_its_reasons_in_words(lang, tmp_path):
    index = _batch_out(tmp_path / "out", lang)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.goto(index.as_uri())
        text = page.inner_text("body")
        rows = page.locator("tr.application").all_inner_texts()
        links = [link.get_attribute("href") for link in page.locator("a").all()]
        browser.close()
    assert _codes_in(text, ["zhao_2026_001", "qian_2026_002", "sun_2026_003"]) == []
    for words in INDEX_WORDS[lang]:
        assert words in text, words
    assert "<i>Acme</i> 有限公司" in text  # a value read from a document is text, not markup
    ready, failed, not_ready = rows  # by application name
    assert "qian" in ready and "sun" in failed and "zhao" in not_ready
    assert INDEX_WORDS[lang][0] in not_ready and "Acme" in not_ready
    assert INDEX_WORDS[lang][1] in ready and INDEX_WORDS[lang][0] not in ready
    assert INDEX_WORDS[lang][2] in failed and "OSError" in failed
    assert links == ["html/qian_2026_002.html", "html/zhao_2026_001.html"]
