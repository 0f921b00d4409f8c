"""Checking a whole application: every file, the typed-in fields, and the product's checklist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Json

from api.deps import (
    FormBool,
    PolicyDep,
    PoolDep,
    SettingsDep,
    invalid,
    parse_fields,
    preferred_language,
    require_api_key,
)
from api.errors import problem_responses
from api.openapi import DATE, LANG, MASK, multipart_body, ref
from api.uploads import read_upload
from api.workers import WorkerPool
from checker.check import CheckedFile, application_report, check_side_by_side
from checker.fields import parse_declared
from checker.html import render_html
from checker.policy import Policy
from schemas.catalogue import Lang
from schemas.declared import DeclaredFields
from schemas.report import Report

router = APIRouter(tags=["checks"], dependencies=[Depends(require_api_key)])


class CheckForm(BaseModel):
    """The text fields of `POST /v1/checks` (the files come as `files` parts)."""

    model_config = ConfigDict(extra="ignore")

    declared: Json[DeclaredFields] | None = None
    profile: str | None = None
    as_of: dt.date | None = None
    lang: Lang | None = None
    mask: FormBool = True
    html: FormBool = False


BODY = multipart_body(
    {
        "files": ref("UploadFiles"),
        "declared": ref("DeclaredFields"),
        "profile": ref("ProfileName"),
        "as_of": DATE,
        "lang": LANG,
        "mask": MASK,
        "html": {
            "type": "boolean",
            "default": False,
            "description": "Return the HTML report with marked crops instead of JSON.",
        },
    },
    required=["files"],
)


@router.post(
    "/v1/checks",
    response_model=Report,
    responses={
        200: {
            "description": "The report (JSON), or with `html=true` the HTML report",
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
        **problem_responses(400, 401, 413, 415, 422, 503),
    },
    openapi_extra=BODY,
)
async def check_application(
    request: Request,
    policy: PolicyDep,
    settings: SettingsDep,
    pool: PoolDep,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """Check one application's files (multipart `files`, one part per file) with the
    declared fields; the verdict and every finding, each once, as `Report.to_json` writes it.

    An unsupported or unreadable file is a finding in the report, not an error: the report
    lists everything to fix at once.
    """
    upload = await read_upload(
        request, max_file_bytes=policy.limits.max_file_bytes, max_files=settings.max_files
    )
    form = parse_fields(CheckForm, upload.fields)
    if not upload.files:
        raise invalid("files", "At least one file is required.")
    profile = settings.default_profile if form.profile is None else form.profile
    if profile not in policy.profiles:
        known = ", ".join(sorted(policy.profiles))
        raise invalid("profile", f"Unknown profile {profile!r}; known: {known}.")
    lang = form.lang or preferred_language(accept_language)

    options = ReportOptions(
        declared=form.declared,
        profile=profile,
        as_of=form.as_of or dt.date.today(),
        lang=lang,
        mask=form.mask,
        policy=policy,
        html=form.html,
    )
    body, verdict = await pool.run_steps(
        partial(checked_application, files=upload.files, options=options)
    )
    if form.html:
        return HTMLResponse(body, headers={"Docready-Verdict": verdict})
    return Response(body, media_type="application/json")


@dataclass(frozen=True)
class ReportOptions:
    """What the report is written for: the typed-in fields, profile, day, language, masking,
    policy, and HTML or JSON."""

    declared: DeclaredFields | None
    profile: str
    as_of: dt.date
    lang: Lang
    mask: bool
    policy: Policy
    html: bool


def checked_application(
    pool: WorkerPool, *, files: list[tuple[str, bytes]], options: ReportOptions
) -> tuple[str, str]:
    """The report as the response's body (JSON, or the HTML page) and its verdict. Each file
    is checked by whichever worker process is free (`check_side_by_side`: a free worker takes
    the next file of the same application, or pages of its scanned PDF); one of them then
    writes the report."""
    checked = pool.spread(
        lambda submit, workers: check_side_by_side(
            submit, workers, files, policy=options.policy, as_of=options.as_of
        )
    )
    return pool.call(partial(written_report, checked, files if options.html else [], options))


def written_report(
    checked: list[CheckedFile], files: list[tuple[str, bytes]], options: ReportOptions
) -> tuple[str, str]:
    """The application's report from its checked files, as JSON or as the HTML page (which
    shows crops of `files`), and its verdict; at module level, so that a worker process can
    write it."""
    report = application_report(
        checked,
        parse_declared(options.declared),
        policy=options.policy,
        profile=options.profile,
        as_of=options.as_of,
        lang=options.lang,
        mask=options.mask,
    )
    if options.html:
        return render_html(report, files, policy=options.policy), report.verdict.value
    return report.to_json(indent=None), report.verdict.value
