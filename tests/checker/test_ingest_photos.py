"""Phone photos as they come: HEIC/HEIF through pillow-heif under the same pixel limits as
any image, and the EXIF orientation honoured in every format that carries one. Every image
is made here, the HEIC ones by pillow-heif itself."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image

import checker
from checker.ingest import ingest
from checker.policy import Limits, default_policy
from schemas.findings import Code, Severity

pillow_heif.register_heif_opener()  # to write HEIC here; ingest registers it for reading

SIZE = (400, 200)  # landscape as stored; a 90° orientation makes it portrait
FORMATS = {  # Pillow format, file name, save options
    "jpeg": ("JPEG", "id.jpg", {"quality": 92}),
    "png": ("PNG", "id.png", {}),
    "tiff": ("TIFF", "id.tif", {}),
    "webp": ("WEBP", "id.webp", {"lossless": True}),
    "heic": ("HEIF", "IMG_0001.HEIC", {"quality": 95}),
}
# EXIF orientation -> the upright size and a pixel that the black bar (stored top left) covers
ORIENTATIONS = {
    1: ((400, 200), (5, 5)),
    3: ((400, 200), (395, 195)),  # turned 180°
    6: ((200, 400), (195, 5)),  # turned 90° clockwise to stand upright
    8: ((200, 400), (5, 395)),  # turned 90° counter-clockwise
}


def photo(fmt: str, orientation: int, size: tuple[int, int] = SIZE) -> bytes:
    """A white page, black bar at the top left as stored, with the EXIF orientation."""
    image = Image.new("RGB", size, "white")
    image.paste("black", (0, 0, size[0] // 2, size[1] // 4))
    exif = Image.Exif()
    exif[0x0112] = orientation
    pil_format, _, options = FORMATS[fmt]
    buffer = io.BytesIO()
    image.save(buffer, pil_format, exif=exif.tobytes(), **options)
    return buffer.getvalue()


@pytest.fixture(name="limits")
def _limits() -> Limits:
    return default_policy().limits


@pytest.mark.parametrize("orientation", sorted(ORIENTATIONS))
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_exif_orientation_is_honoured(fmt: str, orientation: int, limits: Limits) -> None:
    _, name, _ = FORMATS[fmt]
    document = ingest(photo(fmt, orientation), name=name, limits=limits)
    assert document.findings == []
    page = document.pages[0].image
    size, black = ORIENTATIONS[orientation]
    assert page.size == size
    assert page.convert("L").getpixel(black) < 64
    assert page.convert("L").getpixel((size[0] // 2 + 20, size[1] // 2 + 20)) > 190


def test_heic_is_read_as_an_image(limits: Limits) -> None:
    document = ingest(photo("heic", 1), name="IMG_0001.HEIC", limits=limits)
    assert document.media_type == "image/heic"
    assert len(document.pages) == 1


def test_heic_keeps_the_pixel_limit(limits: Limits) -> None:
    small = limits.model_copy(update={"max_pixels": 50_000})
    document = ingest(photo("heic", 1, (400, 300)), name="IMG_0002.HEIC", limits=small)
    assert [finding.code for finding in document.findings] == [Code.IMAGE_TOO_LARGE]
    assert document.pages == []


ID_FRONT = Path(__file__).parents[2] / "fixtures/applications/clean_id_certificate_pdf/id_front.jpg"


@pytest.mark.ocr
@pytest.mark.parametrize("orientation", [1, 6], ids=["upright", "stored-turned-exif-6"])
def test_a_heic_photo_of_an_id_card_is_checked_end_to_end(orientation: int, tmp_path: Path):
    """The committed ID card photo as an iPhone sends it: HEIC, and (as a phone held upright
    stores it) the pixels turned with an EXIF orientation saying how to stand them up;
    read by real OCR, every field as the truth beside the photo says."""
    truth = json.loads(ID_FRONT.with_name(ID_FRONT.name + ".truth.json").read_text("utf-8"))
    with Image.open(ID_FRONT) as card:
        stored = card.convert("RGB")
    exif = Image.Exif()
    if orientation == 6:  # stored 90° counter-clockwise; the viewer turns it clockwise
        stored = stored.transpose(Image.Transpose.ROTATE_90)
        exif[0x0112] = 6
    path = tmp_path / "IMG_4821.HEIC"
    stored.save(path, "HEIF", quality=90, exif=exif.tobytes())
    assert pillow_heif.is_supported(path.read_bytes()) and path.read_bytes()[4:12] == b"ftypheic"

    report = checker.check_document(path, as_of=dt.date(2026, 11, 15), lang="en", mask=False)

    assert report.media_type == "image/heic"
    assert report.kind == truth["kind"] == "cn_id_front"
    read = {
        name: field.value.isoformat() if isinstance(field.value, dt.date) else field.value
        for name, field in report.fields.items()
        if name in truth["fields"]
    }
    assert read == {name: field["value"] for name, field in truth["fields"].items()}
    assert [f.code for f in report.findings if f.severity is not Severity.INFO] == []
