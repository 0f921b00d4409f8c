"""The policy in force: its profiles (which documents each requires) and its limits."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from api.deps import PolicyDep, SettingsDep, require_api_key
from api.errors import problem_responses
from checker.policy import Profile

router = APIRouter(tags=["reference"], dependencies=[Depends(require_api_key)])


class UploadLimits(BaseModel):
    """What a request may hold; larger uploads get 413, and a page over `max_pixels` or a
    file over `max_pages` is reported as a finding."""

    max_file_bytes: int
    max_request_bytes: int
    max_files: int
    max_pixels: int
    max_pages: int


class Policies(BaseModel):
    default_profile: str
    profiles: dict[str, Profile]
    limits: UploadLimits


@router.get("/v1/policies", responses=problem_responses(401))
async def list_policies(policy: PolicyDep, settings: SettingsDep) -> Policies:
    """The profiles an application can be checked against, and the upload limits."""
    return Policies(
        default_profile=settings.default_profile,
        profiles=policy.profiles,
        limits=UploadLimits(
            max_file_bytes=policy.limits.max_file_bytes,
            max_request_bytes=settings.max_request_bytes,
            max_files=settings.max_files,
            max_pixels=policy.limits.max_pixels,
            max_pages=policy.limits.max_pages,
        ),
    )
