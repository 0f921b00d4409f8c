"""The second reader (RapidOCR) and the rule that takes its reads only when crops agree.

The rule's branches are tested with a scripted reader; the reader itself, and the field it
was added for, with real RapidOCR on drawn and committed images.
"""

from __future__ import annotations

import builtins
import datetime as dt
import logging
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from checker import ocr
from checker.check import check_file
from checker.document import Word
from checker.documents._certificate.reread import second_regions
from checker.ocr import OcrError, get_reader, second_reader
from checker.ocr import rapidocr as rapidocr_module
from checker.ocr.rapidocr import RapidOcrReader
from checker.parse import parse_date
from checker.policy import OcrSettings, default_policy
from checker.reading.second_read import LINE_HEIGHT, agreed_read, line_crop, print_crop
from checker.rows.label_value import Row
from checker.rows.lines import Line

FONT_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
GLARE_CERTIFICATE = (
    Path(__file__).parents[2]
    / "fixtures"
    / "applications"
    / "quality_glare_id_photo"
    / "income_certificate.jpg"
)
ID_CARD_PHOTO = (
    Path(__file__).parents[2] / "fixtures" / "applications" / "clean_photos_only" / "id_front.jpg"
)
AS_OF = dt.date(2026, 11, 15)


class FailingReader:
    name, version, languages, options = "failing", "1", "", ""

    def read(self, image, *, dpi, page):
        raise OcrError("the engine failed")

    def read_regions(self, image, boxes, *, dpi, page, options):
        raise OcrError("the engine failed")


PAGE = Image.new("RGB", (400, 100), "white")
TWO_REGIONS = [(0, 0, 200, 40), (10, 0, 200, 40)]


def _agreed(reader, regions=TWO_REGIONS):
    return agreed_read(reader, PAGE, regions, text_height=20, dpi=300, page=1, parse=parse_date)


def test_crops_that_agree_and_are_sure_give_the_value(scripted_reader):
    agreed = _agreed(scripted_reader([("2026年11月11日", 0.99), ("2026年11月11日", 0.95)]))
    assert agreed is not None
    assert agreed.value == dt.date(2026, 11, 11)
    assert agreed.confidence == 0.95
    assert agreed.text == "2026年11月11日"


@pytest.mark.parametrize(
    "script",
    [
        [("2026年11月11日", 0.99), ("2026年1月11日", 0.99)],  # they disagree
        [("2026年11月11日", 0.99), ("", 0.0)],  # one crop read nothing
        [("2026年11月11日", 0.99), ("2026年11月11日", 0.80)],  # one read is unsure
        [("2026年11月11日", 0.99), ("11月11日专用", 0.97)],  # only one parses
    ],
    ids=["disagree", "one-empty", "one-unsure", "one-parses"],
)
def test_anything_short_of_agreement_gives_nothing(scripted_reader, script):
    assert _agreed(scripted_reader(script)) is None


def test_one_crop_alone_is_never_taken(scripted_reader):
    assert _agreed(scripted_reader([("2026年11月11日", 1.0)]), regions=TWO_REGIONS[:1]) is None


def test_a_failing_reader_gives_nothing():
    assert _agreed(FailingReader()) is None


def test_the_print_crop_keeps_the_strokes_a_seal_lies_over():
    image = Image.new("RGB", (200, 60), (245, 242, 235))
    canvas = ImageDraw.Draw(image)
    canvas.rectangle((40, 10, 46, 50), fill=(30, 30, 30))  # a printed stroke
    canvas.line((0, 30, 200, 30), fill=(200, 30, 40), width=8)  # seal ink across it
    # where the stamp lies over the stroke, the print shows through: darker than either
    pixels = np.asarray(image).copy()
    pixels[26:34, 40:47] = (25, 10, 12)
    crop = np.asarray(print_crop(Image.fromarray(pixels), (0, 0, 200, 60), text_height=40))
    stroke_under_seal, seal_alone, paper = crop[30, 43], crop[30, 120], crop[5, 120]
    assert stroke_under_seal < 60
    assert seal_alone > 150
    assert paper > 200


def _sloping_lines(degrees: float) -> Image.Image:
    """Three lines of print on a page rotated by `degrees` (a photo askew), a border right of
    them: the middle line 30 px tall, its neighbours 44 px above and below it."""
    page = Image.new("RGB", (900, 300), (245, 242, 235))
    canvas = ImageDraw.Draw(page)
    for top, width in ((66, 300), (110, 500), (154, 260)):  # each line a row of "characters"
        for left in range(100, 100 + width, 36):
            canvas.rectangle((left, top, left + 28, top + 30), fill=(30, 30, 30))
    canvas.rectangle((800, 0, 806, 300), fill=(30, 30, 30))  # the page's border
    return page.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=(245, 242, 235))


@pytest.mark.parametrize("degrees", [0.0, 3.0, -4.0])
def test_the_line_crop_keeps_one_levelled_line_and_not_the_border(degrees):
    """The box of a sloping line (its words' union) holds parts of the lines above and below
    it and, widened to where the value may run on, the page's border: the crop keeps the
    middle line, levelled, scaled by its own height, and ends before the border."""
    page = _sloping_lines(degrees)
    crop = line_crop(page, (80, 60, 880, 200), text_height=60)
    ink = np.asarray(crop) < 128
    rows = np.nonzero(ink.any(axis=1))[0]
    assert rows.max() - rows.min() <= 1.15 * LINE_HEIGHT  # one line, level, not three
    columns = np.nonzero(ink.any(axis=0))[0]
    # the line is 500 px long and 30 px tall: about 16.7 of its heights, the border cut off
    assert (columns.max() - columns.min()) / LINE_HEIGHT == pytest.approx(500 / 30, rel=0.08)


@pytest.mark.parametrize("box", [(10, 10, 10, 30), (10, 0, 50, 0), (0, 0, 100, 100)])
def test_the_line_crop_of_an_empty_or_blank_region_is_an_image(box):
    assert line_crop(Image.new("RGB", (100, 100), "white"), box, text_height=20).size[0] >= 1


@pytest.fixture(name="rapid", scope="module")
def fixture_rapid() -> RapidOcrReader:
    return RapidOcrReader()


def _line(text: str, size=(520, 70)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((10, 8), text, font=ImageFont.truetype(FONT_PATH, 40), fill="black")
    return image


def test_rapidocr_reads_a_region_as_one_word_with_the_region_box(rapid):
    image = _line("开具日期 2026年3月9日")
    box = (0, 0, image.width, image.height)
    [reading] = ocr.read_regions(rapid, image, [box], dpi=300, page=2, options=ocr.RegionOptions())
    [word] = reading.words
    assert word.text.replace(" ", "") == "开具日期2026年3月9日"
    assert word.box == box
    assert word.confidence > 0.9
    assert reading.page == 2
    assert reading.engine.startswith("rapidocr ")


def test_rapidocr_reads_a_page_line_by_line_with_boxes(rapid):
    page = Image.new("RGB", (900, 400), "white")
    canvas = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT_PATH, 40)
    canvas.text((60, 60), "姓名 张建国", font=font, fill="black")
    canvas.text((60, 240), "月收入 28250.00", font=font, fill="black")
    reading = rapid.read(page, dpi=300, page=1)
    texts = [word.text.replace(" ", "") for word in reading.words]
    assert texts == ["姓名张建国", "月收入28250.00"]
    first, second = (word.box for word in reading.words)
    assert first[1] < 120 < second[1]
    assert first[0] < 120


def test_the_card_reader_detects_on_openvino_in_float32_the_lines_onnxruntime_finds(monkeypatch):
    image = Image.open(ID_CARD_PHOTO)
    card = RapidOcrReader(card=True)
    on_openvino = card.read(image, dpi=200, page=1)
    for compiled, _ in card._engine.text_det.session._compiled.values():
        assert compiled.get_property("INFERENCE_PRECISION_HINT").to_string() == "f32"
    assert "ov" in card.options
    monkeypatch.setattr(rapidocr_module, "_detect_on_openvino", lambda card: False)
    on_onnxruntime = RapidOcrReader(card=True).read(image, dpi=200, page=1)
    assert len(on_openvino.words) >= 8  # the card's labels and values
    assert [w.text for w in on_openvino.words] == [w.text for w in on_onnxruntime.words]
    for first, second in zip(on_openvino.words, on_onnxruntime.words, strict=True):
        assert max(abs(a - b) for a, b in zip(first.box, second.box, strict=True)) <= 2


def test_rapidocr_can_be_the_page_reader_by_setting():
    settings = OcrSettings(engine="rapidocr", timeout_seconds=10, render_dpi=300)
    reader = get_reader(settings, cache=False)
    assert reader.name == "rapidocr"


def test_missing_rapidocr_is_an_error_with_the_install_hint(monkeypatch):
    real_import = builtins.__import__

    def no_rapidocr(name, *args, **kwargs):
        if name == "rapidocr":
            raise ImportError("No module named 'rapidocr'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_rapidocr)
    with pytest.raises(OcrError, match=r"docready\[rapidocr\]"):
        RapidOcrReader()


def test_the_second_reader_is_off_and_says_so_once_when_not_installed(monkeypatch, caplog):
    def missing(settings):
        raise OcrError("RapidOCR is not installed")

    monkeypatch.setattr(ocr, "_second_readers", {})
    monkeypatch.setattr("checker.ocr.rapidocr.make_reader", missing)
    settings = OcrSettings(second_engine="rapidocr", timeout_seconds=10, render_dpi=300)
    reader = second_reader(settings)
    assert reader is not None
    with caplog.at_level(logging.WARNING, logger="checker.ocr"):
        for _ in range(2):
            assert _agreed(reader) is None  # the field stays unread; nothing raised
            with pytest.raises(OcrError, match="not installed"):
                reader.read(PAGE, dpi=300, page=1)
    assert [record.getMessage() for record in caplog.records] == [
        "second reader off: RapidOCR is not installed"
    ]


def test_the_second_reader_is_made_at_its_first_read_once_a_process(monkeypatch):
    made = []
    real = rapidocr_module.make_reader
    monkeypatch.setattr(ocr, "_second_readers", {})
    monkeypatch.setattr(rapidocr_module, "make_reader", lambda s: made.append(s) or real(s))
    settings = OcrSettings(second_engine="rapidocr", timeout_seconds=10, render_dpi=300)
    first = second_reader(settings)
    assert first is not None
    assert second_reader(settings) is first
    assert made == []  # a check whose fields read cleanly never loads it
    assert first.name == "rapidocr"
    _line_read(first)
    _line_read(first)
    assert len(made) == 1
    assert first.version == metadata.version("rapidocr")
    assert second_reader(settings.model_copy(update={"second_engine": None})) is None


def _line_read(reader):
    image = _line("2026年3月9日")
    box = (0, 0, image.width, image.height)
    [reading] = ocr.read_regions(reader, image, [box], dpi=300, page=1, options=ocr.RegionOptions())
    assert reading.words[0].text == "2026年3月9日"


def _issue_date(policy):
    checked = check_file(
        GLARE_CERTIFICATE, policy=policy, reader=get_reader(policy.ocr), as_of=AS_OF
    )
    return checked.report.fields["issue_date"], checked.report.findings


@pytest.mark.ocr
def test_the_date_under_the_seal_is_read_by_the_second_reader():
    """The seal's ring crosses "11月" on this photo: tesseract reads "1月" or nothing."""
    field, findings = _issue_date(default_policy())
    assert field.value == "2026-11-11"
    assert field.method == "second_reader"
    assert "issue_date" not in {f.field for f in findings}


@pytest.mark.ocr
def test_without_the_second_reader_the_date_stays_unread_not_wrong():
    policy = default_policy()
    policy = policy.model_copy(
        update={"ocr": policy.ocr.model_copy(update={"second_engine": None})}
    )
    field, findings = _issue_date(policy)
    assert field.value is None
    assert "field_unreadable" in {f.code.value for f in findings if f.field == "issue_date"}


def test_second_regions_are_two_crops_of_the_value():
    line = Line(1, (Word("日期：2026年11月11日", (100, 200, 500, 240), 0.5),))
    row = Row("issue_date", line, 200, line.words, 1.0)
    page = type("P", (), {"width": 1000, "height": 1000})()
    first, second = second_regions(row, page)
    assert first != second
    assert first[1:] == second[1:]
