"""The finding catalogue: every code with its severity and zh/en wording."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import require_api_key
from api.errors import problem_responses
from schemas.catalogue import Entry, catalogue

router = APIRouter(tags=["reference"], dependencies=[Depends(require_api_key)])


@router.get("/v1/finding-codes", responses=problem_responses(401))
async def list_finding_codes() -> dict[str, Entry]:
    """Every finding code (public API: codes are added, never renamed) with its default
    severity and its message and fix in zh and en (`{placeholders}` filled per finding)."""
    return {code.value: entry for code, entry in catalogue().items()}
