"""The OpenAPI document: FastAPI's, plus the shapes that hand-parsed multipart bodies and
problem responses refer to (#/components/schemas/...)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.errors import Problem
from api.settings import Settings
from checker.policy import Policy
from schemas.declared import DeclaredFields

REF = "#/components/schemas/{model}"


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def multipart_body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """An operation's `openapi_extra` for a multipart/form-data body; a `declared` part is
    JSON (sent with its own Content-Type: application/json)."""
    content: dict[str, Any] = {
        "schema": {"type": "object", "properties": properties, "required": required}
    }
    if "declared" in properties:
        content["encoding"] = {"declared": {"contentType": "application/json"}}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": content}}}


DATE = {"type": "string", "format": "date", "description": "Date to check against; today if unset."}
LANG = {"type": "string", "enum": ["zh", "en"], "description": "zh or en; else Accept-Language."}
MASK = {"type": "boolean", "default": True, "description": "Mask personal data in the report."}
FILE = {"type": "string", "format": "binary"}


def declared_schema() -> dict[str, Any]:
    """DeclaredFields as the JSON part of a multipart body: each field a string or null.

    Written as `type: [string, null]` rather than pydantic's `anyOf`, which schemathesis's
    negative generator mutates into values the anyOf still allows.
    """
    return {
        "title": "DeclaredFields",
        "description": DeclaredFields.__doc__,
        "type": "object",
        "properties": {name: {"type": ["string", "null"]} for name in DeclaredFields.model_fields},
    }


def install(app: FastAPI, settings: Settings, policy: Policy) -> None:
    """Build the document once, adding Problem, DeclaredFields, ProfileName and UploadFiles."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template=REF)
        schemas.update(problem.pop("$defs", {}))
        schemas["Problem"] = problem
        schemas["DeclaredFields"] = declared_schema()
        schemas["ProfileName"] = {"type": "string", "enum": sorted(policy.profiles)}
        schemas["UploadFiles"] = {
            "type": "array",
            "items": FILE,
            "minItems": 1,
            "maxItems": settings.max_files,
        }
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
