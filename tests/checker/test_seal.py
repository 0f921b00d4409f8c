"""Seal detection on the committed certificate images, greyscale copies and junk images."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from checker.reading.seal import SealStatus, _components, find_seal, overlaps

APPLICATIONS = Path(__file__).parents[2] / "fixtures" / "applications"
CERTIFICATES = sorted(
    path for path in APPLICATIONS.glob("*/*_certificate.*") if path.suffix in (".png", ".jpg")
)


def _truth(path: Path) -> dict:
    return json.loads(path.with_name(path.name + ".truth.json").read_text("utf-8"))


def _iou(a, b) -> float:
    width = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / area


@pytest.mark.parametrize("path", CERTIFICATES, ids=lambda path: path.parent.name)
def test_seal_found_where_the_truth_has_it(path):
    truth = _truth(path)["fields"]["seal"]
    with Image.open(path) as image:
        seal = find_seal(image.convert("RGB"))
    if truth["value"] == "present":
        assert seal.status is SealStatus.PRESENT
        assert _iou(seal.box, truth["box"]) > 0.8
    else:
        assert seal.status is SealStatus.ABSENT and seal.box is None


@pytest.mark.parametrize(
    "name",
    [
        "clean_id_certificate_pdf/income_certificate.png",
        "clean_photos_only/employment_certificate.jpg",
    ],
    ids=["scan", "photo"],
)
def test_greyscale_copy_says_no_colour_and_still_finds_the_ring(name):
    with Image.open(APPLICATIONS / name) as image:
        grey = ImageOps.grayscale(image)
    seal = find_seal(grey)
    truth = _truth(APPLICATIONS / name)["fields"]["seal"]["box"]
    assert seal.status is SealStatus.NO_COLOUR
    assert seal.box is not None and overlaps(seal.box, tuple(truth))


def test_greyscale_page_without_any_ring_is_still_no_colour_not_absent():
    with Image.open(APPLICATIONS / "defect_seal_missing/income_certificate.png") as image:
        assert find_seal(ImageOps.grayscale(image)).status is SealStatus.NO_COLOUR


@pytest.mark.parametrize(
    "image",
    [
        Image.new("RGB", (2480, 3508), "white"),
        Image.new("RGB", (1, 1), "red"),
        Image.new("RGB", (400, 400), (214, 40, 40)),  # a solid red block is no ring
        Image.new("L", (10, 10), 0),
    ],
    ids=["blank-a4", "one-pixel", "red-block", "tiny-grey"],
)
def test_junk_images_give_no_seal(image):
    assert find_seal(image).status in (SealStatus.ABSENT, SealStatus.NO_COLOUR)
    assert find_seal(image).box is None


@pytest.mark.parametrize(
    ("rows", "sizes"),
    [
        (["#..", ".#.", "..#"], [3]),  # diagonal neighbours join
        (["#.#", "#.#", "###"], [7]),  # a U: two runs above one
        (["##..##", "......", "..##.."], [2, 2, 2]),  # a blank row between
        (["#.#.#"], [1, 1, 1]),
        (["...", "..."], []),
    ],
    ids=["diagonal", "u-shape", "gap-row", "one-row", "empty"],
)
def test_components_are_eight_connected_blobs(rows, sizes):
    mask = np.array([[char == "#" for char in row] for row in rows])
    blobs = _components(mask)
    assert sorted(len(blob) for blob in blobs) == sorted(sizes)
    assert sum(len(blob) for blob in blobs) == int(mask.sum())
    for blob in blobs:  # every pixel once, and a pixel of the mask
        assert len({tuple(point) for point in blob.tolist()}) == len(blob)
        assert all(mask[row, col] for row, col in blob.tolist())


def test_seal_found_on_the_file_as_opened():
    """A palette PNG straight from the file, not converted first."""
    path = APPLICATIONS / "defect_name_one_char" / "income_certificate.png"
    with Image.open(path) as image:
        assert image.mode == "P"
        seal = find_seal(image)
    assert seal.status is SealStatus.PRESENT
    assert _iou(seal.box, _truth(path)["fields"]["seal"]["box"]) > 0.8


def _with_round_logo(path: Path) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """The certificate with a solid red ring logo in its top left corner, and the logo's box:
    a plain ring, so it looks more like a ring than the stamp with its text and star does."""
    from PIL import ImageDraw

    with Image.open(path) as image:
        page = image.convert("RGB")
    diameter = round(0.12 * min(page.size))
    box = (80, 80, 80 + diameter, 80 + diameter)
    ImageDraw.Draw(page).ellipse(box, outline=(210, 30, 40), width=max(6, diameter // 14))
    return page, box


def test_a_round_red_logo_does_not_take_the_place_of_the_seal_on_the_signature():
    path = APPLICATIONS / "clean_id_certificate_pdf" / "income_certificate.png"
    page, logo = _with_round_logo(path)
    stamp = tuple(_truth(path)["fields"]["seal"]["box"])
    assert overlaps(find_seal(page).box, logo)  # alone, the cleaner ring wins
    seal = find_seal(page, near=stamp)
    assert seal.status is SealStatus.PRESENT
    assert _iou(seal.box, stamp) > 0.8
