"""Assembling the report: findings in the reader's language, personal data masked, verdict."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checker.findings import localize
from checker.privacy import Scrubber, mask_pair, mask_value, masked_forms, personal_style
from schemas.catalogue import Lang
from schemas.declared import DeclaredFields
from schemas.findings import Code, Finding
from schemas.report import DocumentReport, Report, verdict_of


def _scrubber(documents: list[DocumentReport], declared: DeclaredFields) -> Scrubber:
    pairs = [
        pair
        for doc in documents
        for name, field in doc.fields.items()
        for pair in masked_forms(name, field.value, doc.kind)
    ]
    pairs += [
        pair for name, value in declared.model_dump().items() for pair in masked_forms(name, value)
    ]
    return Scrubber(pairs)


def _mask_fields(document: DocumentReport) -> DocumentReport:
    """Every personal field's value masked and its text as read left out (read with no value,
    it is not a value the scrubber knows)."""
    kind = document.kind
    masked = {
        name: field.model_copy(update={"value": mask_value(name, field.value, kind), "raw": None})
        for name, field in document.fields.items()
        if personal_style(name, kind) is not None
    }
    return document.model_copy(update={"fields": document.fields.model_copy(update=masked)})


@dataclass(frozen=True)
class Sides:
    """The ctx keys of the two values a comparison finding names, and the field whose mask
    fits them (None: the finding's own field, as for a form field against a document)."""

    keys: tuple[str, str]
    field: str | None


# findings that compare two values of a personal field; the others compare amounts, dates of
# issue or company names, which are not masked
COMPARED = {
    Code.NAME_MISMATCH: Sides(("found", "expected"), "name"),
    Code.NAME_LIKELY_MISREAD: Sides(("found", "expected"), "name"),
    Code.HOLDER_MISMATCH: Sides(("found", "expected"), "name"),
    Code.ID_NUMBER_MISMATCH: Sides(("found", "expected"), "id_number"),
    Code.ID_BIRTH_DATE_MISMATCH: Sides(("printed", "from_number"), "birth_date"),
    Code.DECLARED_MISMATCH: Sides(("declared", "found"), None),
}


def _mask_compared(finding: Finding) -> Finding:
    """Both sides of a comparison masked by one rule (`mask_pair`): what differs stays
    visible, in the message, the ctx and the evidence alike."""
    sides = COMPARED.get(finding.code)
    if sides is None:
        return finding
    field = sides.field or finding.field or ""
    first, second = (finding.ctx.get(key) for key in sides.keys)
    if not isinstance(first, str) or not isinstance(second, str):
        return finding
    masked = mask_pair(field, first, second)
    evidence = finding.evidence
    if evidence is not None and evidence.text is not None:
        evidence = evidence.model_copy(update={"text": masked[0]})  # where the first was read
    ctx = {**finding.ctx, **dict(zip(sides.keys, masked, strict=True))}
    return finding.model_copy(update={"ctx": ctx, "evidence": evidence})


def _mask_evidence(finding: Finding, kinds: dict[str, list[str]]) -> Finding:
    """A finding about a personal field with its evidence, the field's text as read, masked as
    the field is: a misread (`44030519961207O327`) or a name read spaced out (`杨 秀 兰`) is no
    value the scrubber knows. `kinds` are each file's kinds (a file split in parts has several:
    the field is masked if it is personal in any of them)."""
    evidence = finding.evidence
    if finding.code in COMPARED or finding.field is None or evidence is None or not evidence.text:
        return finding  # a comparison's evidence is masked with its two sides
    field = finding.field
    file_kinds: list[str | None] = [*kinds.get(finding.file or "", [])] or [None]
    personal = [kind for kind in file_kinds if personal_style(field, kind)]
    if not personal:
        return finding
    text = str(mask_value(field, evidence.text, personal[0]))
    return finding.model_copy(update={"evidence": evidence.model_copy(update={"text": text})})


def _single_pages(documents: list[DocumentReport]) -> dict[str, str]:
    """The files of one page: "image" for a photo or scan, "single_page" for a PDF page."""
    pages: dict[str, int] = {}
    for document in documents:  # a split file is several documents of one file
        pages[document.file] = max(pages.get(document.file, 0), document.pages)
    return {
        document.file: "image"
        if (document.media_type or "").startswith("image/")
        else "single_page"
        for document in documents
        if pages[document.file] == 1
    }


def finish_report(
    documents: list[DocumentReport],
    findings: list[Finding],
    *,
    declared: DeclaredFields,
    as_of: dt.date,
    profile: str,
    lang: Lang,
    mask: bool,
) -> Report:
    """Put findings into `lang`, mask personal data if asked, and give the verdict."""
    if mask:
        kinds: dict[str, list[str]] = {}
        for document in documents:
            kinds.setdefault(document.file, []).append(document.kind)
        findings = [_mask_evidence(_mask_compared(finding), kinds) for finding in findings]
        documents = [
            document.model_copy(
                update={"findings": [_mask_evidence(f, kinds) for f in document.findings]}
            )
            for document in documents
        ]
    single_pages = _single_pages(documents)
    documents = [
        document.model_copy(
            update={"findings": localize(document.findings, lang, single_pages=single_pages)}
        )
        for document in documents
    ]
    report = Report(
        verdict=verdict_of(findings),
        as_of=as_of,
        profile=profile,
        lang=lang,
        masked=mask,
        documents=documents,
        findings=localize(findings, lang, single_pages=single_pages),
    )
    if not mask:
        return report
    scrubber = _scrubber(documents, declared)
    report.documents = [_mask_fields(document) for document in report.documents]
    return scrubber.model(report)
