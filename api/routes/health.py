"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import PolicyDep
from api.errors import problem_responses
from checker.ocr import get_reader

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


class OcrEngine(BaseModel):
    engine: str
    version: str
    languages: str


class Readiness(BaseModel):
    status: str
    ocr: OcrEngine


@router.get("/healthz")
async def healthz() -> Health:
    """The process answers (on the event loop: it never waits for a check)."""
    return Health(status="ok")


@router.get("/readyz", responses=problem_responses(503))
def readyz(policy: PolicyDep) -> Readiness:
    """Ready when the OCR engine is installed with the policy's languages; else 503."""
    reader = get_reader(policy.ocr, cache=False)  # raises OcrError: mapped to 503
    return Readiness(
        status="ready",
        ocr=OcrEngine(engine=reader.name, version=reader.version, languages=reader.languages),
    )
