"""Live validation of the intake form's fields, called as the applicant types."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query
from pydantic import BaseModel

import checker
from api.deps import preferred_language, require_api_key
from api.errors import problem_responses
from schemas.catalogue import Lang
from schemas.declared import DeclaredFields
from schemas.findings import Finding

router = APIRouter(tags=["checks"], dependencies=[Depends(require_api_key)])


class FieldFindings(BaseModel):
    """What is wrong with the typed fields (empty when nothing is)."""

    findings: list[Finding]


@router.post("/v1/fields/validate", responses=problem_responses(400, 401, 413, 422))
async def validate_fields(
    declared: DeclaredFields,
    lang: Annotated[Lang | None, Query(description="zh or en; else Accept-Language")] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> FieldFindings:
    """Findings about the declared fields alone (no documents), in milliseconds."""
    language = lang or preferred_language(accept_language)
    return FieldFindings(findings=checker.check_fields(declared, lang=language))
