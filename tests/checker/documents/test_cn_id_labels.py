"""The resident ID card read by its printed labels from the second reader's page reading.

Real RapidOCR and tesseract on committed card images. The label reading alone must read a
clean card (tesseract's pipeline is not asked); a field that cannot be read on a good image is
a warning naming it, never an error.
"""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

import checker
from checker.check import check_parts
from checker.documents import _cn_id_labels, cn_id_back
from checker.documents._cn_id_front_layout import Front
from checker.ocr import get_reader
from checker.policy import default_policy
from schemas.findings import Code, Severity
from schemas.report import Verdict

pytestmark = pytest.mark.ocr
CASE = Path(__file__).parents[3] / "fixtures" / "applications" / "clean_id_certificate_pdf"
AS_OF = dt.date(2026, 11, 15)


def _truth(name):
    fields = json.loads((CASE / f"{name}.truth.json").read_text("utf-8"))["fields"]
    return {key: field["value"] for key, field in fields.items()}


def _check(source):
    policy = default_policy()
    [part] = check_parts(source, policy=policy, reader=get_reader(policy.ocr), as_of=AS_OF)
    return part.report


def _shown(value):
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def test_a_clean_front_is_read_by_its_labels_alone(monkeypatch):
    def no_fallback(self):
        raise AssertionError("tesseract's pipeline was asked")

    monkeypatch.setattr(Front, "extract", no_fallback)
    report = _check(CASE / "id_front.jpg")
    truth = _truth("id_front.jpg")
    read = {name: _shown(field.value) for name, field in report.fields.items()}
    assert read == {name: truth[name] for name in read}
    assert report.findings == []


def test_a_clean_back_is_read_by_its_labels_alone(monkeypatch):
    def no_fallback(*args):
        raise AssertionError("tesseract's pipeline was asked")

    monkeypatch.setattr(cn_id_back, "_read", no_fallback)
    report = _check(CASE / "id_back.jpg")
    truth = _truth("id_back.jpg")
    for name in ("issuing_authority", "valid_from", "valid_until"):
        assert _shown(report.fields[name].value) == truth[name]
    assert report.findings == []


def test_a_field_not_read_on_a_good_image_is_a_warning_that_names_it():
    image = Image.open(CASE / "id_front.jpg").convert("RGB")
    box = json.loads((CASE / "id_front.jpg.truth.json").read_text("utf-8"))["fields"]["name"]["box"]
    left, top, right, bottom = box
    ImageDraw.Draw(image).rectangle(
        (left - 6, top - 6, right + 6, bottom + 6), fill=(236, 242, 240)
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    report = checker.check_application(
        [("id_front.jpg", buffer.getvalue()), CASE / "id_back.jpg"],
        profile="identity_only",
        as_of=AS_OF,
        lang="en",
    )
    unread = [f for f in report.findings if f.code == Code.FIELD_UNREADABLE]
    assert [(f.field, f.severity) for f in unread] == [("name", Severity.WARNING)]
    assert "name" in unread[0].message
    assert report.verdict == Verdict.REVIEW


@pytest.mark.parametrize(
    ("row", "field", "value"),
    [
        ("姓名田康勇", "name", "田康勇"),
        ("姓名张三性别男", "name", "张三"),  # two rows read as one run
        ("性别男民族汉", "sex", "男"),
        ("性别男民族汉", "ethnicity", "汉"),
        ("出生1969年10月1日", "birth_date", "1969年10月1日"),
        ("住址青海省玉树藏族自治州", "address", "青海省玉树藏族自治州"),
        ("公民身份号码632724196910019233", "id_number", "632724196910019233"),
    ],
)
def test_a_value_runs_from_its_label_to_the_next(row, field, value):
    match = _cn_id_labels.FRONT[field].search(row)
    assert match is not None
    assert match.group("value") == value


def test_a_label_is_never_a_value():
    assert _cn_id_labels.FRONT["name"].search("姓名民族布朗") is None
