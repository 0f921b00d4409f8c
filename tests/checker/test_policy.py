"""Policies load from YAML; a bad file names its file and line."""

from pathlib import Path

import pytest

from checker.policy import PolicyError, default_policy, load_policy

DEFAULT = (Path(__file__).parents[2] / "checker" / "policies" / "default.yaml").read_text("utf-8")


def test_default_policy_has_the_personal_loan_profile():
    policy = default_policy()
    assert "personal_loan" in policy.profiles
    assert policy.recency.statement_months == 6


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("max_pages: 50", "max_pages: -1", ":{line}: limits.max_pages"),
        ("timeout_seconds: 60", "timeout_seconds: soon", ":{line}: ocr.timeout_seconds"),
        ("  min_age: 18", "  min_age: 18\n  favourite_colour: red", "applicant.favourite_colour"),
    ],
    ids=["negative-limit", "not-a-number", "unknown-key"],
)
def test_bad_policy_names_file_line_and_field(tmp_path, old, new, where):
    path = tmp_path / "policy.yaml"
    assert old in DEFAULT
    path.write_text(DEFAULT.replace(old, new), encoding="utf-8")
    with pytest.raises(PolicyError) as raised:
        load_policy(path)
    line = next(number for number, text in enumerate(DEFAULT.splitlines(), 1) if old in text)
    assert str(path) in str(raised.value)
    assert where.format(line=line) in str(raised.value)


def test_broken_yaml_is_a_policy_error(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text("limits: [unclosed", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy(path)


def test_missing_policy_file_is_a_policy_error(tmp_path):
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "nope.yaml")
