"""OCR readers and the reading cache: real tesseract on images drawn here with Noto CJK."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytesseract
import pytest
from PIL import Image, ImageDraw, ImageFont

from checker.document import Reading, Word
from checker.ocr import OcrError, OcrTimeoutError, get_reader, tesseract
from checker.ocr.cache import CachedReader, default_cache_dir
from checker.ocr.tesseract import TesseractReader, parse_tsv
from checker.policy import OcrSettings

FONT_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
ID_NUMBER = "110105199003071234"
LANGUAGES = "chi_sim+eng"


def draw(size: tuple[int, int], lines: list[tuple[tuple[int, int], str, int]]) -> Image.Image:
    """A white RGB image with each (position, text, font size) drawn in black."""
    image = Image.new("RGB", size, "white")
    canvas = ImageDraw.Draw(image)
    for position, text, font_size in lines:
        canvas.text(position, text, font=ImageFont.truetype(FONT_PATH, font_size), fill="black")
    return image


def drawn_box(position: tuple[int, int], text: str, font_size: int) -> tuple[int, int, int, int]:
    """Where `draw` puts the ink of `text`."""
    canvas = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    left, top, right, bottom = canvas.textbbox(
        position, text, font=ImageFont.truetype(FONT_PATH, font_size)
    )
    return int(left), int(top), int(right), int(bottom)


ID_LABEL = "公民身份号码  "
ID_LINE_AT = (60, 520)


def id_number_box() -> tuple[int, int, int, int]:
    """Where the ID number's ink is on the ID card below (it follows its label)."""
    font = ImageFont.truetype(FONT_PATH, 40)
    left = ID_LINE_AT[0] + round(font.getlength(ID_LABEL))
    return drawn_box((left, ID_LINE_AT[1]), ID_NUMBER, 40)


@pytest.fixture(name="id_card", scope="module")
def fixture_id_card() -> Image.Image:
    """An ID-card-sized image with a name line and the labelled ID number line."""
    return draw((1012, 638), [((60, 60), "姓名  张伟", 34), (ID_LINE_AT, ID_LABEL + ID_NUMBER, 40)])


@pytest.fixture(name="small_image", scope="module")
def fixture_small_image() -> Image.Image:
    return draw((400, 120), [((20, 30), "2024 年", 40)])


@pytest.fixture(name="busy_page", scope="module")
def fixture_busy_page() -> Image.Image:
    """A page of 40 lines: recognising it takes far longer than the 1 ms deadline of the
    timeout tests (the 400×120 image could be read within 1 ms, so those tests raced)."""
    lines = [
        ((40, 40 + 60 * row), f"第{row}行 2024 年 3 月 12 日 收入 12,345.67 元", 40)
        for row in range(40)
    ]
    return draw((1400, 2500), lines)


@pytest.fixture(name="reader", scope="module")
def fixture_reader() -> TesseractReader:
    return TesseractReader(languages=LANGUAGES, timeout_seconds=60)


@pytest.fixture(name="id_card_reading", scope="module")
def fixture_id_card_reading(reader: TesseractReader, id_card: Image.Image) -> Reading:
    return reader.read(id_card, dpi=300, page=2)


@pytest.fixture(name="tesseract_calls")
def fixture_tesseract_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Records each image the loaded tesseract engine is asked to read, and how."""
    calls: list[dict] = []
    real = tesseract.recognise

    def spy(engine, image, **kwargs):
        calls.append(
            {
                **kwargs,
                "engine": engine,
                "lang": engine.GetInitLanguagesAsString(),
                "mode": image.mode,
                "pixels": sorted({value for _, value in image.getcolors() or []}),
            }
        )
        return real(engine, image, **kwargs)

    monkeypatch.setattr(tesseract, "recognise", spy)
    return calls


@pytest.fixture(name="private_tempdir")
def fixture_private_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty dir that tempfile (ours and pytesseract's) uses for the test."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


# --- the tesseract reader -------------------------------------------------------------------


@pytest.mark.ocr
def test_id_number_digits_come_back_exactly(id_card_reading: Reading) -> None:
    assert ID_NUMBER in [word.text for word in id_card_reading.words]


@pytest.mark.ocr
def test_chinese_label_is_read(id_card_reading: Reading) -> None:
    assert "公民身份号码" in id_card_reading.text.replace(" ", "")


@pytest.mark.ocr
def test_word_box_is_where_the_text_was_drawn(id_card_reading: Reading) -> None:
    word = next(word for word in id_card_reading.words if word.text == ID_NUMBER)
    expected = id_number_box()
    assert all(abs(got - want) <= 8 for got, want in zip(word.box, expected, strict=True)), (
        word.box,
        expected,
    )


@pytest.mark.ocr
def test_confidences_are_between_0_and_1(id_card_reading: Reading) -> None:
    confidences = [word.confidence for word in id_card_reading.words]
    assert confidences and all(0 < confidence <= 1 for confidence in confidences)


@pytest.mark.ocr
def test_words_on_one_drawn_line_share_a_line_number(id_card_reading: Reading) -> None:
    number_line = next(w.line for w in id_card_reading.words if w.text == ID_NUMBER)
    name_line = next(w.line for w in id_card_reading.words if "姓" in w.text)
    label_lines = {w.line for w in id_card_reading.words if w.text in {"公民", "身份"}}
    assert label_lines == {number_line}
    assert name_line != number_line


@pytest.mark.ocr
def test_reading_names_page_source_and_engine(
    id_card_reading: Reading, reader: TesseractReader
) -> None:
    assert (id_card_reading.page, id_card_reading.source, id_card_reading.cached) == (
        2,
        "ocr",
        False,
    )
    assert id_card_reading.engine == f"tesseract {reader.version}"
    assert reader.version.split(".")[0].isdigit()


@pytest.mark.ocr
@pytest.mark.parametrize("dpi", [150, 300], ids=["150dpi", "300dpi"])
def test_page_dpi_and_languages_are_passed_to_tesseract(
    reader: TesseractReader, small_image: Image.Image, tesseract_calls: list[dict], dpi: int
) -> None:
    reader.read(small_image, dpi=dpi, page=1)
    assert [call["dpi"] for call in tesseract_calls] == [dpi] * len(tesseract_calls)
    assert tesseract_calls[-1]["lang"] == LANGUAGES  # a figure is no Chinese prose
    assert {call["timeout_seconds"] for call in tesseract_calls} == {60}
    assert {call["psm"] for call in tesseract_calls} == {3}


PROSE = "兹证明张伟明为我单位正式员工，工作认真负责。"


@pytest.mark.ocr
def test_chinese_prose_is_read_once_with_chinese_alone(
    reader: TesseractReader, tesseract_calls: list[dict]
) -> None:
    lines = [((40, 40 + 80 * row), PROSE, 40) for row in range(4)]
    image = draw((1000, 460), [*lines, ((40, 360), "特此证明，日期 2026 年", 40)])
    reading = reader.read(image, dpi=300, page=1)
    assert [call["lang"] for call in tesseract_calls] == ["chi_sim"]
    assert "张伟明" in reading.text.replace(" ", "")


@pytest.mark.ocr
def test_a_table_of_figures_is_read_again_with_every_language(
    reader: TesseractReader, tesseract_calls: list[dict]
) -> None:
    lines = [
        ((40, 40 + 60 * row), f"2026-0{row + 1}-12  12,345.6{row}  余额", 40) for row in range(5)
    ]
    reading = reader.read(draw((1000, 360), lines), dpi=300, page=1)
    assert [call["lang"] for call in tesseract_calls] == ["chi_sim", LANGUAGES]
    assert "12,345.61" in reading.text


@pytest.mark.ocr
def test_a_long_table_is_read_once_with_every_language(
    reader: TesseractReader, tesseract_calls: list[dict]
) -> None:
    lines = [
        ((40, 30 + 50 * row), f"2026-03-{row + 1:02d}  1,234.{row:02d}  转账", 30)
        for row in range(30)
    ]
    image = draw((900, 1560), lines)
    assert tesseract.printed_lines(image.convert("L")) >= tesseract.TABLE_LINES
    reader.read(image, dpi=300, page=1)
    assert [call["lang"] for call in tesseract_calls] == [LANGUAGES]


def test_printed_lines_are_counted() -> None:
    """On an A4 page at 300 DPI, seven lines of 12-point print."""
    lines = [((200, 300 + 120 * row), "兹证明张伟明为我单位员工 2026 年", 50) for row in range(7)]
    assert tesseract.printed_lines(draw((2480, 3508), lines).convert("L")) == 7


def _words(*texts: str, right: int = 900) -> list[Word]:
    """The texts as words side by side, the last one ending at `right`."""
    step = right // max(1, len(texts))
    return [Word(text, (i * step, 0, (i + 1) * step, 40), 0.9) for i, text in enumerate(texts)]


LETTER = "兹证明张伟明为我单位正式员工其在职及收入情况如下" * 2  # 48 characters


@pytest.mark.parametrize(
    ("words", "prose"),
    [
        (_words(LETTER, "月收入", "12,000.00"), True),
        (_words(LETTER, "月收入", "12,000.00", right=400), False),  # a card on a sheet
        (_words("姓名", "张伟", "公民身份号码", "1101051990"), False),  # a card's few characters
        (_words(LETTER, "2026-01-12", "12,345.61", "2026-01-13", "300.00", "4,000.00"), False),
        (_words("Employee", "Name", "Salary", "Statement", LETTER[:20]), False),  # English
        ([], False),  # nothing read
    ],
    ids=["certificate", "narrow", "few", "figures", "english", "empty"],
)
def test_what_counts_as_chinese_prose(words: list[Word], prose: bool) -> None:
    assert tesseract.is_chinese_prose(words, width=1000) is prose


@pytest.mark.ocr
def test_tesseract_gets_a_greyscale_image(
    reader: TesseractReader, small_image: Image.Image, tesseract_calls: list[dict]
) -> None:
    reader.read(small_image, dpi=200, page=1)
    assert [call["mode"] for call in tesseract_calls] == ["L"] * len(tesseract_calls)


@pytest.mark.ocr
def test_a_grey_image_goes_in_as_its_bytes_and_reads_as_through_setimage(
    busy_page: Image.Image,
) -> None:
    """`recognise` hands a grey image's bytes to the engine (no BMP copy inside tesserocr):
    the same TSV as tesserocr's own SetImage, at an odd width too."""
    engine = tesseract._engines.get(
        tesseract.tessdata_path(pytesseract.pytesseract.tesseract_cmd), LANGUAGES
    )
    grey = busy_page.convert("L").crop((0, 0, 1399, 400))

    def through_setimage() -> str:
        engine.SetPageSegMode(3)
        engine.SetVariable("tessedit_char_whitelist", "")
        engine.SetImage(grey)
        engine.SetSourceResolution(300)
        try:
            engine.Recognize()
            return str(engine.GetTSVText(0))
        finally:
            engine.Clear()

    expected = through_setimage()
    read = tesseract.recognise(
        engine, grey, psm=3, whitelist="", dpi=300, timeout_seconds=60, page=1
    )
    assert "12,345.67" in read
    assert read == expected


@pytest.mark.ocr
def test_transparent_areas_become_white_paper(
    reader: TesseractReader, tesseract_calls: list[dict]
) -> None:
    reader.read(Image.new("RGBA", (200, 100), (0, 0, 0, 0)), dpi=300, page=1)
    assert [call["pixels"] for call in tesseract_calls] == [[255]] * len(tesseract_calls)


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("preset", "expected"), [(None, "1"), ("2", "2")], ids=["unset", "caller_value_kept"]
)
def test_tesseract_threads_are_limited_unless_the_caller_chose(
    reader: TesseractReader,
    small_image: Image.Image,
    monkeypatch: pytest.MonkeyPatch,
    preset: str | None,
    expected: str,
) -> None:
    if preset is None:
        monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    else:
        monkeypatch.setenv("OMP_THREAD_LIMIT", preset)
    reader.read(small_image, dpi=300, page=1)
    assert os.environ["OMP_THREAD_LIMIT"] == expected


@pytest.mark.ocr
def test_a_tiny_timeout_raises_ocr_timeout(busy_page: Image.Image) -> None:
    reader = TesseractReader(languages=LANGUAGES, timeout_seconds=0.001)
    with pytest.raises(OcrTimeoutError):
        reader.read(busy_page, dpi=300, page=1)


@pytest.mark.ocr
def test_a_tesseract_failure_raises_ocr_error(small_image: Image.Image) -> None:
    reader = TesseractReader(languages=LANGUAGES, timeout_seconds=60)
    reader.languages = "no_such_language"  # passes the install check, fails in tesseract
    with pytest.raises(OcrError, match="tesseract failed") as raised:
        reader.read(small_image, dpi=300, page=1)
    assert not isinstance(raised.value, OcrTimeoutError)


def test_missing_tesseract_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(OcrError, match="apt-get install tesseract-ocr"):
        TesseractReader(languages=LANGUAGES, timeout_seconds=60)


def test_missing_language_data_names_the_package() -> None:
    with pytest.raises(OcrError, match="apt-get install tesseract-ocr-xx-yy"):
        TesseractReader(languages="chi_sim+xx_yy", timeout_seconds=60)


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("languages", "timeout", "error"),
    [
        (LANGUAGES, 60, None),
        (LANGUAGES, 0.001, OcrTimeoutError),
        ("no_such_language", 60, OcrError),
    ],
    ids=["read", "timeout", "tesseract_error"],
)
def test_no_temp_files_are_left_behind(
    busy_page: Image.Image,
    private_tempdir: Path,
    languages: str,
    timeout: float,
    error: type[Exception] | None,
) -> None:
    reader = TesseractReader(languages=LANGUAGES, timeout_seconds=timeout)
    reader.languages = languages
    if error is None:
        reader.read(busy_page, dpi=300, page=1)
    else:
        with pytest.raises(error):
            reader.read(busy_page, dpi=300, page=1)
    assert list(private_tempdir.iterdir()) == []


def test_parse_tsv_keeps_words_with_fractional_confidence() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\t"
    header += "left\ttop\twidth\theight\tconf\ttext"
    tsv = "\n".join(
        [
            header,
            "1\t1\t0\t0\t0\t0\t0\t0\t800\t600\t-1\t",
            "4\t1\t1\t1\t1\t0\t10\t20\t300\t40\t-1\t",
            "5\t1\t1\t1\t1\t1\t10\t20\t100\t40\t96.5\t姓名",
            "5\t1\t1\t1\t1\t2\t120\t20\t10\t40\t95.0\t ",
            "5\t1\t2\t1\t3\t1\t200\t20\t110\t40\t-1\tstray",
        ]
    )
    assert parse_tsv(tsv) == [Word("姓名", (10, 20, 110, 60), 0.965, (1, 1, 1))]


# --- the cache ----------------------------------------------------------------------------


@dataclass
class CountingReader:
    """A fast stand-in reader that counts its calls; `fail_with` makes the next call raise."""

    name: str = "stub"
    version: str = "1.0"
    languages: str = LANGUAGES
    options: str = ""
    calls: list[tuple[int, int]] = field(default_factory=list)
    fail_with: Exception | None = None

    def read(self, image: Image.Image, *, dpi: int, page: int) -> Reading:
        self.calls.append((dpi, page))
        if self.fail_with is not None:
            error, self.fail_with = self.fail_with, None
            raise error
        word = Word(text=ID_NUMBER, box=(1, 2, 3, 4), confidence=0.9, line=(1, 1, 1))
        return Reading(page=page, words=[word], source="ocr", engine="stub 1.0", seconds=1.5)


@pytest.fixture(name="inner")
def fixture_inner() -> CountingReader:
    return CountingReader()


@pytest.fixture(name="cache_dir")
def fixture_cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "ocr"


@pytest.fixture(name="cached")
def fixture_cached(inner: CountingReader, cache_dir: Path) -> CachedReader:
    return CachedReader(inner, cache_dir)


@pytest.fixture(name="page_image")
def fixture_page_image() -> Image.Image:
    return draw((300, 100), [((10, 10), "张伟", 40)])


def test_second_read_of_the_same_image_comes_from_the_cache(
    cached: CachedReader, inner: CountingReader, page_image: Image.Image
) -> None:
    first = cached.read(page_image, dpi=300, page=1)
    second = cached.read(page_image.copy(), dpi=300, page=1)
    assert len(inner.calls) == 1
    assert (first.cached, second.cached) == (False, True)
    assert second.words == first.words
    assert second.engine == first.engine


def test_a_cache_hit_takes_the_page_number_of_the_call(
    cached: CachedReader, page_image: Image.Image
) -> None:
    cached.read(page_image, dpi=300, page=1)
    assert cached.read(page_image, dpi=300, page=4).page == 4


@pytest.mark.parametrize(
    "change",
    ["dpi", "languages", "version", "engine", "options", "pixel", "mode"],
)
def test_anything_that_changes_the_result_misses_the_cache(
    cache_dir: Path, page_image: Image.Image, change: str
) -> None:
    first = CountingReader()
    CachedReader(first, cache_dir).read(page_image, dpi=300, page=1)
    second = CountingReader()
    image, dpi = page_image.copy(), 300
    if change == "dpi":
        dpi = 200
    elif change == "pixel":
        image.putpixel((0, 0), (0, 0, 0))
    elif change == "mode":
        image = image.convert("L")
    else:
        setattr(second, {"engine": "name"}.get(change, change), "other")
    reading = CachedReader(second, cache_dir).read(image, dpi=dpi, page=1)
    assert (len(second.calls), reading.cached) == (1, False)


def test_a_palette_change_misses_the_cache(cache_dir: Path, page_image: Image.Image) -> None:
    image = page_image.convert("P")
    CachedReader(CountingReader(), cache_dir).read(image, dpi=300, page=1)
    recoloured = image.copy()
    recoloured.putpalette([255 - value for value in image.getpalette() or []])
    second = CountingReader()
    CachedReader(second, cache_dir).read(recoloured, dpi=300, page=1)
    assert len(second.calls) == 1


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\xff garbage", b'{"page": 1, "words": [', b'{"page": "one"}', b"[]"],
    ids=["empty", "binary", "truncated", "wrong_shape", "wrong_type"],
)
def test_a_corrupt_cache_file_is_read_again_and_rewritten(
    cached: CachedReader,
    inner: CountingReader,
    cache_dir: Path,
    page_image: Image.Image,
    content: bytes,
) -> None:
    cached.read(page_image, dpi=300, page=1)
    [entry] = cache_dir.glob("*.json")
    entry.write_bytes(content)
    again = cached.read(page_image, dpi=300, page=1)
    third = cached.read(page_image, dpi=300, page=1)
    assert (len(inner.calls), again.cached, third.cached) == (2, False, True)
    assert json.loads(entry.read_bytes())["words"][0]["text"] == ID_NUMBER


def test_the_cache_dir_is_private_and_holds_only_finished_files(
    cached: CachedReader, cache_dir: Path, page_image: Image.Image
) -> None:
    cached.read(page_image, dpi=300, page=1)
    cached.read(page_image, dpi=150, page=1)
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    entries = sorted(cache_dir.iterdir())
    assert [entry.suffix for entry in entries] == [".json", ".json"]
    assert all(not entry.name.startswith(".tmp-") for entry in entries)
    assert all(stat.S_IMODE(entry.stat().st_mode) == 0o600 for entry in entries)


def test_a_cache_that_cannot_be_written_still_returns_the_reading(
    inner: CountingReader, tmp_path: Path, page_image: Image.Image
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    reading = CachedReader(inner, blocker).read(page_image, dpi=300, page=1)
    assert reading.words and not reading.cached


@pytest.mark.parametrize(
    "error", [OcrTimeoutError("slow"), OcrError("broken")], ids=["timeout", "failure"]
)
def test_failures_are_not_cached(
    cached: CachedReader, inner: CountingReader, page_image: Image.Image, error: OcrError
) -> None:
    inner.fail_with = error
    with pytest.raises(type(error)):
        cached.read(page_image, dpi=300, page=1)
    assert cached.read(page_image, dpi=300, page=1).cached is False
    assert len(inner.calls) == 2


def test_the_cache_dir_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DOCREADY_CACHE_DIR", str(tmp_path / "here"))
    assert default_cache_dir() == tmp_path / "here"


def test_the_default_cache_dir_is_under_the_users_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCREADY_CACHE_DIR", raising=False)
    assert default_cache_dir() == Path.home() / ".cache" / "docready" / "ocr"


# --- choosing a reader --------------------------------------------------------------------


@pytest.mark.ocr
def test_get_reader_returns_a_cached_tesseract_reader(tmp_path: Path, id_card: Image.Image) -> None:
    settings = OcrSettings(languages=LANGUAGES, timeout_seconds=30, render_dpi=300)
    reader = get_reader(settings, cache_dir=tmp_path)
    first = reader.read(id_card, dpi=300, page=1)
    second = reader.read(id_card, dpi=300, page=1)
    assert (reader.name, reader.languages) == ("tesseract", LANGUAGES)
    assert (first.cached, second.cached) == (False, True)
    assert second.words == first.words
    assert ID_NUMBER in [word.text for word in second.words]


def test_policy_rejects_an_unknown_engine() -> None:
    with pytest.raises(ValueError, match="tesseract"):
        OcrSettings(engine="no_such_engine", timeout_seconds=30, render_dpi=300)


def test_get_reader_rejects_an_unknown_engine(tmp_path: Path) -> None:
    settings = OcrSettings.model_construct(
        engine="no_such_engine", languages="eng", timeout_seconds=30, render_dpi=300
    )
    with pytest.raises(OcrError, match="unknown OCR engine 'no_such_engine'"):
        get_reader(settings, cache_dir=tmp_path)


# --- reading regions -----------------------------------------------------------------------

from checker.ocr import RegionOptions, read_regions  # noqa: E402

NAME_BOX = (50, 50, 400, 110)


@pytest.mark.ocr
def test_regions_are_read_on_the_loaded_engine_with_page_boxes(
    reader: TesseractReader, id_card: Image.Image, tesseract_calls: list[dict]
) -> None:
    number_box = id_number_box()
    strip = (number_box[0] - 20, number_box[1] - 10, number_box[2] + 20, number_box[3] + 10)
    name, number = reader.read_regions(
        id_card, [NAME_BOX, strip], dpi=300, page=3, options=RegionOptions(languages="chi_sim")
    )
    assert [(call["psm"], call["lang"]) for call in tesseract_calls] == [(7, "chi_sim")] * 2
    assert "".join(word.text for word in name.words) == "姓名张伟"
    assert "".join(word.text for word in number.words) == ID_NUMBER
    [word] = number.words
    assert all(abs(got - want) <= 8 for got, want in zip(word.box, number_box, strict=True))
    assert (name.page, number.page) == (3, 3)


@pytest.mark.ocr
def test_a_whitelist_goes_to_tesseract_for_that_read_only(
    reader: TesseractReader, id_card: Image.Image, tesseract_calls: list[dict]
) -> None:
    digits = RegionOptions(languages="eng", whitelist="0123456789X")
    [number] = reader.read_regions(id_card, [id_number_box()], dpi=300, page=1, options=digits)
    [name] = reader.read_regions(
        id_card, [NAME_BOX], dpi=300, page=1, options=RegionOptions(languages="eng")
    )
    assert [call["whitelist"] for call in tesseract_calls] == ["0123456789X", ""]
    assert "".join(word.text for word in number.words) == ID_NUMBER
    assert any(char.isalpha() for word in name.words for char in word.text)


@pytest.mark.ocr
def test_the_engine_is_loaded_once_per_language_set(
    reader: TesseractReader, id_card: Image.Image, tesseract_calls: list[dict]
) -> None:
    reader.read(id_card, dpi=300, page=1)
    reader.read(id_card, dpi=300, page=1)
    reader.read_regions(id_card, [NAME_BOX], dpi=300, page=1, options=RegionOptions())
    engines: dict[str, set[int]] = {}
    for call in tesseract_calls:
        engines.setdefault(call["lang"], set()).add(id(call["engine"]))
    assert engines == {lang: {engine} for lang, (engine,) in engines.items()}
    assert LANGUAGES in engines  # the region read, with the reader's own languages


def test_a_reader_without_regions_reads_each_crop(page_image: Image.Image) -> None:
    inner = CountingReader()
    readings = read_regions(
        inner,
        page_image,
        [(10, 20, 110, 60), (0, 0, 50, 50)],
        dpi=300,
        page=2,
        options=RegionOptions(),
    )
    assert len(inner.calls) == 2
    assert readings[0].words[0].box == (11, 22, 13, 24)  # the stub's (1, 2, 3, 4), shifted


def test_region_reads_are_cached_by_boxes_and_options(
    cache_dir: Path, page_image: Image.Image
) -> None:
    inner = CountingReader()
    cached = CachedReader(inner, cache_dir)
    box = [(0, 0, 100, 50)]
    first = cached.read_regions(page_image, box, dpi=300, page=1, options=RegionOptions())
    again = cached.read_regions(page_image, box, dpi=300, page=1, options=RegionOptions())
    other_options = RegionOptions(whitelist="0123456789")
    cached.read_regions(page_image, box, dpi=300, page=1, options=other_options)
    cached.read_regions(page_image, [(0, 0, 90, 50)], dpi=300, page=1, options=RegionOptions())
    assert len(inner.calls) == 3
    assert (first[0].cached, again[0].cached) == (False, True)
    assert again[0].words == first[0].words
