"""The quality gate's metrics and findings on drawn images."""

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from checker.document import Page
from checker.policy import default_policy
from checker.quality import measure, quality_findings
from schemas.findings import Code

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


@pytest.fixture(name="text_page")
def fixture_text_page():
    image = Image.new("L", (1200, 800), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 36)
    for row in range(12):
        draw.text((60, 40 + row * 60), "收入证明 月收入 12,345.67 元 2026年10月", font=font, fill=0)
    return image


def _page(image):
    return Page(number=1, width=image.width, height=image.height, dpi=300, image=image)


def test_sharp_text_passes(text_page):
    quality = measure(_page(text_page))
    assert quality_findings(quality, default_policy().quality, file="a.png") == []


def test_blurred_text_is_blurry(text_page):
    blurred = text_page.filter(ImageFilter.GaussianBlur(6))
    sharp, soft = measure(_page(text_page)), measure(_page(blurred))
    assert soft.sharpness < sharp.sharpness / 10
    codes = [f.code for f in quality_findings(soft, default_policy().quality, file="a.png")]
    assert Code.IMAGE_BLURRY in codes


def test_tiny_image_is_low_resolution(text_page):
    small = text_page.resize((300, 200))
    codes = [
        f.code for f in quality_findings(measure(_page(small)), default_policy().quality, file="a")
    ]
    assert Code.IMAGE_LOW_RESOLUTION in codes


def test_black_frame_is_too_dark():
    dark = Image.new("L", (1200, 800), 10)
    codes = [
        f.code for f in quality_findings(measure(_page(dark)), default_policy().quality, file="a")
    ]
    assert Code.IMAGE_TOO_DARK in codes
