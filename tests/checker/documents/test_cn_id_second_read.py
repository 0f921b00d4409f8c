"""The second reader (RapidOCR) on the committed ID cards: every field row read by it as if
tesseract had failed that field. What two crops of the line agree on must be the printed
value: a wrong birth date or number would be a false error on a valid card.

Measured besides on cards the fixture generator drew with other seeds (`python -m
fixtures.generate --count 40 --seed 7`, then `--seed 11`): of 68 fronts, 339 of 408 field rows
agreed; of 68 backs, 136 of 136; none wrong.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from checker.check import Checked, check_file
from checker.document import Page
from checker.documents import cn_id_back, cn_id_front
from checker.documents._cn_id import clear_of_sides
from checker.documents._cn_id_front_layout import SECOND_READ_FIELDS
from checker.ocr import get_reader
from checker.policy import default_policy
from checker.reading.ink import inked_lines
from checker.reading.second_read import LINE_HEIGHT, WIDEST_GAP, closed_up_crop

APPLICATIONS = Path(__file__).parents[3] / "fixtures" / "applications"
AS_OF = dt.date(2026, 11, 15)
FRONTS = sorted(p for p in APPLICATIONS.glob("*/id_front.*") if p.suffix != ".json")
BACKS = sorted(p for p in APPLICATIONS.glob("*/id_back.*") if p.suffix != ".json")
# case -> how many fields of its front the crops may fail to agree on, and why (else 2)
HARD_FRONTS = {
    "quality_blurry_id_photo": 6,  # blurred: no ink line stands out, the number reads 16 digits
    "quality_low_resolution_id": 3,  # 120 px tall: the blue 民族 and 日 are lost to the model
}


@cache
def checked(path: Path) -> Checked:
    policy = default_policy()
    return check_file(path, policy=policy, reader=get_reader(policy.ocr), as_of=AS_OF)


def _truth(path: Path) -> dict[str, object]:
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))
    return {name: field["value"] for name, field in truth["fields"].items()}


def _shown(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.ocr
@pytest.mark.parametrize("path", FRONTS, ids=[p.parent.name for p in FRONTS])
def test_the_second_reader_agrees_only_on_the_printed_front_value(path: Path) -> None:
    """On the 24 fronts, 129 of 144 field rows agreed, none wrong (a birth date or sex that
    differs from the one the number encodes is not taken: two cards with such a planted
    defect count as not agreed)."""
    content = checked(path).content
    truth = _truth(path)
    agreed = {field: cn_id_front.second_read(content, field) for field in SECOND_READ_FIELDS}
    read = {field: _shown(found.value) for field, found in agreed.items() if found is not None}
    assert {f: (v, truth[f]) for f, v in read.items() if v != truth[f]} == {}
    assert all(found.method == "second_reader" for found in agreed.values() if found)
    assert len(agreed) - len(read) <= HARD_FRONTS.get(path.parent.name, 2)


@pytest.mark.ocr
@pytest.mark.parametrize("path", BACKS, ids=[p.parent.name for p in BACKS])
def test_the_second_reader_agrees_only_on_the_printed_back_value(path: Path) -> None:
    """On the 24 backs, 48 of 48 field rows agreed (the period and the authority), none
    wrong."""
    content = checked(path).content
    truth = _truth(path)
    agreed = {name: cn_id_back.second_read(content, name) for name in cn_id_back.SECOND_READ_FIELDS}
    read = {}
    if (period := agreed["validity"]) is not None:
        until = period["valid_until"].value
        assert period["long_term"].value is (until is None)
        read["valid_from"] = _shown(period["valid_from"].value)
        read["valid_until"] = _shown(until) if until else "长期"
    if (authority := agreed["issuing_authority"]) is not None:
        read["issuing_authority"] = authority["issuing_authority"].value
    assert {f: (v, truth[f]) for f, v in read.items() if v != truth[f]} == {}
    assert sum(found is None for found in agreed.values()) <= 1


CLEAN_FRONT = APPLICATIONS / "clean_id_certificate_pdf" / "id_front.jpg"  # born 1983-09-01


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("field", "text", "taken"),
    [
        ("birth_date", "1983年9月1日", dt.date(1983, 9, 1)),
        ("birth_date", "1988年9月1日", None),  # not the date the number encodes
        ("sex", "女民族汉", "女"),
        ("sex", "男民族汉", None),  # not the sex the number encodes
        ("ethnicity", "女民族漢", "汉"),  # the traditional form folded
        ("ethnicity", "女民族汗", None),  # no ethnicity
        ("name", "姓名赵佳慧", None),  # a label read with the value: five characters, no name
        ("id_number", "310104198309019967", None),  # the check digit fails
    ],
)
def test_a_front_value_is_taken_only_when_it_passes_its_checks(
    scripted_reader, field, text, taken
) -> None:
    content = replace(checked(CLEAN_FRONT).content, second_reader=scripted_reader([(text, 0.99)]))
    found = cn_id_front.second_read(content, field)
    assert (found.value if found else None) == taken


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("text", "taken"),
    [
        ("2018.05.08-2038.05.08", (dt.date(2018, 5, 8), dt.date(2038, 5, 8))),
        ("2018.05.08-长期", (dt.date(2018, 5, 8), None)),
        ("2018.05.08-2039.05.08", None),  # 21 years: no card runs so long
        ("2018.05.08-2038.05.09", None),  # not to the day
        ("有效期限2018.05.08-2038.05.08", None),  # the line holds more than the period
    ],
)
def test_a_period_is_taken_only_when_a_card_could_print_it(scripted_reader, text, taken) -> None:
    path = APPLICATIONS / "clean_id_certificate_pdf" / "id_back.jpg"
    content = replace(checked(path).content, second_reader=scripted_reader([(text, 0.99)]))
    found = cn_id_back.second_read(content, "validity")
    read = (found["valid_from"].value, found["valid_until"].value) if found else None
    assert read == taken


def test_wide_gaps_are_closed_up_and_narrow_ones_kept() -> None:
    image = Image.new("RGB", (400, 60), "white")
    canvas = ImageDraw.Draw(image)
    for left in (20, 40, 300):  # two strokes 10 px apart, a third 250 px on
        canvas.rectangle((left, 10, left + 9, 50), fill="black")
    crop = closed_up_crop(image, (0, 0, 400, 60), text_height=40)
    inked = (np.asarray(crop) < 128).any(axis=0)
    gaps = [len(run) for run in "".join("x" if i else "." for i in inked).strip(".").split("x")]
    assert max(gaps) <= round(WIDEST_GAP * LINE_HEIGHT) + 2
    assert 8 <= sorted(g for g in gaps if g)[0] <= 12  # the narrow gap as it was


def test_a_blue_label_reaching_into_the_band_is_left_out_of_the_line() -> None:
    image = Image.new("RGB", (300, 60), (235, 240, 238))
    canvas = ImageDraw.Draw(image)
    canvas.rectangle((5, 15, 30, 45), fill=(40, 100, 170))  # a label's last character
    canvas.rectangle((90, 15, 200, 45), fill=(30, 30, 30))  # the value
    page = Page(number=1, width=300, height=60, dpi=300, image=image)
    band = (0, 0, 280, 60)
    assert inked_lines(page, band) == [(5, 15, 200, 46)]
    assert clear_of_sides(page, band, (5, 15, 200, 46)) == (90, 15, 200, 46)
    grey = replace(page, image=image.convert("L"))  # no colour: only a cut label is dropped
    assert clear_of_sides(grey, band, (5, 15, 200, 46)) == (5, 15, 200, 46)
    assert clear_of_sides(grey, (10, 0, 280, 60), (10, 15, 200, 46)) == (90, 15, 200, 46)
