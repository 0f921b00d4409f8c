"""A photographed statement page through the pipeline: told by the top of its flattened sheet,
read once, flattened (never as taken), its rows' boxes on the photo, and the report's time for
the page counts both reads. A certificate photographed on a sheet is read as taken."""

import json
import random
from pathlib import Path

import pytest
from PIL import Image

from checker.check import PageReadLog, check_file
from checker.ocr import get_reader
from checker.policy import default_policy
from fixtures.bank_layouts import LAYOUTS, render
from fixtures.cases import AS_OF
from fixtures.degrade import degrade

PHOTOS = Path(__file__).parents[3] / "fixtures" / "applications" / "clean_photos_only"
STATEMENT = PHOTOS / "statement_2026-05_2026-10_p4.jpg"
CERTIFICATE = PHOTOS / "employment_certificate.jpg"


class SizesRead(PageReadLog):
    """Every whole-page read, and the size of the image each one read."""

    def __init__(self, inner):
        super().__init__(inner)
        self.sizes = []

    def read(self, image, *, dpi, page):
        self.sizes.append(image.size)
        return super().read(image, dpi=dpi, page=page)


def _checked(path):
    policy = default_policy()
    reads = SizesRead(get_reader(policy.ocr))
    report = check_file(path, policy=policy, reader=reads, as_of=AS_OF).report
    with Image.open(path) as photo:
        return report, reads, photo.size


@pytest.mark.ocr
def test_statement_photo_is_read_once_flattened_after_its_top():
    report, reads, photo_size = _checked(STATEMENT)
    assert report.kind == "bank_statement"
    (top_width, top_height), (sheet_width, sheet_height) = reads.sizes
    assert photo_size not in reads.sizes
    assert top_width == sheet_width and abs(top_height / sheet_height - 1 / 3) < 0.05
    top, sheet = reads.readings
    assert top.page == sheet.page == 1
    truth = json.loads(STATEMENT.with_name(STATEMENT.name + ".truth.json").read_text("utf-8"))
    rows = report.fields.model_dump()["transactions"]["value"]
    assert len(rows) == len(truth["tables"]["transactions"])
    width, height = photo_size
    for row, true_row in zip(rows, truth["tables"]["transactions"], strict=True):
        left, top_edge, right, bottom = row["box"]  # on the photo the report shows
        true_left, true_top, true_right, true_bottom = true_row["box"]
        assert 0 <= left < right <= width and 0 <= top_edge < bottom <= height
        assert left < true_right and true_left < right and top_edge < true_bottom
        assert true_top < bottom
    assert report.quality[0].ocr_seconds == round(top.seconds + sheet.seconds, 3)
    assert report.quality[0].ocr_cached == (top.cached and sheet.cached)


@pytest.mark.ocr
def test_a_certificate_photographed_on_a_sheet_is_read_as_taken():
    report, reads, photo_size = _checked(CERTIFICATE)
    assert report.kind == "employment_certificate"
    # the top of its flattened sheet told it is no statement
    top_width, top_height = reads.sizes[0]
    assert top_height < top_width < photo_size[0]
    assert reads.sizes[1] == photo_size
    assert report.quality[0].ocr_seconds == round(sum(r.seconds for r in reads.readings), 3)


@pytest.mark.ocr
def test_a_statement_photo_whose_flattened_rows_leave_doubt_is_read_as_taken_too(tmp_path):
    """A page of another bank's layout, photographed: the flattened read leaves rows the
    balance chain does not carry, so the photo is read as taken as well (the read that leaves
    less doubt is kept; here every row is read either way)."""
    pages, truth = render(LAYOUTS["abc"], 3, count=24)
    photo = degrade(pages[0].image.convert("RGB"), [("photo", {})], random.Random(96)).image
    path = tmp_path / "statement.jpg"
    photo.save(path, quality=88)
    report, reads, photo_size = _checked(path)
    assert report.kind == "bank_statement"
    top, sheet, taken = reads.sizes
    assert taken == photo_size and top[0] == sheet[0] != photo_size[0]
    rows = report.fields.model_dump()["transactions"]["value"]
    assert len(rows) == len(truth["rows"])
