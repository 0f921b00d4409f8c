"""A report speaks of a single photo as "the image", never as "page 1"; pages of a longer file
keep their numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.findings import new_finding
from checker.report import finish_report
from schemas.declared import DeclaredFields
from schemas.findings import Code
from schemas.report import DocumentReport


def _message(document: DocumentReport, page: int, lang: str) -> str:
    finding = new_finding(
        Code.IMAGE_BLURRY, file=document.file, page=page, sharpness=3, threshold=9
    )
    report = finish_report(
        [document],
        [finding],
        declared=DeclaredFields(),
        as_of=dt.date(2026, 11, 15),
        profile="personal_loan",
        lang=lang,
        mask=True,
    )
    return report.findings[0].message


@pytest.mark.parametrize(
    ("document", "page", "lang", "message"),
    [
        (
            DocumentReport(file="id.jpg", media_type="image/jpeg", pages=1),
            1,
            "en",
            "The text on the image is blurred",
        ),
        (DocumentReport(file="id.jpg", media_type="image/jpeg", pages=1), 1, "zh", "图片模糊"),
        (
            DocumentReport(file="c.pdf", media_type="application/pdf", pages=1),
            1,
            "en",
            "The text on the page is blurred",
        ),
        (
            DocumentReport(file="s.pdf", media_type="application/pdf", pages=4),
            2,
            "en",
            "The text on page 2 is blurred",
        ),
        (
            DocumentReport(file="s.pdf", media_type="application/pdf", pages=4),
            2,
            "zh",
            "第 2 页模糊",
        ),
    ],
    ids=["photo-en", "photo-zh", "one-page-pdf", "page-of-four-en", "page-of-four-zh"],
)
def test_page_findings_name_the_page_in_words(document, page, lang, message):
    assert _message(document, page, lang).startswith(message)
