"""Checking one document on its own, e.g. as soon as the applicant picks it."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import BaseModel, ConfigDict

from api.deps import (
    FormBool,
    PolicyDep,
    PoolDep,
    invalid,
    parse_fields,
    preferred_language,
    require_api_key,
)
from api.errors import ApiError, problem_responses
from api.openapi import DATE, FILE, LANG, MASK, multipart_body
from api.uploads import read_upload
from checker.check import check_single_document
from schemas.catalogue import Lang
from schemas.findings import Code
from schemas.report import DocumentReport

router = APIRouter(tags=["checks"], dependencies=[Depends(require_api_key)])


class DocumentForm(BaseModel):
    """The text fields of `POST /v1/documents/check` (the file comes as the `file` part)."""

    model_config = ConfigDict(extra="ignore")

    as_of: dt.date | None = None
    lang: Lang | None = None
    mask: FormBool = True


BODY = multipart_body({"file": FILE, "as_of": DATE, "lang": LANG, "mask": MASK}, required=["file"])


@router.post(
    "/v1/documents/check",
    response_model=DocumentReport,
    responses=problem_responses(400, 401, 413, 415, 422, 503),
    openapi_extra=BODY,
)
async def check_document(
    request: Request,
    policy: PolicyDep,
    pool: PoolDep,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """Check one file (multipart `file`): its kind, what was read, and its findings.

    A file of a type docready cannot read (its only finding is `file_unsupported`) is refused
    with 415, the finding in the problem's `findings`; every other problem with the file,
    empty, corrupt or unreadable, is a finding in a 200 report.
    """
    upload = await read_upload(request, max_file_bytes=policy.limits.max_file_bytes, max_files=1)
    form = parse_fields(DocumentForm, upload.fields)
    if not upload.files:
        raise invalid("file", "A file is required.")
    lang = form.lang or preferred_language(accept_language)

    report = await pool.run(
        partial(
            check_single_document,
            upload.files[0],
            as_of=form.as_of,
            lang=lang,
            mask=form.mask,
            policy=policy,
        )
    )
    if [finding.code for finding in report.findings] == [Code.FILE_UNSUPPORTED]:
        finding = report.findings[0]
        raise ApiError(415, "unsupported_file", finding.message, findings=report.findings)
    return Response(report.model_dump_json(), media_type="application/json")
