"""A worker ends tesseract's region engines before a card is read
(`checker.ocr.make_room_for_card`), and gives their memory back."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from checker import memory
from checker.ocr import RegionOptions, make_room_for_card, tesseract
from checker.policy import OcrSettings, default_policy


@pytest.fixture
def settings() -> OcrSettings:
    return default_policy().ocr


@pytest.fixture
def in_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process taken for one that gives large blocks back, as a worker does."""
    monkeypatch.setattr(memory, "large_blocks_given_back", lambda: True)


def _line() -> Image.Image:
    line = Image.new("L", (360, 60), 255)
    ImageDraw.Draw(line).text((10, 20), "AB 1234", fill=0)
    return line


def _read(reader: tesseract.TesseractReader, languages: str) -> list[str]:
    options = RegionOptions(psm=7, languages=languages)
    [reading] = reader.read_regions(_line(), [(0, 0, 360, 60)], dpi=300, page=1, options=options)
    return [word.text for word in reading.words]


def _loaded_languages() -> set[str]:
    return {languages for (_, _, languages) in tesseract._engines.loaded}


@pytest.mark.usefixtures("in_a_worker")
def test_before_a_card_only_the_page_readers_engine_stays(settings: OcrSettings) -> None:
    reader = tesseract.TesseractReader(languages=settings.languages, timeout_seconds=30)
    before = {languages: _read(reader, languages) for languages in ("eng", "chi_sim")}
    reader.read(_line(), dpi=300, page=1)
    assert {"eng", "chi_sim", settings.languages} <= _loaded_languages()
    make_room_for_card(settings)
    assert _loaded_languages() == {settings.languages}
    assert {languages: _read(reader, languages) for languages in before} == before  # loaded again


def test_outside_a_worker_nothing_is_let_go(
    settings: OcrSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memory, "large_blocks_given_back", lambda: False)
    reader = tesseract.TesseractReader(languages=settings.languages, timeout_seconds=30)
    _read(reader, "eng")
    make_room_for_card(settings)
    assert "eng" in _loaded_languages()
