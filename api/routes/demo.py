"""The try-it intake page at `/`: plain HTML and a little JavaScript from api/static/."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def intake_page() -> FileResponse:
    """The intake demo: pick files, type the fields, see the verdict and what to fix."""
    return FileResponse(STATIC / "index.html", media_type="text/html")
