"""Real tesseract on the committed fixture identity documents, one test per case and file.

Clean files: every identity field read exactly (compared with the truth JSON). Files with a
planted identity or quality defect: its expected code found. No clean file gets an error.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from checker.check import Checked, check_file
from checker.ocr import Reader, get_reader
from checker.policy import default_policy
from schemas.findings import Severity

APPLICATIONS = Path(__file__).parents[3] / "fixtures" / "applications"
AS_OF = dt.date(2026, 11, 15)
KINDS = ("cn_id_front", "cn_id_back", "passport")
# truth name -> field name, where the truth file names a field otherwise
TRUTH_NAMES = {"passport": {"issuing_country": "country", "document_number": "passport_number"}}
DEFECT_CODES = {
    "id_expired": "id_expired",
    "id_check_digit": "id_number_invalid",
    "id_birth_date": "id_birth_date_mismatch",
    "id_sex": "id_sex_mismatch",
    "image_blurry": "image_blurry",
    "image_glare": "image_glare",
    "image_cut_off": "image_cut_off",
    "image_low_resolution": "image_low_resolution",
}


def _files() -> list[tuple[str, str, dict]]:
    found = []
    for truth_path in sorted(APPLICATIONS.glob("*/*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if truth["kind"] in KINDS:
            found.append((truth_path.parent.name, truth["file"], truth))
    return found


FILES = _files()


def _param(test: str, case: str, file: str, truth: dict):
    return pytest.param(case, file, truth, id=f"{case}/{file}")


@pytest.fixture(name="reader", scope="module")
def fixture_reader() -> Reader:
    return get_reader(default_policy().ocr)


_CHECKED: dict[tuple[str, str], Checked] = {}


def checked(case: str, file: str, reader: Reader) -> Checked:
    if (case, file) not in _CHECKED:
        path = APPLICATIONS / case / file
        _CHECKED[case, file] = check_file(path, policy=default_policy(), reader=reader, as_of=AS_OF)
    return _CHECKED[case, file]


def _value(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _is_clean(truth: dict) -> bool:
    degradations = {step["name"] for step in truth["degradations"]}
    return not truth["defects"] and not degradations & {"blur", "cut_off", "low_resolution"}


CLEAN_FIELDS = [_param("fields", *item) for item in FILES if _is_clean(item[2])]
CLEAN = [_param("errors", *item) for item in FILES if _is_clean(item[2])]
PLANTED = [_param("planted", *item) for item in FILES if item[2]["defects"]]


@pytest.mark.ocr
@pytest.mark.parametrize(("case", "file", "truth"), CLEAN_FIELDS)
def test_clean_identity_fields_are_read_exactly(case: str, file: str, truth: dict, reader) -> None:
    report = checked(case, file, reader).report
    assert report.kind == truth["kind"]
    names = TRUTH_NAMES.get(truth["kind"], {})
    wrong = {}
    for name, field in report.fields.items():
        truth_name = names.get(name, name)
        if truth_name not in truth["fields"]:
            continue
        want = truth["fields"][truth_name]["value"]
        got = _value(field.value)
        if name == "valid_until" and want == "长期":
            got = "长期" if report.fields["long_term"].value else got
        if got != want:
            wrong[name] = (got, want)
    assert wrong == {}


@pytest.mark.ocr
@pytest.mark.parametrize(("case", "file", "truth"), CLEAN)
def test_clean_identity_file_has_no_error(case: str, file: str, truth: dict, reader) -> None:
    findings = checked(case, file, reader).report.findings
    assert [f.code.value for f in findings if f.severity == Severity.ERROR] == []


@pytest.mark.ocr
@pytest.mark.parametrize(("case", "file", "truth"), PLANTED)
def test_planted_defect_gives_its_code(case: str, file: str, truth: dict, reader) -> None:
    findings = checked(case, file, reader).report.findings
    codes = {finding.code.value for finding in findings}
    expected = {DEFECT_CODES[defect] for defect in truth["defects"]}
    assert expected <= codes
    errors = {f.code.value for f in findings if f.severity == Severity.ERROR}
    assert errors <= expected
