"""Which lines as read may be part of a machine-readable zone (`mrz_find.mrz_like`): the test
that sends a page to the second reader's page read, a costly one (two RapidOCR page reads);
and a page the card reader read already is not read again for the zone."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from checker.check import check_file
from checker.document import Reading
from checker.mrz_find import mrz_like
from checker.ocr import get_reader
from checker.ocr.rapidocr import RapidOcrReader
from checker.policy import default_policy


@pytest.mark.parametrize(
    "line",
    [
        "P<CHNYANGく<JUNJIEくくくくくく<く<<くくくくくくくくく<く<<<<く<",  # chi_sim's fillers
        "P<KORSMITH<JONES<K<ZOE<K<<<<<<sssssssssssssK<s",  # fillers read as letters
        "E219037033CHN9306303M3004250<<<<<<<<<<<<<<<0",
        "P<BRADUPONT<<HIROSHI<<<<<<<<<<<<“<<“<<“<“<<<<<",  # a few stray quotes
        "B>>>>>>>>>>>>>>>LO0LLOOZSIALILLOOSVIT6d4d54LAAVI",  # a zone upside down
    ],
)
def test_a_zone_line_as_read_is_zone_like(line: str) -> None:
    assert mrz_like(line)


@pytest.mark.parametrize(
    "line",
    [
        "2026-07-25 jj 北京 地 铁 4.00 58,347.06",  # a statement photo's row
        "04-07-2026POSPURCHASE197.72Dr21,523.14",
        "2025-11汇缴1,760.001,760.003,520.0056,320.00",  # a housing-fund record's row
        "Basic20,860.00ProvidentFund2,384.00",  # a payslip's
        "Sunrise Infotech Private Limited",  # printed words
        "AccountName:CHANTAIMAN",  # a label and a name in capitals, as read
        "Employee Name: WONG KA YAN",
        "类型/Type国家码/Country Code护照号/Passport No.",  # a passport's labels
    ],
)
def test_a_table_row_or_printed_words_are_not_zone_like(line: str) -> None:
    assert not mrz_like(line)


FIXTURES = Path(__file__).parents[2] / "fixtures" / "applications"
PASSPORT_PHOTO = FIXTURES / "clean_passport_payslips_scan"


@pytest.fixture
def rapidocr_page_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The options of the RapidOCR reader of each page read the test makes (OCR cache off)."""
    monkeypatch.setenv("DOCREADY_OCR_CACHE", "off")
    page_reads: list[str] = []
    read = RapidOcrReader.read

    def counted(self: RapidOcrReader, image: Image.Image, *, dpi: int, page: int) -> Reading:
        page_reads.append(self.options)
        return read(self, image, dpi=dpi, page=page)

    monkeypatch.setattr(RapidOcrReader, "read", counted)
    return page_reads


def _checked(path: Path) -> Any:
    policy = default_policy()
    return check_file(
        path, policy=policy, reader=get_reader(policy.ocr, cache=False), as_of=dt.date(2026, 11, 15)
    )


def test_a_card_shaped_passport_is_read_by_rapidocr_once(rapidocr_page_reads: list[str]) -> None:
    """The card reader's reading of a landscape passport page serves the zone search too (it
    read the page again in its own right before: two RapidOCR page reads of one image)."""
    checked = _checked(PASSPORT_PHOTO / "passport.jpg")
    truth = json.loads((PASSPORT_PHOTO / "passport.jpg.truth.json").read_text(encoding="utf-8"))
    fields = checked.report.fields.reads()
    assert checked.report.kind == "passport"
    assert fields["document_number"].value == truth["fields"]["passport_number"]["value"]
    assert len(rapidocr_page_reads) == 1, rapidocr_page_reads


def test_a_card_shaped_page_is_searched_turned_by_the_card_reader(
    rapidocr_page_reads: list[str],
) -> None:
    """A blurry ID-card photo shows no zone upright, so the zone search reads it turned 180°:
    with the card reader that read it upright (its detector at 960 px), not the page reader
    (1600 px: four times the detector's memory and time)."""
    checked = _checked(FIXTURES / "quality_blurry_id_photo" / "id_front.jpg")
    assert checked.report.kind == "cn_id_front"
    card = RapidOcrReader(card=True).options
    assert rapidocr_page_reads == [card, card]  # upright, then turned
