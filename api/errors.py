"""Every error the API returns, mapped in one place to RFC 9457 `application/problem+json`.

Routes raise `ApiError` (or let FastAPI raise its own); nothing else builds an error response.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from checker.ocr import OcrError
from schemas.findings import Finding

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:docready:problem:"


class FieldError(BaseModel):
    """One malformed request field."""

    field: str  # e.g. "as_of", "declared.id_number"
    loc: list[str | int]
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document, with docready's extension members."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None  # 422: the malformed fields
    findings: list[Finding] | None = None  # 415 from /v1/documents/check


class ApiError(Exception):
    """A request the API refuses; `code` becomes the problem type `urn:docready:problem:<code>`."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.headers = headers or {}
        self.extensions = extensions


def problem_response(
    status: int,
    *,
    code: str | None = None,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """The problem+json response for `status`; `code` names a docready-specific problem type."""
    problem = Problem(
        type=TYPE_PREFIX + code if code else "about:blank",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        **extensions,
    )
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


def field_errors(errors: Any, *, prefix: tuple[str | int, ...] = ()) -> list[FieldError]:
    """Pydantic/FastAPI error dicts as FieldErrors; `loc` loses its "body"/"query" head."""
    found = []
    for error in errors:
        loc = [*prefix, *error.get("loc", ())]
        if loc and loc[0] in ("body", "query", "header", "path", "form"):
            loc = loc[1:]
        field = ".".join(str(part) for part in loc) or "body"
        found.append(FieldError(field=field, loc=loc, message=str(error.get("msg", "invalid"))))
    return found


async def _api_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return problem_response(
        error.status,
        code=error.code,
        detail=error.detail,
        headers=error.headers,
        **error.extensions,
    )


async def _validation_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = field_errors(error.errors())
    detail = "; ".join(f"{item.field}: {item.message}" for item in errors)
    return problem_response(422, code="invalid_request", detail=detail, errors=errors)


async def _http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    return problem_response(error.status_code, detail=error.detail, headers=error.headers)


async def _ocr_error(_: Request, error: Exception) -> JSONResponse:
    logger.error("OCR engine unavailable: %s", error)
    return problem_response(503, code="ocr_unavailable", detail=str(error))


async def _unexpected(_: Request, error: Exception) -> JSONResponse:
    logger.exception("unhandled error", exc_info=error)
    return problem_response(500, detail="The server could not complete the request.")


def install(app: FastAPI) -> None:
    """Map every error the app can meet to a problem+json response."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OcrError, _ocr_error)
    app.add_exception_handler(Exception, _unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries documenting `statuses` as problem+json."""
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}},
        }
        for status in statuses
    }
