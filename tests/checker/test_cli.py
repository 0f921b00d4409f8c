"""`docready`'s promises: exit 0, 1 and 2 are verdicts only; every usage problem exits 3 with
one plain line on stderr naming the file or option, never a traceback. None of these cases
reaches OCR: each fails before the first document is read."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import EXIT_COULD_NOT_RUN, app


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]  # {tmp} is the test's folder
    says: str  # a piece of the one line on stderr


CASES = [
    Case("no arguments", (), "Usage: docready"),
    Case("unknown command", ("bogus",), "No such command 'bogus'"),
    Case("unknown option", ("check", "--bogus"), "No such option: --bogus"),
    Case("missing argument", ("check",), "Missing argument 'FILE_OR_FOLDER...'"),
    Case(
        "bad date",
        ("check", "{tmp}/photo.png", "--as-of", "notadate"),
        "'--as-of': 'notadate' is not a date; write it as YYYY-MM-DD",
    ),
    Case("impossible date", ("check", "{tmp}/photo.png", "--as-of", "2026-02-30"), "YYYY-MM-DD"),
    Case("bad language", ("check", "{tmp}/photo.png", "--lang", "fr"), "'fr' is not one of"),
    Case("unknown profile", ("check", "{tmp}/photo.png", "--profile", "car"), "--profile car"),
    Case("missing file", ("check", "{tmp}/nothing.jpg"), "no such file or folder: "),
    Case("empty folder", ("check", "{tmp}/empty"), "no documents in {tmp}/empty"),
    Case("folder of JSON only", ("check", "{tmp}/only_json"), "no documents in {tmp}/only_json"),
    Case(
        "declared not JSON",
        ("check", "{tmp}/photo.png", "--declared", "{tmp}/form.txt"),
        "--declared {tmp}/form.txt: not valid JSON (line 1, column 1",
    ),
    Case(
        "declared missing",
        ("check", "{tmp}/photo.png", "--declared", "{tmp}/nothing.json"),
        "--declared {tmp}/nothing.json: cannot read",
    ),
    Case(
        "declared a list",
        ("check", "{tmp}/photo.png", "--declared", "{tmp}/list.json"),
        "--declared {tmp}/list.json: must hold a JSON object",
    ),
    Case(
        "folder's declared.json broken",
        ("check", "{tmp}/bad_form"),
        "{tmp}/bad_form/declared.json: not valid JSON",
    ),
    Case(
        "html into a missing folder",
        ("check", "{tmp}/photo.png", "--html", "{tmp}/nowhere/report.html"),
        "--html {tmp}/nowhere/report.html: no such folder",
    ),
    Case(
        "html onto a folder",
        ("check", "{tmp}/photo.png", "--html", "{tmp}/empty"),
        "--html {tmp}/empty: is a folder",
    ),
    Case("missing policy", ("check", "{tmp}/photo.png", "--policy", "{tmp}/p.yaml"), "p.yaml"),
    Case("batch missing folder", ("batch", "{tmp}/nothing", "--out", "{tmp}/o"), "no such folder"),
    Case("batch without --out", ("batch", "{tmp}/empty"), "Missing option '--out'"),
    Case("batch bad date", ("batch", "{tmp}", "--out", "{tmp}/o", "--as-of", "x"), "YYYY-MM-DD"),
    Case("batch no workers", ("batch", "{tmp}", "--out", "{tmp}/o", "--workers", "0"), "workers"),
    Case("demo missing folder", ("demo", "--folder", "{tmp}/nothing"), "no such folder"),
]


@pytest.fixture(name="folder")
def _folder(tmp_path: Path) -> Path:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "empty").mkdir()
    (tmp_path / "only_json").mkdir()
    (tmp_path / "only_json" / "declared.json").write_text("{}", encoding="utf-8")
    (tmp_path / "form.txt").write_text("name=张三", encoding="utf-8")
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "bad_form").mkdir()
    (tmp_path / "bad_form" / "declared.json").write_text("{name:", encoding="utf-8")
    (tmp_path / "bad_form" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return tmp_path


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_usage_exits_3_with_one_line(case: Case, folder: Path) -> None:
    args = [arg.replace("{tmp}", str(folder)) for arg in case.args]
    result = CliRunner().invoke(app, args, prog_name="docready")
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == EXIT_COULD_NOT_RUN, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert case.says.replace("{tmp}", str(folder)) in lines[0]
    if case.id != "no arguments":  # that one shows the help
        assert len(lines) == 1, lines


@pytest.mark.parametrize("command", ["", "check", "batch", "demo", "schema", "serve"])
def test_help_is_for_users(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"], prog_name="docready")
    assert result.exit_code == 0
    for internal in ("<bool>", "<list[", "{paths}", "<str>", "<path>", "Value error"):
        assert internal not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_check_help_names_defaults_profiles_and_exit_codes() -> None:
    text = CliRunner().invoke(app, ["check", "--help"], prog_name="docready").stdout
    flat = " ".join(text.split())
    assert "Default: today" in flat
    assert "personal_loan: Personal loan" in flat and "identity_only" in flat
    assert "0 ready, 1 review (warnings), 2 not ready (errors), 3 could not run" in flat


def _imported(path: Path) -> list[str]:
    """Every module and name a Python file imports, dotted (`typer.core.TyperCommand`)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_the_cli_uses_typers_public_api_only() -> None:
    """typer vendors click as `typer._click`, private and liable to change in any release;
    click itself is no dependency of typer's any more."""
    import checker

    found = [
        f"{path.name}: {name}"
        for path in sorted(Path(checker.__file__).parent.rglob("*.py"))
        for name in _imported(path)
        if name.split(".")[0] == "click"
        or (name.startswith("typer.") and any(p.startswith("_") for p in name.split(".")[1:]))
    ]
    assert found == []
