"""Which engine reads an image first: a wide, one-image file may be a card, and the card
reader (RapidOCR) reads it first; when it finds an ID card surely, tesseract does not read
the page at all. Anything else the card reader does not settle is read by tesseract as well.

Real RapidOCR and tesseract on committed images; the page reader is wrapped to count its
whole-page reads.
"""

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from PIL import Image

from checker.check import check_parts
from checker.ocr import ReaderWrapper, get_reader
from checker.policy import default_policy
from fixtures.application import build_case
from fixtures.cases import random_case

pytestmark = pytest.mark.ocr
APPLICATIONS = Path(__file__).parents[2] / "fixtures" / "applications"
AS_OF = dt.date(2026, 11, 15)


class CountingReader(ReaderWrapper):
    """The page reader, counting its whole-page reads."""

    def __init__(self, inner):
        super().__init__(inner)
        self.page_reads = 0

    def read(self, image, *, dpi, page):
        self.page_reads += 1
        return self.inner.read(image, dpi=dpi, page=page)


def _check(path):
    policy = default_policy()
    reader = CountingReader(get_reader(policy.ocr, cache=False))
    [part] = check_parts(path, policy=policy, reader=reader, as_of=AS_OF)
    return part.report, reader.page_reads


def _truth(path):
    """The file's kind and its fields' printed values, from the truth written beside it."""
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text("utf-8"))
    return truth["kind"], {name: field["value"] for name, field in truth["fields"].items()}


@pytest.mark.parametrize(
    "path",
    [
        APPLICATIONS / "clean_id_certificate_pdf" / "id_front.jpg",  # a card crop
        APPLICATIONS / "clean_photos_only" / "id_front.jpg",  # a card on a desk, 4:3
        APPLICATIONS / "clean_id_certificate_pdf" / "id_back.jpg",
    ],
    ids=["crop", "photo", "back"],
)
def test_an_id_card_image_is_read_by_the_card_reader_alone(path):
    report, tesseract_page_reads = _check(path)
    kind, truth = _truth(path)
    assert report.kind == kind
    assert tesseract_page_reads == 0
    for name, field in report.fields.items():
        if name in truth and name != "long_term":
            shown = field.value.isoformat() if isinstance(field.value, dt.date) else field.value
            assert shown == truth[name], name
    assert report.findings == []


def test_a_wide_image_of_another_kind_is_read_by_tesseract_too():
    report, tesseract_page_reads = _check(
        APPLICATIONS / "clean_passport_payslips_scan" / "passport.jpg"
    )
    assert report.kind == "passport"
    assert tesseract_page_reads == 1


@pytest.fixture(name="card_on_its_side", scope="module")
def fixture_card_on_its_side(tmp_path_factory):
    """The ID card front of the batch bench's 50th generated application (seed 1): a card on
    a desk photographed on its side in a 3:4 frame, where tesseract's orientation detection
    finds too few letters to turn it."""
    rng = random.Random("1:random")  # as fixtures.generate and bench.batch draw the cases
    cases = [random_case(rng, index) for index in range(1, 51)]
    folder = build_case(cases[-1], 1, tmp_path_factory.mktemp("turned"))
    return folder / "id_front.jpg"


def test_a_card_on_its_side_in_a_portrait_photo_is_turned_and_read_by_the_card_reader(
    card_on_its_side,
):
    with Image.open(card_on_its_side) as photo:
        assert photo.height > photo.width  # the premise: a portrait frame
    report, _ = _check(card_on_its_side)
    kind, truth = _truth(card_on_its_side)
    assert report.kind == kind
    assert report.fields["name"].value == truth["name"]
    assert report.fields["id_number"].value == truth["id_number"]


@pytest.mark.parametrize(
    "path",
    [
        APPLICATIONS / "clean_id_certificate_pdf" / "id_front.jpg",
        APPLICATIONS / "clean_photos_only" / "id_back.jpg",
    ],
    ids=["crop", "photo"],
)
def test_an_upside_down_card_is_turned_and_read_by_the_card_reader_alone(path, tmp_path):
    """Its lines read unsurely the right way up: the card reader reads it turned 180°, and
    tesseract does not read it at all (before, tesseract read it and its orientation was
    found by the slower paths, 6.2 s and 539 MB for the batch set's random_00089)."""
    turned = tmp_path / path.name
    with Image.open(path) as image:
        image.rotate(180).save(turned, quality=95)
    turned.with_name(turned.name + ".truth.json").write_bytes(
        path.with_name(path.name + ".truth.json").read_bytes()
    )
    report, tesseract_page_reads = _check(turned)
    kind, truth = _truth(turned)
    assert (report.kind, tesseract_page_reads) == (kind, 0)
    for name in ("name", "id_number", "issuing_authority"):
        if name in truth:
            assert report.fields[name].value == truth[name], name
