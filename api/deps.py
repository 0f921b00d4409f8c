"""Dependencies the routers share: the app's settings, policy and pool, the API key, the
reader's language, and turning form fields into a validated model."""

from __future__ import annotations

import hmac
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, BeforeValidator, Strict, ValidationError

from api.errors import ApiError
from api.settings import Settings
from api.workers import WorkerPool
from checker.policy import Policy
from schemas.catalogue import Lang

M = TypeVar("M", bound=BaseModel)

_api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="Needed when the server has API keys set."
)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_policy(request: Request) -> Policy:
    """The policy in force: the policy file's, with limits lowered by the settings."""
    policy: Policy = request.app.state.policy
    return policy


def get_pool(request: Request) -> WorkerPool:
    pool: WorkerPool = request.app.state.pool
    return pool


def require_api_key(
    settings: Annotated[Settings, Depends(get_settings)],
    key: Annotated[str | None, Security(_api_key_header)] = None,
) -> None:
    """Refuses the request with 401 unless API keys are off or `X-API-Key` is one of them."""
    if not settings.api_keys:
        return
    given = (key or "").encode()
    keys = [key.get_secret_value().encode() for key in settings.api_keys]
    if not any(hmac.compare_digest(given, known) for known in keys):
        raise ApiError(401, "unauthorized", "Send a valid API key in the X-API-Key header.")


SettingsDep = Annotated[Settings, Depends(get_settings)]
PolicyDep = Annotated[Policy, Depends(get_policy)]
PoolDep = Annotated[WorkerPool, Depends(get_pool)]


def preferred_language(accept_language: str | None, default: Lang = "zh") -> Lang:
    """zh or en, whichever `Accept-Language` ranks higher (the first listed on a tie)."""
    ranked: list[tuple[float, int, Lang]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("zh", "en"):
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if quality > 0:
            ranked.append((-quality, position, "zh" if primary == "zh" else "en"))
    return min(ranked)[2] if ranked else default


def _form_bool(value: Any) -> Any:
    """A form's "true"/"false" (what OpenAPI's boolean is in a multipart part), strictly."""
    if isinstance(value, str):
        if value not in ("true", "false"):
            raise ValueError('expected "true" or "false"')
        return value == "true"
    return value


FormBool = Annotated[bool, BeforeValidator(_form_bool), Strict()]


def parse_fields(model: type[M], fields: dict[str, Any]) -> M:
    """Form fields as `model`; a malformed one is a 422 that names it."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from None


def invalid(field: str, message: str) -> RequestValidationError:
    """A 422 naming `field` (a form part that is missing or not allowed)."""
    return RequestValidationError([{"loc": (field,), "msg": message, "type": "value_error"}])
