"""Reading photos and scans (JPEG, PNG, TIFF, WebP, BMP, HEIC) into page images."""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping
from functools import cache
from io import BytesIO
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from checker.document import Page
from checker.ingest.common import Content, Refused, too_many_pixels
from checker.policy import Limits
from schemas.findings import Code

# What a damaged or hostile image makes Pillow raise while reading headers or pixels.
DECODE_ERRORS = (
    OSError,  # includes UnidentifiedImageError and "image file is truncated"
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
)
PLAUSIBLE_DPI = range(72, 1201)
MAX_DOCUMENT_INCHES = 17  # A3's long side: metadata implying a larger page is a placeholder
HEIF_NEEDS_EXTRA = "HEIC/HEIF (needs the docready[heic] extra)"


def estimate_dpi(width: int, height: int) -> int:
    """A resolution guess for an image without believable DPI metadata."""
    return 300 if max(width, height) >= 2000 else 200


def image_dpi(info: Mapping[Any, Any], width: int, height: int) -> int:
    """The DPI in the image metadata when plausible for a document, else an estimate.

    Phones write 72 DPI into every photo; a 4000 px photo "at 72 DPI" would be a page
    55 inches long, so metadata is believed only when the implied page size is a document's.
    """
    try:
        dpi = round(float(info["dpi"][0]))
    except (KeyError, TypeError, ValueError, IndexError, OverflowError, ZeroDivisionError):
        return estimate_dpi(width, height)
    if dpi in PLAUSIBLE_DPI and max(width, height) / dpi <= MAX_DOCUMENT_INCHES:
        return dpi
    return estimate_dpi(width, height)


def to_page_mode(image: Image.Image) -> Image.Image:
    """The image as greyscale ("L") or colour ("RGB"); transparency flattened onto white."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode == "1":
        return image.convert("L")
    if image.mode.startswith("I") or image.mode == "F":  # 16/32-bit greyscale scans
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flattened = Image.new("RGBA", rgba.size, "white")
        flattened.alpha_composite(rgba)
        greyscale = image.mode in ("LA", "La")
        return flattened.convert("L" if greyscale else "RGB")
    return image.convert("RGB")


def read_image(data: bytes, limits: Limits, *, pil_format: str) -> Content:
    """Pages from an image file of a known format; refuses bombs and damaged files."""
    try:
        with _open(data, pil_format) as image:
            frames = _count_frames(image, limits.max_pages)
            if frames > limits.max_pages:
                raise Refused.because(
                    Code.TOO_MANY_PAGES, pages=f">{limits.max_pages}", limit=limits.max_pages
                )
            return Content(pages=[_decode_frame(image, index, limits) for index in range(frames)])
    except Image.DecompressionBombError as error:
        raise _bomb_refusal(error, limits) from None
    except DECODE_ERRORS:
        raise Refused.because(Code.FILE_CORRUPT) from None


def read_heif(data: bytes, limits: Limits) -> Content:
    """Pages from a HEIC/HEIF photo, when pillow-heif is installed."""
    if not _heif_opener_registered():
        raise Refused.because(Code.FILE_UNSUPPORTED, detected=HEIF_NEEDS_EXTRA)
    return read_image(data, limits, pil_format="HEIF")


@cache
def _heif_opener_registered() -> bool:
    """Register pillow-heif's opener with Pillow on first use; False when it is not installed."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


def _open(data: bytes, pil_format: str) -> Image.Image:
    """Open lazily (headers only) with just the plugin the bytes were sniffed as."""
    try:
        return Image.open(BytesIO(data), formats=[pil_format])
    except UnidentifiedImageError:
        raise Refused.because(Code.FILE_CORRUPT) from None


def _count_frames(image: Image.Image, limit: int) -> int:
    """Frames in a TIFF, counted up to limit + 1 at most; other formats give their first."""
    if image.format != "TIFF":
        return 1
    count = 0
    try:
        for index in range(limit + 1):
            image.seek(index)
            count = index + 1
    except EOFError:
        pass
    image.seek(0)
    return count


def _decode_frame(image: Image.Image, index: int, limits: Limits) -> Page:
    """Check the frame's size from its header, then decode, upright and in RGB or L."""
    image.seek(index)
    width, height = image.size
    problem = too_many_pixels(width, height, limits.max_pixels)
    if problem is None and Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS:
        problem = too_many_pixels(width, height, Image.MAX_IMAGE_PIXELS)
    if problem is not None:
        raise Refused(problem)
    dpi = image_dpi(image.info, width, height)
    upright = to_page_mode(ImageOps.exif_transpose(image))
    upright.load()
    return Page(
        number=index + 1, width=upright.width, height=upright.height, dpi=dpi, image=upright
    )


def _bomb_refusal(error: Image.DecompressionBombError, limits: Limits) -> Refused:
    """`image_too_large` from Pillow's own bomb check, which names the pixel count."""
    match = re.search(r"\((\d+) pixels\)", str(error))
    pixels: int | str = int(match.group(1)) if match else f">{limits.max_pixels}"
    return Refused.because(Code.IMAGE_TOO_LARGE, pixels=pixels, limit=limits.max_pixels)
