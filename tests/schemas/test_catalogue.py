"""The finding catalogue: every code has wording in both languages, placeholders fill."""

import re
import string
from pathlib import Path

import pytest

from checker.findings import localize, new_finding
from schemas.catalogue import catalogue
from schemas.findings import Code


@pytest.mark.parametrize("code", list(Code), ids=[code.value for code in Code])
def test_every_code_has_both_languages(code):
    entry = catalogue()[code]
    assert entry.zh.message and entry.zh.hint and entry.en.message and entry.en.hint


@pytest.mark.parametrize("code", list(Code), ids=[code.value for code in Code])
def test_placeholders_are_the_same_in_both_languages(code):
    entry = catalogue()[code]

    def names(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert names(entry.zh.message) | names(entry.zh.hint) == names(entry.en.message) | names(
        entry.en.hint
    )


def test_localize_fills_placeholders_from_ctx():
    finding = new_finding(Code.FILE_TOO_LARGE, file="a.jpg", size=30, limit=20)
    (english,) = localize([finding], "en")
    (chinese,) = localize([finding], "zh")
    assert "30" in english.message and "20" in english.message
    assert "30" in chinese.message and "字节" in chinese.message


def test_localize_picks_the_language_of_a_bilingual_ctx_value():
    finding = new_finding(Code.DOCUMENT_MISSING, document={"zh": "银行流水", "en": "statements"})
    (english,) = localize([finding], "en")
    (chinese,) = localize([finding], "zh")
    assert "statements" in english.message and "银行流水" in chinese.message


def test_a_missing_ctx_value_stays_visible_instead_of_raising():
    (finding,) = localize([new_finding(Code.FILE_TOO_LARGE)], "en")
    assert "{size}" in finding.message


@pytest.mark.parametrize(
    ("lang", "kinds"),
    [
        ("zh", ("居住证", "纳税记录", "公积金", "社保", "营业执照")),
        ("en", ("residence permit", "tax record", "housing fund", "social insurance", "licence")),
    ],
    ids=["zh", "en"],
)
def test_an_unknown_document_hint_names_the_newer_kinds(lang, kinds):
    (finding,) = localize([new_finding(Code.DOCUMENT_UNKNOWN)], lang)
    assert [kind for kind in kinds if kind not in finding.hint] == []


def test_the_unsupported_file_hint_names_every_type_ingest_reads():
    """Every file type ingest reads is named where a user is told what to upload: the
    `file_unsupported` hint (zh and en) and the intake page's file picker."""
    from checker.ingest import Kind

    entry = catalogue()[Code.FILE_UNSUPPORTED]
    page = (Path(__file__).parents[2] / "api" / "static" / "index.html").read_text("utf-8")
    for kind in Kind:
        if kind is Kind.OTHER:
            continue
        shown = "HEIC" if kind is Kind.HEIF else kind.value.upper()
        for hint in (entry.zh.hint, entry.en.hint):
            assert shown in re.findall(r"[A-Za-z]+", hint.upper()), (kind, hint)
        if kind in (Kind.XLSX, Kind.XLS, Kind.ODS, Kind.CSV, Kind.HEIF):
            assert f".{'heic' if kind is Kind.HEIF else kind.value}" in page, kind
