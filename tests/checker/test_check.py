"""The pipeline end to end: files in, a report out, through the public API and the CLI."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

import checker
from checker.check import PageReadLog, _checked_lightly, _note_readings, run_application
from checker.document import Reading, Word
from checker.ocr import RegionOptions, get_reader, read_regions
from checker.policy import default_policy
from schemas.findings import Code
from schemas.report import PageQuality, Verdict

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CJK_TTF = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
AS_OF = dt.date(2026, 11, 15)
FIXTURES = Path(__file__).parents[2] / "fixtures" / "applications"


@pytest.fixture(name="letter_png")
def fixture_letter_png(tmp_path):
    """A page of Chinese text that is none of the supported document kinds."""
    image = Image.new("L", (1240, 900), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(CJK_FONT, 40)
    for row, line in enumerate(
        ["会议通知", "请于下周一上午九点到会议室开会。", "行政部 2026年11月"]
    ):
        draw.text((80, 80 + row * 90), line, font=font, fill=0)
    path = tmp_path / "letter.png"
    image.save(path, dpi=(150, 150))
    return path


@pytest.fixture(name="text_pdf")
def fixture_text_pdf(tmp_path):
    pdf = FPDF()
    pdf.add_font("cjk", fname=CJK_TTF)
    pdf.set_font("cjk", size=14)
    pdf.add_page()
    pdf.cell(text="会议通知：请于下周一上午九点到会议室开会。")
    path = tmp_path / "notice.pdf"
    pdf.output(str(path))
    return path


class NoOcr:
    """A reader that fails the test if anything is OCR'd."""

    name = "no-ocr"
    version = "0"

    def read(self, image, *, dpi, page):
        raise AssertionError("OCR was called on a page with a text layer")


def test_unknown_document_is_said_and_application_is_not_ready(letter_png):
    report = checker.check_application([letter_png], as_of=AS_OF, lang="en")
    codes = [finding.code for finding in report.findings]
    assert Code.DOCUMENT_UNKNOWN in codes
    assert codes.count(Code.DOCUMENT_MISSING) == 3
    assert report.verdict == Verdict.NOT_READY
    (document,) = report.documents
    assert document.kind == "unknown" and document.pages == 1
    assert document.quality[0].source == "ocr"
    assert document.quality[0].ocr_confidence is not None


def test_report_json_has_the_documented_keys(letter_png):
    report = checker.check_application([letter_png], as_of=AS_OF)
    data = json.loads(report.to_json())
    assert {"verdict", "as_of", "profile", "documents", "findings"} <= set(data)
    assert data["as_of"] == "2026-11-15"
    assert {"file", "kind", "kind_confidence", "pages", "fields", "quality"} <= set(
        data["documents"][0]
    )
    assert {"code", "severity", "file", "field", "message", "hint", "evidence"} <= set(
        data["findings"][0]
    )


def test_text_layer_pdf_is_never_ocrd(text_pdf):
    report = run_application(
        [text_pdf], as_of=AS_OF, policy=default_policy(), reader=NoOcr(), lang="en"
    )
    assert report.documents[0].quality[0].source == "text_layer"


def test_second_check_of_the_same_image_is_served_from_the_cache(letter_png):
    checker.check_document(letter_png, as_of=AS_OF)
    second = checker.check_document(letter_png, as_of=AS_OF)
    assert second.quality[0].ocr_cached is True


def test_bad_file_is_a_finding_not_an_exception(tmp_path):
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    report = checker.check_document(empty, as_of=AS_OF, lang="en")
    assert [finding.code for finding in report.findings] == [Code.FILE_EMPTY]


def test_importing_checker_does_not_import_the_web_or_cli_stack():
    code = "import sys, checker; print(sorted({'fastapi', 'typer', 'uvicorn'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _docready(*args):
    return subprocess.run(
        [sys.executable, "-m", "checker", *map(str, args)], capture_output=True, text=True
    )


def test_cli_json_report_and_exit_code(letter_png):
    result = _docready("check", letter_png, "--as-of", "2026-11-15", "--json", "--lang", "en")
    assert result.returncode == 2, result.stderr
    assert json.loads(result.stdout)["verdict"] == "not_ready"


def test_cli_table_names_the_codes(letter_png):
    result = _docready("check", letter_png, "--as-of", "2026-11-15", "--lang", "en")
    assert result.returncode == 2, result.stderr
    assert "document_unknown" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["check", "/no/such/file.jpg"],
        ["check", "{letter}", "--lang", "fr"],
        ["check", "{letter}", "--policy", "/no/such/policy.yaml"],
        ["check", "{letter}", "--profile", "no_such_profile"],
    ],
    ids=["missing-file", "bad-lang", "missing-policy", "unknown-profile"],
)
def test_cli_could_not_run_exits_3(letter_png, args):
    result = _docready(*[arg.format(letter=letter_png) for arg in args])
    assert result.returncode == 3, result.stdout + result.stderr
    assert "could not run" in result.stderr


class TimedReader:
    """A reader that reads one word off any page in a set time, as if from the cache or not."""

    name, version, languages, options = "timed", "1", "", ""

    def __init__(self, seconds: float, *, cached: bool = False):
        self.seconds, self.cached = seconds, cached

    def read(self, image, *, dpi, page):
        word = Word("字", (0, 0, 10, 10), 0.9)
        return Reading(page, [word], "ocr", seconds=self.seconds, cached=self.cached)


def _qualities(*pages):
    return [PageQuality(page=page, width=100, height=100, source="ocr") for page in pages]


def test_a_page_read_again_reports_the_time_of_both_reads():
    """A statement photo is read as taken, then flattened and read again: its ocr_seconds
    is what both reads took; a page read once keeps its one read's time."""
    reader = PageReadLog(TimedReader(0.4))
    image = Image.new("L", (100, 100), 255)
    first = [reader.read(image, dpi=150, page=1), reader.read(image, dpi=150, page=2)]
    reader.read(image.resize((80, 110)), dpi=150, page=1)  # page 1 flattened, read again
    qualities = _qualities(1, 2)
    _note_readings(qualities, first, reader.readings)
    assert [quality.ocr_seconds for quality in qualities] == [0.8, 0.4]
    assert [quality.ocr_confidence for quality in qualities] == [0.9, 0.9]


def test_a_page_is_cached_only_when_every_read_of_it_was():
    image = Image.new("L", (100, 100), 255)
    from_cache = TimedReader(0.01, cached=True).read(image, dpi=150, page=1)
    fresh = TimedReader(2.0).read(image, dpi=150, page=1)
    qualities = _qualities(1)
    _note_readings(qualities, [from_cache], [from_cache, from_cache])
    assert (qualities[0].ocr_seconds, qualities[0].ocr_cached) == (0.02, True)
    _note_readings(qualities, [from_cache], [from_cache, fresh])
    assert (qualities[0].ocr_seconds, qualities[0].ocr_cached) == (2.01, False)


def test_region_reads_pass_through_the_log_unlogged(scripted_reader):
    """Crops read again (a name, an amount) are not page reads: they go to the reader's own
    region reading, as without the log, and leave the page's ocr_seconds alone."""
    reader = PageReadLog(scripted_reader([("张三", 0.95)]))
    image = Image.new("L", (200, 50), 255)
    (reading,) = read_regions(
        reader, image, [(0, 0, 100, 50)], dpi=300, page=1, options=RegionOptions()
    )
    assert reading.text == "张三"
    assert reader.readings == []


def test_an_application_keeps_only_the_images_under_the_fields_of_a_checked_file():
    """A file's pages are let go once it is checked (an A4 scan holds 26 MB); the name judge
    keeps the image in each read field's box."""
    photo = FIXTURES / "clean_photos_only" / "id_front.jpg"
    [(report, images)] = _checked_lightly(
        photo, default_policy(), get_reader(default_policy().ocr), AS_OF
    )
    boxed = {(field.page, field.box) for _, field in report.fields.items() if field.box}
    assert "name" in dict(report.fields.items()) and boxed
    assert set(images) == boxed
    for (_, (left, top, right, bottom)), image in images.items():
        assert image.size == (right - left, bottom - top)


@pytest.mark.ocr
def test_an_applications_files_checked_in_two_worker_processes_give_the_same_report():
    case = FIXTURES / "clean_photos_only"
    files = [case / "id_front.jpg", case / "id_back.jpg", case / "employment_certificate.jpg"]
    declared = json.loads((case / "declared.json").read_text(encoding="utf-8"))
    reports = [
        run_application(files, declared=declared, as_of=AS_OF, workers=workers)
        for workers in (1, 2)
    ]
    here, side_by_side = (json.loads(report.to_json()) for report in reports)
    for report in (here, side_by_side):
        for document in report["documents"]:
            for page in document["quality"]:
                del page["ocr_seconds"], page["ocr_cached"]
    assert [document["file"] for document in side_by_side["documents"]] == [
        path.name for path in files
    ]
    assert side_by_side == here
