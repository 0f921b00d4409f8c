"""Finding a photographed sheet's corners and flattening it to an upright page."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from checker.document import Page
from checker.reading.flatten import EDGE_INSET, MAX_DPI, MIN_DPI, find_sheet, flatten
from fixtures.degrade import homography, warp

APPLICATIONS = Path(__file__).parents[2] / "fixtures" / "applications"
DESK = (120, 92, 70)
PAGE_SIZE = (840, 1188)  # A4 proportions
RULES = range(150, 1100, 60)  # y of the ruled lines drawn across the page


def _truth(path: Path) -> dict:
    return json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))


def _photos(kind: str) -> list:
    """Committed photos (format "photo") of sheets, or of everything else."""
    found = []
    for path in sorted(APPLICATIONS.glob("*/*.jpg")):
        truth = _truth(path)
        sheet = truth["kind"] in ("bank_statement", "income_certificate", "employment_certificate")
        if truth["format"] == "photo" and sheet == (kind == "sheet"):
            found.append(pytest.param(path, id=f"{path.parent.name}/{path.name}"))
    return found


@pytest.mark.parametrize("path", _photos("sheet"))
def test_sheet_corners_found_on_the_fixture_photos(path):
    sheet = find_sheet(Image.open(path))
    assert sheet is not None
    quad = _truth(path)["pages"][0]["document_quad"]
    # the corners are moved in by EDGE_INSET of their distance to the centre (a few pixels)
    centre = np.mean(quad, axis=0)
    inset = [tuple(np.array(q) + (centre - np.array(q)) * EDGE_INSET) for q in quad]
    assert max(math.dist(a, b) for a, b in zip(sheet.corners, inset, strict=True)) < 4


@pytest.mark.parametrize("path", _photos("other"))
def test_cards_are_not_flattened(path):
    """ID cards (landscape, card-shaped) keep the photo as taken."""
    assert find_sheet(Image.open(path)) is None


@pytest.mark.parametrize(
    "path",
    [
        APPLICATIONS / "clean_photocopy_rotated" / "income_certificate.jpg",
        APPLICATIONS / "clean_photocopy_rotated" / "id_front.jpg",
        APPLICATIONS / "quality_low_resolution_id" / "id_front.jpg",
    ],
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_scans_are_not_flattened(path):
    """A scan is the paper edge to edge: no background, nothing to flatten."""
    assert find_sheet(Image.open(path)) is None


def _ruled_page() -> Image.Image:
    page = Image.new("RGB", PAGE_SIZE, (250, 250, 248))
    draw = ImageDraw.Draw(page)
    for y in RULES:
        draw.rectangle((80, y, PAGE_SIZE[0] - 80, y + 3), fill=(20, 20, 20))
    return page


def _photo(quad, frame=(1200, 1600)) -> Image.Image:
    """The ruled page drawn into `quad` (clockwise from top left) on a desk."""
    width, height = PAGE_SIZE
    matrix = homography([(0, 0), (width, 0), (width, height), (0, height)], quad)
    page = warp(_ruled_page(), matrix, frame, (0, 0, 0))
    mask = Image.new("L", frame, 0)
    ImageDraw.Draw(mask).polygon(quad, fill=255)
    return Image.composite(page, Image.new("RGB", frame, DESK), mask)


TILTED = [(230, 160), (1010, 215), (975, 1310), (175, 1260)]  # about 4° and some perspective


def _page(image: Image.Image) -> Page:
    return Page(number=1, width=image.width, height=image.height, dpi=200, image=image)


def _rule_centres(grey: np.ndarray) -> list[float]:
    """The middle row of each dark band running across a strip."""
    dark = np.nonzero(grey.mean(axis=1) < 170)[0]
    bands = np.split(dark, np.nonzero(np.diff(dark) > 1)[0] + 1)
    return [float(band.mean()) for band in bands if len(band)]


def test_flattened_rules_run_level():
    flat = flatten(_page(_photo(TILTED)))
    assert flat is not None
    grey = np.asarray(flat.page.image.convert("L"), dtype=np.float32)
    left = _rule_centres(grey[:, grey.shape[1] // 8 : grey.shape[1] // 4])
    right = _rule_centres(grey[:, -grey.shape[1] // 4 : -grey.shape[1] // 8])
    assert len(left) == len(right) == len(RULES)
    # on the photo each rule climbs about 50 px from left to right; flattened, under 1.5 px
    assert max(abs(a - b) for a, b in zip(left, right, strict=True)) < 1.5


def test_flattened_page_keeps_a_readable_resolution():
    flat = flatten(_page(_photo(TILTED)))
    assert flat is not None
    assert MIN_DPI <= flat.page.dpi <= MAX_DPI
    assert flat.page.width == flat.page.image.width and flat.page.number == 1
    assert 1.35 < flat.page.height / flat.page.width < 1.48  # A4 proportions kept


def test_a_box_maps_back_onto_the_photo():
    flat = flatten(_page(_photo(TILTED)))
    assert flat is not None
    width, height = flat.page.width, flat.page.height
    left, top, right, bottom = flat.box_on_photo((0, 0, width // 10, height // 10))
    # the top-left tenth of the sheet lies at the photo's top-left corner of the quad
    assert abs(left - TILTED[3][0]) < 80 and abs(top - TILTED[0][1]) < 30
    assert right < (TILTED[0][0] + TILTED[1][0]) / 2 and bottom < 350


@pytest.mark.parametrize(
    "quad",
    [
        [(-40, 160), (780, 215), (755, 1420), (-60, 1370)],  # runs off the left edge
        [(230, -30), (1010, 10), (985, 1220), (170, 1170)],  # runs off the top
    ],
    ids=["off-left", "off-top"],
)
def test_a_sheet_running_off_the_frame_is_left_as_it_is(quad):
    assert find_sheet(_photo(quad)) is None


def test_a_frame_without_a_sheet_is_left_as_it_is():
    assert find_sheet(Image.new("RGB", (1200, 1600), DESK)) is None
    assert flatten(_page(Image.new("RGB", (1200, 1600), (250, 250, 250)))) is None


def test_a_landscape_card_is_not_a_sheet():
    card = [(200, 300), (1000, 320), (990, 820), (210, 800)]
    assert find_sheet(_photo(card)) is None
