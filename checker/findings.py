"""Making findings from the catalogue, and putting them into the reader's language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from schemas.catalogue import Lang, catalogue, field_label
from schemas.findings import Code, Evidence, Finding, Severity
from schemas.reads import Read


def new_finding(
    code: Code,
    *,
    file: str | None = None,
    field: str | None = None,
    severity: Severity | None = None,
    evidence: Evidence | None = None,
    loc: tuple[str | int, ...] = (),
    **ctx: Any,
) -> Finding:
    """A finding with the catalogue's default severity; wording is filled by `localize`."""
    return Finding(
        code=code,
        severity=severity or catalogue()[code].severity,
        message="",
        hint="",
        file=file,
        field=field,
        loc=loc,
        ctx=ctx,
        evidence=evidence,
    )


def read_evidence(file: str, read: Read[Any] | None) -> Evidence:
    """Where a value was read: its page, box, text as read and confidence (the file alone
    when it was not read)."""
    if read is None:
        return Evidence(file=file)
    return Evidence(
        file=file, page=read.page, box=read.box, text=read.raw, confidence=read.confidence
    )


def field_finding(
    code: Code,
    file: str,
    field: str,
    read: Read[Any] | None,
    *,
    label: str | None = None,
    kind: str | None = None,
    severity: Severity | None = None,
    **ctx: Any,
) -> Finding:
    """A finding about one field of a document: where it was read, and what findings call it
    (the field's name, or `label`'s, as `kind` prints it)."""
    return new_finding(
        code,
        file=file,
        field=field,
        severity=severity,
        evidence=read_evidence(file, read),
        label=field_label(label or field, kind),
        **ctx,
    )


class _KeepMissing(dict[str, Any]):
    """Format mapping that leaves an unknown {placeholder} visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _in_lang(value: Any, lang: Lang) -> str:
    """A ctx value as text; a {"zh": …, "en": …} mapping gives the wording in `lang`."""
    if isinstance(value, dict) and lang in value:
        return str(value[lang])
    return str(value)


# where a page finding is: "page 2" in a file of several pages; in a one-page file, the image
# or the page itself (a single photo has no "page 1" to its reader)
PAGE_WORDS = {
    "zh": {"page": "第 {page} 页", "image": "图片", "single_page": "该页"},
    "en": {"page": "page {page}", "image": "the image", "single_page": "the page"},
}


def _where(finding: Finding, lang: Lang, single_pages: Mapping[str, str]) -> str | None:
    page = finding.ctx.get("page")
    if not isinstance(page, int):
        return None
    single = single_pages.get(finding.file or "")
    return PAGE_WORDS[lang][single] if single else PAGE_WORDS[lang]["page"].format(page=page)


def localize(
    findings: Iterable[Finding], lang: Lang, *, single_pages: Mapping[str, str] | None = None
) -> list[Finding]:
    """Copies of the findings with message and hint in `lang`, filled from their ctx.

    `single_pages` names the files of one page ("image" or "single_page"): their page
    findings say "the image" rather than "page 1"."""
    localized = []
    for finding in findings:
        wording = getattr(catalogue()[finding.code], lang)
        values = _KeepMissing({key: _in_lang(value, lang) for key, value in finding.ctx.items()})
        where = _where(finding, lang, single_pages or {})
        if where is not None:
            values["where"] = where
        localized.append(
            finding.model_copy(
                update={
                    "message": wording.message.format_map(values),
                    "hint": wording.hint.format_map(values),
                }
            )
        )
    return localized
