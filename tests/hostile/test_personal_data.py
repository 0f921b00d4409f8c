"""No name, ID number or account number from a sample application's ground truth reaches a
log line (at DEBUG) or a masked report, through the CLI, the API or the batch.

The CLI and the batch run as real processes; a `sitecustomize` on PYTHONPATH sends every
process's logging (the batch's spawned workers too) to a file at DEBUG. The API runs in this
process with pytest's log capture at DEBUG.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .corpus import FIXTURES
from .expect import AS_OF

CASES = ["clean_csv_two_statements", "clean_id_certificate_pdf"]
PERSONAL_TRUTH_FIELDS = {"name", "holder", "account_holder", "id_number", "account_number"}
PERSONAL_DECLARED_FIELDS = {"name", "id_number", "bank_account", "phone"}
SUBPROCESS_TIMEOUT = 120


def personal_values(case: str) -> set[str]:
    """The applicant's names, ID numbers and account numbers in the case's ground truth and
    declared fields, as written and without spaces."""
    folder = FIXTURES / case
    values: set[str] = set()
    for path in folder.glob("*.truth.json"):
        fields = json.loads(path.read_text(encoding="utf-8")).get("fields", {})
        for name, field in fields.items():
            value = field.get("value") if isinstance(field, dict) else field
            if name in PERSONAL_TRUTH_FIELDS and isinstance(value, str):
                values.add(value)
    declared = json.loads((folder / "declared.json").read_text(encoding="utf-8"))
    values |= {str(declared[key]) for key in PERSONAL_DECLARED_FIELDS if declared.get(key)}
    values |= {value.replace(" ", "") for value in values}
    assert len(values) >= 3, values
    return values


def assert_no_personal_data(case: str, where: str, text: str) -> None:
    leaked = sorted(value for value in personal_values(case) if value in text)
    assert not leaked, f"{where} holds personal data: {leaked}"


def application_files(case: str) -> list[Path]:
    """The documents of a case (what an applicant uploads): no ground truth, no expectations."""
    return sorted(
        path for path in (FIXTURES / case).iterdir() if path.is_file() and path.suffix != ".json"
    )


@pytest.fixture(name="debug_logging_env", scope="module")
def _debug_logging_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose Python processes all log at DEBUG into one file each."""
    folder = tmp_path_factory.mktemp("debug-logging")
    logs = folder / "logs"
    logs.mkdir()
    (folder / "sitecustomize.py").write_text(
        textwrap.dedent(
            f"""
            import logging, os
            logging.basicConfig(
                level=logging.DEBUG,
                filename=os.path.join({str(logs)!r}, f"{{os.getpid()}}.log"),
                format="%(process)d %(name)s %(levelname)s %(message)s",
            )
            """
        ),
        encoding="utf-8",
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), env.get("PYTHONPATH")]))
    env["DOCREADY_LOG_DIR_FOR_TEST"] = str(logs)
    return env


def read_logs(env: dict[str, str]) -> str:
    folder = Path(env["DOCREADY_LOG_DIR_FOR_TEST"])
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.log")))


def clear_logs(env: dict[str, str]) -> None:
    for path in Path(env["DOCREADY_LOG_DIR_FOR_TEST"]).glob("*.log"):
        path.unlink()


@pytest.mark.parametrize("case", CASES)
def test_cli_json_and_debug_logs_hold_no_personal_data(case, debug_logging_env, tmp_path):
    clear_logs(debug_logging_env)
    docready = Path(sys.executable).with_name("docready")
    completed = subprocess.run(
        [str(docready), "check", str(FIXTURES / case), "--as-of", AS_OF.isoformat(), "--json"],
        capture_output=True,
        text=True,
        env=debug_logging_env,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    assert completed.returncode in (0, 1, 2), completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    assert report["masked"] is True
    logs = read_logs(debug_logging_env)
    assert "DEBUG" in logs  # the logging reached the library: the check below means something
    assert_no_personal_data(case, "the CLI's JSON report", completed.stdout)
    assert_no_personal_data(case, "the CLI's stderr", completed.stderr)
    assert_no_personal_data(case, "a DEBUG log line", logs)


def test_batch_results_summary_and_debug_logs_hold_no_personal_data(debug_logging_env, tmp_path):
    clear_logs(debug_logging_env)
    root = tmp_path / "applications"
    for case in CASES:
        shutil.copytree(FIXTURES / case, root / case)
        for path in (root / case).glob("*.json"):
            if path.name != "declared.json":
                path.unlink()  # ground truth and expectations are not part of an application
    out = tmp_path / "out"
    command = [sys.executable, "-m", "checker.batch_cli", str(root), "--out", str(out)]
    completed = subprocess.run(
        [*command, "--workers", "1", "--as-of", AS_OF.isoformat()],
        capture_output=True,
        text=True,
        env=debug_logging_env,
        timeout=SUBPROCESS_TIMEOUT * 2,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    results = (out / "results.jsonl").read_text(encoding="utf-8")
    summary = (out / "summary.csv").read_text(encoding="utf-8")
    assert len(results.splitlines()) == len(CASES)
    logs = read_logs(debug_logging_env)
    assert len(list(Path(debug_logging_env["DOCREADY_LOG_DIR_FOR_TEST"]).glob("*.log"))) >= 2
    assert "DEBUG" in logs
    for case in CASES:
        assert_no_personal_data(case, "results.jsonl", results)
        assert_no_personal_data(case, "summary.csv", summary)
        assert_no_personal_data(case, "the batch's stderr", completed.stderr)
        assert_no_personal_data(case, "a DEBUG log line (batch parent or worker)", logs)


def _api_client():
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    return TestClient(create_app(Settings(api_keys=[], cors_origins=[], policy_file=None)))


def test_control_unmasked_report_does_hold_the_personal_data():
    """The control: with masking off the same values are found, so the checks above can fail."""
    case = CASES[0]
    declared = (FIXTURES / case / "declared.json").read_text(encoding="utf-8")
    files = [
        ("files", (path.name, path.read_bytes(), "application/octet-stream"))
        for path in application_files(case)
    ]
    with _api_client() as client:
        response = client.post(
            "/v1/checks",
            files=files,
            data={"as_of": AS_OF.isoformat(), "declared": declared, "mask": "false"},
        )
    assert response.status_code == 200, response.text[:2000]
    found = {value for value in personal_values(case) if value in response.text}
    assert len(found) >= 3, found


@pytest.mark.parametrize("case", CASES)
def test_api_json_and_debug_logs_hold_no_personal_data(case, caplog):
    caplog.set_level(logging.DEBUG)
    declared = (FIXTURES / case / "declared.json").read_text(encoding="utf-8")
    files = [
        ("files", (path.name, path.read_bytes(), "application/octet-stream"))
        for path in application_files(case)
    ]
    with _api_client() as client:
        response = client.post(
            "/v1/checks",
            files=files,
            data={"as_of": AS_OF.isoformat(), "declared": declared},
        )
    assert response.status_code == 200, response.text[:2000]
    assert response.json()["masked"] is True
    assert any(record.levelno == logging.DEBUG for record in caplog.records)
    assert_no_personal_data(case, "the API's JSON report", response.text)
    assert_no_personal_data(case, "a DEBUG log line", caplog.text)
