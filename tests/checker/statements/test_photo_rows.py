"""A statement page photographed at an angle keeps every row.

Under perspective a table's rows tilt more at one end of the page than at the other (they run
towards a vanishing point). Read with one tilt for the whole page, the far rows' balances came
out a line away from their dates, the dated lines were dropped for want of an amount, and the
rows that were left still carried the balance: the page's last rows vanished unseen, and the
next page file's first row gave a false `balance_break` (a phone photo of a clean statement's
page 3 lost its last 8 of 46 rows).

The page is drawn by the fixture generator and photographed here with a chosen keystone (the
top edge tilted about 1%, the bottom about 3.5%, as `fixtures.degrade.photo` makes them); the
expected rows are the generator's own.
"""

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from checker.check import Checked, check_file
from checker.ocr import get_reader
from checker.policy import default_policy
from checker.statements.layout import pick_layout
from checker.statements.table import read_pages
from fixtures import statement
from fixtures.degrade import homography, warp

AS_OF = dt.date(2026, 11, 15)
PAGE = 2  # a later page: 46 rows under the column titles, no header block
PHOTO_SIZE = (1600, 2133)
DESK = (92, 84, 76)
# where the sheet's corners land in the photo (top left, top right, bottom right, bottom left)
CORNERS = [(250.0, 270.0), (1440.0, 255.0), (1430.0, 1870.0), (290.0, 1910.0)]

Truth = list[tuple[str, Decimal, Decimal, Decimal]]  # date, debit, credit, balance


def _money(text: str) -> Decimal:
    return Decimal(text or "0").quantize(Decimal("0.01"))


@pytest.fixture(name="photo", scope="module")
def fixture_photo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    """The photographed page, and its rows as the generator drew them."""
    drawn = statement.sample_statement(
        random.Random(2026), dt.date(2026, 5, 1), dt.date(2026, 10, 31), AS_OF
    )
    sheet = drawn.pages[PAGE - 1].image.convert("RGB")
    corners = [(0, 0), (sheet.width, 0), (sheet.width, sheet.height), (0, sheet.height)]
    photo = warp(sheet, homography(corners, CORNERS), PHOTO_SIZE, DESK)
    path = tmp_path_factory.mktemp("photo") / "statement_p2.jpg"
    photo.save(path, quality=90)
    truth = [
        (
            row["values"]["date"],
            _money(row["values"]["debit"]),
            _money(row["values"]["credit"]),
            _money(row["values"]["balance"]),
        )
        for row in drawn.tables["transactions"]
        if row["page"] == PAGE
    ]
    assert len(truth) == 46 and Image.open(path).size == PHOTO_SIZE
    return path, truth


@pytest.fixture(name="checked", scope="module")
def fixture_checked(photo: tuple[Path, Truth]) -> Checked:
    policy = default_policy()
    return check_file(photo[0], policy=policy, reader=get_reader(policy.ocr), as_of=AS_OF)


@pytest.mark.ocr
def test_each_date_of_the_photo_as_taken_is_on_one_line_with_its_balance(photo, checked):
    """The first read (the photo as taken, before any flattening): every dated row, with the
    balance printed at the other end of its line."""
    readings = [reading for reading in checked.content.readings if reading.source == "ocr"]
    rows = [row for page in read_pages(readings, pick_layout("")) for row in page.rows]
    assert [(row["date"], row["balance"] and _money(row["balance"])) for row in rows] == [
        (date, balance) for date, _, _, balance in photo[1]
    ]


@pytest.mark.ocr
def test_every_row_of_the_photo_is_read(photo, checked):
    rows = checked.report.fields["transactions"].value
    assert [
        (row["date"], _money(row["debit"]), _money(row["credit"]), _money(row["balance"]))
        for row in rows
    ] == photo[1]
