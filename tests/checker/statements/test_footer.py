"""The printed page number under a photographed statement page (`第 1 页 / 共 4 页`): it says
whether later pages of the statement are in other files, and so whether the header's closing
balance may be checked against this file's rows alone. A small grey footer alone in a tall
blank strip can read as nothing, or as another word, when the strip is read as one block; cut
tight round its ink and read as one line, it reads as printed.

The photo is one of the batch bench's generated applications (seed 1, the 13th), whose first
page's footer the block read missed: the totals check then ran on one page of four and asked
for a clearer photo of a clean statement.
"""

import datetime as dt
import json
import random

import pytest
from PIL import Image, ImageDraw

from checker.check import check_file
from checker.document import Page
from checker.ocr import get_reader
from checker.policy import default_policy
from checker.reading.ink import inked_lines
from checker.reading.second_read import grey_ink
from fixtures.application import build_case
from fixtures.cases import random_case
from fixtures.draw import font
from schemas.findings import Code

PAPER, GREY_PRINT = 237, 150  # grey levels measured on the bench photo's footer


def test_grey_print_on_paper_is_ink_that_the_dark_ink_test_leaves_out():
    image = Image.new("L", (600, 120), PAPER)
    ImageDraw.Draw(image).text(
        (200, 50), "第 1 页 / 共 4 页", fill=GREY_PRINT, font=font("sans", 16)
    )
    page = Page(number=1, width=600, height=120, dpi=150, image=image)
    strip = (0, 0, 600, 120)
    assert inked_lines(page, strip) == []  # darker than 128 only: nothing
    [line] = inked_lines(page, strip, min_height=6, ink=grey_ink)
    assert 195 <= line[0] and line[2] <= 340 and 48 <= line[1] < line[3] <= 72


@pytest.mark.ocr
def test_a_photographed_first_page_tells_its_page_number(tmp_path):
    rng = random.Random("1:random")  # as `python -m bench batch` draws its applications
    case = [random_case(rng, index) for index in range(1, 14)][-1]
    folder = build_case(case, 1, tmp_path)
    [photo] = folder.glob("statement_*_p1.jpg")
    truth = json.loads(photo.with_name(photo.name + ".truth.json").read_text("utf-8"))
    policy = default_policy()
    report = check_file(
        photo, policy=policy, reader=get_reader(policy.ocr), as_of=dt.date(2026, 11, 15)
    ).report
    assert report.fields["printed_page"].value == f"1/{truth['fields']['pages']['value']}"
    assert Code.RETAKE not in {finding.code for finding in report.findings}
