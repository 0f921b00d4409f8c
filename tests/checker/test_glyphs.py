"""Which of two readings a crop shows, on names drawn here in fonts other than the reference."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from checker.reading.glyphs import REFERENCE_FONT, Shown, printed_forms, shown

FONTS = {
    "serif": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "sans": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
}


def _name(text: str, font: str, size: int = 48) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """`text` drawn on a white strip, and the box of its ink."""
    image = Image.new("RGB", (40 + size * len(text) + 40, size * 2), "white")
    face = ImageFont.truetype(FONTS[font], size)
    draw = ImageDraw.Draw(image)
    draw.text((40, size // 3), text, font=face, fill="black")
    left, top, right, bottom = draw.textbbox((40, size // 3), text, font=face)
    return image, (int(left), int(top), int(right), int(bottom))


# (drawn, the other reading): names one character apart, in shapes that differ clearly
DISTINCT = [("周秀瑛", "周秀英"), ("周秀英", "周秀瑛"), ("张伟明", "张伟朋"), ("李静怡", "李静治")]
# one character apart in shapes tesseract confuses; undecided is fine, the wrong one is not
CONFUSABLE = [("王建国", "于建国"), ("于建国", "王建国"), ("陈晨", "陈辰"), ("赵大", "赵太")]


def test_the_reference_font_is_not_one_the_names_are_drawn_in() -> None:
    assert REFERENCE_FONT not in FONTS.values()


@pytest.mark.parametrize("font", sorted(FONTS))
@pytest.mark.parametrize(("drawn", "other"), DISTINCT, ids=["-".join(p) for p in DISTINCT])
def test_a_clear_difference_is_seen(drawn: str, other: str, font: str) -> None:
    image, box = _name(drawn, font)
    assert shown(image, box, drawn, other) is Shown.FIRST
    assert shown(image, box, other, drawn) is Shown.SECOND


@pytest.mark.parametrize("font", sorted(FONTS))
@pytest.mark.parametrize(("drawn", "other"), CONFUSABLE, ids=["-".join(p) for p in CONFUSABLE])
def test_it_never_picks_the_reading_that_is_not_drawn(drawn: str, other: str, font: str) -> None:
    image, box = _name(drawn, font)
    assert shown(image, box, drawn, other) in (Shown.FIRST, Shown.UNDECIDED)
    assert shown(image, box, other, drawn) in (Shown.SECOND, Shown.UNDECIDED)


@pytest.mark.parametrize("shift", [0, 1, 3])
@pytest.mark.parametrize(("drawn", "other"), DISTINCT[:2] + CONFUSABLE[:2])
def test_a_crop_of_the_page_is_judged_as_the_page(drawn: str, other: str, shift: int) -> None:
    """The application's name judge keeps only the image in a field's box (the pages are let
    go): told where the crop stands, it cuts the same character cells."""
    image, (left, top, right, bottom) = _name(drawn, "serif", size=47)
    box = (left + shift, top, right + shift, bottom)  # odd cell widths: rounding at halves
    crop = image.crop(box)
    for first, second in ((drawn, other), (other, drawn)):
        assert shown(crop, box, first, second, origin=box[:2]) is shown(image, box, first, second)


@pytest.mark.parametrize(
    ("first", "second", "box"),
    [
        ("周秀瑛", "周秀英", (5, 5, 200, 60)),  # a blank strip
        ("周秀瑛", "周秀", (40, 16, 184, 80)),  # different lengths
        ("周秀瑛", "周秀瑛", (40, 16, 184, 80)),  # nothing to decide
        ("周秀瑛", "周秀英", (40, 16, 42, 80)),  # a box too narrow for three characters
    ],
    ids=["blank", "lengths", "same", "narrow"],
)
def test_undecided_when_there_is_nothing_to_compare(first: str, second: str, box) -> None:
    image = Image.new("RGB", (240, 96), "white")
    assert shown(image, box, first, second) is Shown.UNDECIDED


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("黃思琪", "黄思琪"),  # RapidOCR's traditional form of a simplified print
        ("成都市武侯區市場監督管理局", "成都市武侯区市场监督管理局"),
        ("於乾著", "於乾著"),  # in the simplified set (GB 2312): names and words as read
        ("毕昇", "毕昇"),  # outside it, yet printed in simplified names
        ("Ｎo.12 號", "Ｎo.12 号"),  # one for one: the text keeps its length
    ],
)
def test_printed_forms(read: str, printed: str) -> None:
    assert printed_forms(read) == printed
