"""A new document kind needs its module, its model and its policy entry, and nothing else:
a kind kept in the fixtures (a residence certificate) is registered and goes through
classification, the report and the application rules."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest

from checker.check import run_application
from checker.documents import register_kind, unregister_kind
from checker.policy import Profile, Requirement, default_policy
from fixtures import extra_kind
from schemas.findings import Code

SAMPLE = Path(__file__).parents[2] / "fixtures" / "applications" / "clean_id_certificate_pdf"
AS_OF = dt.date(2026, 11, 15)


@pytest.fixture(name="registered", autouse=True)
def _registered():
    register_kind(sys.modules[extra_kind.__name__])
    yield
    unregister_kind(extra_kind.KIND)


def _holder() -> tuple[str, str]:
    truth = json.loads((SAMPLE / "id_front.jpg.truth.json").read_text(encoding="utf-8"))
    return truth["fields"]["name"]["value"], truth["fields"]["id_number"]["value"]


def _policy():
    """The default policy with one profile that asks for the ID card and the new kind."""
    policy = default_policy()
    profile = Profile(
        label={"zh": "居住核验", "en": "residence check"},
        requires=[
            Requirement(name={"zh": "身份证", "en": "ID card"}, any_of=[["cn_id_front"]]),
            Requirement(
                name={"zh": "居住证明", "en": "residence certificate"},
                any_of=[[extra_kind.KIND]],
            ),
        ],
    )
    return policy.model_copy(update={"profiles": {**policy.profiles, "residence": profile}})


def _check(tmp_path: Path, name: str | None, id_number: str = ""):
    shutil.copy(SAMPLE / "id_front.jpg", tmp_path / "id_front.jpg")
    if name is not None:
        pdf = extra_kind.residence_certificate_pdf(name, id_number)
        (tmp_path / "residence.pdf").write_bytes(pdf)
    return run_application(
        [tmp_path], profile="residence", policy=_policy(), as_of=AS_OF, lang="en", mask=False
    )


def _residence(report):
    return next(doc for doc in report.documents if doc.file == "residence.pdf")


def test_the_new_kind_is_classified_read_and_reported(tmp_path):
    name, number = _holder()
    report = _check(tmp_path, name, number)
    document = _residence(report)
    assert document.kind == extra_kind.KIND
    assert document.fields.holder_name().read.value == name
    written = json.loads(report.to_json())
    fields = next(doc for doc in written["documents"] if doc["file"] == "residence.pdf")["fields"]
    assert fields["kind"] == extra_kind.KIND
    assert (fields["name"]["value"], fields["id_number"]["value"]) == (name, number)
    assert not [f for f in report.findings if f.file == "residence.pdf"]


def test_another_persons_certificate_is_a_name_and_number_mismatch(tmp_path):
    name, _number = _holder()
    other_name = "欧阳" + name[-1] if not name.startswith("欧阳") else "诸葛亮"
    other_number = "11010519491231002X"
    report = _check(tmp_path, other_name, other_number)
    codes = {f.code for f in report.findings if f.file == "residence.pdf"}
    assert {Code.NAME_MISMATCH, Code.ID_NUMBER_MISMATCH} <= codes
    mismatch = next(f for f in report.findings if f.code == Code.NAME_MISMATCH)
    assert "residence certificate" in mismatch.message  # the kind's label, from its model


def test_the_policy_entry_asks_for_the_new_kind(tmp_path):
    report = _check(tmp_path, None)
    missing = [f for f in report.findings if f.code == Code.DOCUMENT_MISSING]
    assert [f.ctx.get("document") for f in missing] == [
        {"zh": "居住证明", "en": "residence certificate"}
    ]
