"""Shared fixtures: sample applications generated once per session by the fixtures package."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from checker.check import content_of as pipeline_content
from checker.document import Reading, Word
from checker.documents import Content
from checker.ingest import ingest
from checker.policy import default_policy
from checker.reading import read_document
from fixtures.application import build_case
from fixtures.cases import CASES, Case

COMMITTED = Path(__file__).parents[3] / "fixtures" / "applications"
SEED = 2026


class NoOcr:
    """A reader that fails the test if anything asks it to OCR a page."""

    name, version, languages, options = "no-ocr", "0", "", ""

    def read(self, image, *, dpi, page):
        raise AssertionError(f"OCR was called for page {page}")


@pytest.fixture(name="case_folder", scope="session")
def fixture_case_folder(tmp_path_factory):
    """Returns a function: case name -> its folder (committed, else generated once)."""
    root = tmp_path_factory.mktemp("applications")
    known = {case.name: case for case in CASES}

    def folder(name: str, case: Case | None = None) -> Path:
        if (COMMITTED / name / "expected.json").is_file():
            return COMMITTED / name
        if not (root / name).is_dir():
            build_case(case or known[name], SEED, root)
        return root / name

    return folder


def statement_files(folder: Path) -> list[Path]:
    """The statement documents of a case folder, in name (= date) order."""
    return sorted(path for path in folder.glob("statement_*") if not path.name.endswith(".json"))


def content_of(path: Path, reader=None) -> Content:
    """What the pipeline hands a document module for this file (no OCR unless a reader):
    the readings, the tables, and the read pages with the reader (to read regions again)."""
    document = ingest(path, limits=default_policy().limits)
    readings, _ = read_document(document, reader or NoOcr())
    return pipeline_content(document, readings, reader)


def make_reading(words, *, page=1, source="text_layer") -> Reading:
    """A Reading from (text, box) or (text, box, confidence) tuples."""
    made = [
        Word(item[0], item[1], item[2] if len(item) > 2 else 1.0, line=(0, 0, index))
        for index, item in enumerate(words)
    ]
    return Reading(page=page, words=made, source=source)


@pytest.fixture(name="helpers", scope="session")
def fixture_helpers():
    """The helper functions above, for test modules (conftest is not importable)."""
    return SimpleNamespace(
        statement_files=statement_files,
        content_of=content_of,
        make_reading=make_reading,
        no_ocr=NoOcr,
    )
