"""Making findings from the catalogue, and putting them into the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from schemas.catalogue import Lang, catalogue
from schemas.findings import Code, Evidence, Finding, Severity


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


class _KeepMissing(dict[str, Any]):
    """Format mapping that leaves an unknown {placeholder} visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _in_lang(value: Any, lang: Lang) -> str:
    """A ctx value as text; a {"zh": …, "en": …} mapping gives the wording in `lang`."""
    if isinstance(value, dict) and lang in value:
        return str(value[lang])
    return str(value)


def localize(findings: Iterable[Finding], lang: Lang) -> list[Finding]:
    """Copies of the findings with message and hint in `lang`, filled from their ctx."""
    localized = []
    for finding in findings:
        wording = getattr(catalogue()[finding.code], lang)
        values = _KeepMissing({key: _in_lang(value, lang) for key, value in finding.ctx.items()})
        localized.append(
            finding.model_copy(
                update={
                    "message": wording.message.format_map(values),
                    "hint": wording.hint.format_map(values),
                }
            )
        )
    return localized
