"""The HTML report: findings beside crops, personal data blurred, loads in a real browser."""

import base64
import datetime as dt
import io
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from checker.findings import new_finding
from checker.html import crop_with_box, render_html
from checker.report import finish_report
from schemas.declared import DeclaredFields
from schemas.findings import Code, Evidence
from schemas.reads import Read
from schemas.report import DocumentReport

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
NAME_BOX = (100, 60, 400, 130)
EXPIRY_BOX = (100, 300, 700, 370)


@pytest.fixture(name="card_png")
def fixture_card_png(tmp_path):
    image = Image.new("RGB", (1012, 638), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 48)
    draw.text(NAME_BOX[:2], "张伟明", font=font, fill="black")
    draw.text(EXPIRY_BOX[:2], "2016.03.01-2026.03.01", font=font, fill="black")
    path = tmp_path / "id_back.png"
    image.save(path)
    return path


@pytest.fixture(name="report")
def fixture_report():
    document = DocumentReport(
        file="id_back.png",
        kind="cn_id_front",  # a made-up card: the name (personal) and an expiry finding
        pages=1,
        fields={"name": Read(value="张伟明", page=1, box=NAME_BOX)},
    )
    finding = new_finding(
        Code.ID_EXPIRED,
        file="id_back.png",
        field="valid_until",
        valid_until="2026-03-01",
        card={"zh": "身份证", "en": "ID card"},
        evidence=Evidence(file="id_back.png", page=1, box=EXPIRY_BOX),
    )
    document.findings = [finding]
    return finish_report(
        [document],
        [finding],
        declared=DeclaredFields(),
        as_of=dt.date(2026, 11, 15),
        profile="personal_loan",
        lang="en",
        mask=True,
    )


def test_html_has_each_finding_with_a_crop(report, card_png):
    page = render_html(report, [card_png])
    assert page.count('data-code="id_expired"') == 1
    assert page.count("data:image/png;base64,") == 1
    assert "张伟明" not in page


def test_crop_outlines_the_box_and_blurs_personal_fields(card_png):
    image = Image.open(card_png).convert("RGB")
    crop = np.asarray(crop_with_box(image, (100, 60, 700, 370), hidden=[NAME_BOX]))
    red = (crop[..., 0] > 200) & (crop[..., 1] < 60) & (crop[..., 2] < 60)
    assert red.sum() > 1000  # the outline
    sharp = np.asarray(image.convert("L"), dtype=float)
    blurred_region = np.asarray(
        crop_with_box(image, (0, 0, 1012, 638), hidden=[NAME_BOX]).convert("L"), dtype=float
    )
    name = (slice(NAME_BOX[1] + 10, NAME_BOX[3] - 10), slice(NAME_BOX[0] + 10, NAME_BOX[2] - 10))
    assert blurred_region[name].std() < sharp[name].std() / 2


@pytest.fixture(name="chromium")
def fixture_chromium():
    path = shutil.which("chromium")
    assert path, "chromium is installed by `make test` (Debian package chromium)"
    return path


def test_html_report_renders_in_headless_chromium(report, card_png, tmp_path, chromium):
    html = tmp_path / "report.html"
    html.write_text(render_html(report, [card_png]), encoding="utf-8")
    shot = tmp_path / "shot.png"
    dom = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            "--dump-dom",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-code="id_expired"' in dom.stdout
    console_errors = [
        line for line in dom.stderr.splitlines() if "CONSOLE" in line and "ERROR" in line
    ]
    assert console_errors == []
    assert shot.exists() and Image.open(shot).size[0] > 0


def _masked(documents, findings):
    """The English masked report of these documents and findings."""
    return finish_report(
        documents,
        findings,
        declared=DeclaredFields(),
        as_of=dt.date(2026, 11, 15),
        profile="personal_loan",
        lang="en",
        mask=True,
    )


def test_a_finding_without_a_box_shows_its_whole_page(card_png):
    """A blurred ID photo has no box to outline: the report shows the page it is about."""
    document = DocumentReport(file="id_back.png", kind="cn_id_back", pages=1)
    finding = new_finding(Code.IMAGE_BLURRY, file="id_back.png", page=1, sharpness=3, threshold=9)
    page = render_html(_masked([document], [finding]), [card_png])
    assert page.count("data:image/png;base64,") == 1
    assert "whole page" in page


def test_text_read_from_a_document_is_escaped(card_png):
    """An employer name (or a file name) read as `<img onerror=…>` is shown, never run."""
    finding = new_finding(
        Code.EMPLOYER_MISMATCH,
        file="id_back.png",
        document={"en": "income certificate"},
        certified='<img src=x onerror="alert(1)">',
        payer="Acme",
    )
    document = DocumentReport(file="id_back.png", kind="income_certificate", pages=1)
    page = render_html(_masked([document], [finding]), [card_png])
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page


def _region_sharpness(page: str, box: tuple[int, int, int, int], scale: float) -> float:
    """The contrast inside `box` of the page's one embedded crop (scaled by `scale`)."""
    data = page.split("data:image/png;base64,", 1)[1].split('"', 1)[0]
    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("L"), dtype=float)
    left, top, right, bottom = (round(edge * scale) for edge in box)
    return float(image[top + 5 : bottom - 5, left + 5 : right - 5].std())


def test_a_business_licence_keeps_its_business_name_and_blurs_its_representative(card_png):
    """The licence's `name` is the business's (public); the representative is a person."""
    document = DocumentReport(
        file="id_back.png",
        kind="business_licence",
        pages=1,
        fields={
            "name": Read(value="张伟明", page=1, box=NAME_BOX),  # stands in for a company name
            "representative": Read(value="陈佳慧", page=1, box=EXPIRY_BOX),
        },
    )
    finding = new_finding(Code.IMAGE_BLURRY, file="id_back.png", page=1, sharpness=3, threshold=9)
    page = render_html(_masked([document], [finding]), [card_png])
    scale = 720 / 1012  # the thumbnail's width over the page's
    assert _region_sharpness(page, NAME_BOX, scale) > 2 * _region_sharpness(page, EXPIRY_BOX, scale)
