"""docready: are an application's documents ready to submit, and what is there to fix?

The public API, for intake forms and other Python callers:

    import checker
    report = checker.check_application(["id_front.jpg", "id_back.jpg", "statement.pdf"])
    report.verdict            # ready / review / not_ready
    report.findings           # what to fix, in zh or en
    checker.check_fields({"id_number": "11010519900307123X"})   # live form validation

Importing this package does not import the HTTP API or the CLI.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from schemas.catalogue import Lang
from schemas.declared import DeclaredFields
from schemas.findings import Finding
from schemas.report import DocumentReport, Report

if TYPE_CHECKING:
    from checker.ocr import Reader

__all__ = ["check_application", "check_document", "check_fields"]

PathLike = str | os.PathLike[str]


def check_application(
    paths: Iterable[PathLike] | PathLike,
    *,
    declared: dict[str, Any] | None = None,
    profile: str = "personal_loan",
    as_of: dt.date | None = None,
    lang: Lang = "zh",
    mask: bool = True,
    reader: Reader | None = None,
) -> Report:
    """Check all files of one application (files, or a folder of them) against a profile.

    `reader`: one OCR reader kept for many checks (`checker.ocr.get_reader(policy.ocr)`), as
    a server or a batch worker keeps one; by default the policy's reader."""
    from checker.check import run_application

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    return run_application(
        paths,
        declared=declared,
        profile=profile,
        as_of=as_of,
        lang=lang,
        mask=mask,
        reader=reader,
    )


def check_document(
    path: PathLike,
    *,
    as_of: dt.date | None = None,
    lang: Lang = "zh",
    mask: bool = True,
    reader: Reader | None = None,
) -> DocumentReport:
    """Check one file on its own: reading, quality, kind and the checks of its kind."""
    from checker.check import check_single_document

    return check_single_document(path, as_of=as_of, lang=lang, mask=mask, reader=reader)


def check_fields(declared: dict[str, Any] | DeclaredFields, *, lang: Lang = "zh") -> list[Finding]:
    """Validate the intake form's fields alone, without documents (sub-millisecond)."""
    from checker.fields import declared_findings, parse_declared
    from checker.findings import localize

    return localize(declared_findings(parse_declared(declared)), lang)
