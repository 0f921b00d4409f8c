"""Every example in README.md runs as written: each ```sh and ```python block, in order, in a
scratch folder that holds `fixtures/` (so the examples' sample paths resolve and their output
files land there). `.venv/bin/docready` is this interpreter's `-m checker` on this tree;
`make` lines run as `make -n` in the repository (a dry run: `make test` itself takes about 13
minutes), which checks that the target exists and what it runs. The OCR cache is a fresh
folder shared by the blocks, so the blocks after the first read the samples from it."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```(sh|python)\n(.*?)^```", re.MULTILINE | re.DOTALL)
DOCREADY = ".venv/bin/docready"


def blocks() -> list[tuple[str, str]]:
    """(language, text) of each fenced sh or python block, in README order."""
    return [(match[1], match[2]) for match in BLOCK.finditer(README.read_text("utf-8"))]


def commands(text: str) -> list[str]:
    """The shell block's commands: continuation lines joined, comments dropped."""
    joined = text.replace("\\\n", " ")
    lines = [line.split(" #")[0].strip() for line in joined.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


BLOCKS = blocks()


@pytest.fixture(name="workdir", scope="module")
def _workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    (folder / "fixtures").symlink_to(ROOT / "fixtures")
    (folder / "cache").mkdir()
    return folder


def _env(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DOCREADY_CACHE_DIR": str(workdir / "cache"),
        "COLUMNS": "100",
    }


def _run_shell(command: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    words = shlex.split(command)
    if words[0] == "make":
        return subprocess.run(
            ["make", "-n", *words[1:]], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
    if words[0] == DOCREADY:
        words = [sys.executable, "-m", "checker", *words[1:]]
    return subprocess.run(
        words, cwd=workdir, env=_env(workdir), capture_output=True, text=True, timeout=600
    )


def test_readme_has_examples() -> None:
    assert [language for language, _ in BLOCKS].count("sh") >= 3
    assert [language for language, _ in BLOCKS].count("python") >= 1


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("language", "text"), BLOCKS, ids=[f"{index}-{block[0]}" for index, block in enumerate(BLOCKS)]
)
def test_readme_example_runs(language: str, text: str, workdir: Path) -> None:
    if language == "python":
        script = workdir / "example.py"
        script.write_text(text, encoding="utf-8")
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=workdir,
            env=_env(workdir),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return
    for command in commands(text):
        result = _run_shell(command, workdir)
        verdicts = (0, 1, 2) if " check " in f" {command} " else (0,)
        output = result.stdout[-2000:] + result.stderr[-3000:]
        assert result.returncode in verdicts, (command, output)
        assert "Traceback" not in result.stderr, command
        if "--json" in command:
            report = json.loads(result.stdout)
            assert list(report)[:2] == ["verdict", "summary"]
        if "--html" in command and " check " in command:
            assert (workdir / "report.html").stat().st_size > 1000
        if " batch " in command:
            rows = (workdir / "results" / "summary.csv").read_text("utf-8").splitlines()
            assert len(rows) == 3  # a header and the two applications copied
