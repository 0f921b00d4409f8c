"""`docready demo`: one line per sample within 80 columns, a summary, exit 1 if any differs.
The samples' checks are stood in for by reports built from their expected codes."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

import checker.demo
from checker.cli import app
from checker.demo import Outcome, format_line, run_demo
from checker.findings import new_finding
from schemas.findings import Code
from schemas.report import Report, Verdict, verdict_of

APPLICATIONS = Path(__file__).resolve().parents[2] / "fixtures" / "applications"


def _sample(root: Path, name: str, codes: list[str]) -> None:
    (root / name).mkdir()
    expected = {"case": name, "as_of": "2026-11-15", "profile": "personal_loan", "codes": codes}
    (root / name / "expected.json").write_text(json.dumps(expected), encoding="utf-8")


@pytest.fixture(name="samples")
def _samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _sample(tmp_path, "clean_one", [])
    _sample(tmp_path, "defect_id_expired", ["id_expired"])
    _sample(tmp_path, "defect_that_gives_the_wrong_code", ["seal_missing"])
    gives = {"clean_one": [], "defect_id_expired": [Code.ID_EXPIRED]}

    def fake_check(paths, *, profile, as_of, lang, policy, reader):
        codes = gives.get(Path(paths[0]).name, [Code.SEAL_UNVERIFIED, Code.INCOME_WORDS_MISMATCH])
        findings = [new_finding(code) for code in codes]
        assert as_of == dt.date(2026, 11, 15)
        return Report(verdict=verdict_of(findings), as_of=as_of, profile=profile, findings=findings)

    monkeypatch.setattr(checker.demo, "run_application", fake_check)
    monkeypatch.setattr(checker.demo, "get_reader", lambda settings: None)
    return tmp_path


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_demo_lines_summary_and_exit_code(samples: Path, lang: str) -> None:
    result = CliRunner().invoke(
        app, ["demo", "--folder", str(samples), "--lang", lang, "--workers", "1"]
    )
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), lines
    samples = [line for line in lines if line[:2] in ("✓ ", "✗ ")]
    assert samples[0].startswith("✓ clean_one")
    assert samples[1].startswith("✓ defect_id_expired") and "id_expired" in samples[1]
    assert samples[2].startswith("✗ defect_that_gives_the_wrong_code")
    summary = " ".join(lines[-2:])
    assert ("2 of 3 samples as expected" if lang == "en" else "3 个样例中 2 个符合预期") in summary
    assert "defect_that_gives_the_wrong_code" in summary


def test_demo_language_from_the_environment(samples: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "--folder", str(samples), "--workers", "1"], env={"DEMO_LANG": "en"}
    )
    assert "samples as expected" in result.stdout


def test_all_as_expected_exits_0(samples: Path) -> None:
    for name in ("defect_that_gives_the_wrong_code",):
        (samples / name / "expected.json").unlink()
    result = CliRunner().invoke(
        app, ["demo", "--folder", str(samples), "--lang", "en", "--workers", "1"]
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1].startswith("2 of 2 samples as expected")


@pytest.mark.ocr
def test_two_workers_check_real_samples_and_print_them_in_folder_order(tmp_path: Path) -> None:
    names = ["clean_csv_two_statements", "defect_statement_gap"]
    for name in names:
        (tmp_path / name).symlink_to(APPLICATIONS / name)
    console = Console(file=io.StringIO(), width=80)
    differ = run_demo(tmp_path, lang="en", console=console, workers=2)
    assert differ == []  # each as its expected.json says
    lines = console.file.getvalue().splitlines()
    assert [line[2:].split()[0] for line in lines if line[:2] == "✓ "] == names


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (Outcome("a", [], [], Verdict.READY), True),
        (Outcome("a", [], [], Verdict.REVIEW), False),  # info only, but not ready
        (Outcome("a", ["id_expired"], ["id_expired"], Verdict.NOT_READY), True),
        (Outcome("a", ["id_expired"], [], Verdict.READY), False),
        (Outcome("a", ["id_expired"], ["id_expired"], None, "boom"), False),
    ],
)
def test_as_expected(outcome: Outcome, expected: bool) -> None:
    assert outcome.as_expected is expected


def test_long_differences_wrap_within_80_columns() -> None:
    codes = ["income_annual_mismatch", "income_words_mismatch", "seal_unverified", "uscc_invalid"]
    outcome = Outcome("clean_passport_payslips_scan", ["seal_missing"], codes, Verdict.NOT_READY)
    for lang in ("en", "zh"):
        lines = format_line(outcome, lang)
        assert len(lines) > 1 and all(cell_len(line) <= 80 for line in lines)
