"""Batch over folders of applications: results, resume, broken applications, privacy.

A few committed fixture applications plus two broken ones; the session's OCR cache makes every
run after the first cheap. Document findings are not asserted here (the document modules
change): only structure, resume and the handling of broken applications.
"""

import csv
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from checker import batch
from checker.batch.folders import plan
from checker.batch.results import RESULTS, Result
from checker.batch.summary import INDEX, SUMMARY, SUMMARY_COLUMNS
from checker.batch.workers import describe_error
from checker.batch_cli import EXIT_ALL_CHECKED, EXIT_INTERRUPTED, EXIT_SOME_NOT_CHECKED, register

AS_OF = dt.date(2026, 11, 15)
FIXTURES = Path(__file__).parents[2] / "fixtures" / "applications"
CASES = ["clean_csv_two_statements", "clean_id_certificate_pdf", "defect_id_expired"]
BROKEN_FILES = "broken_files"  # a zero-byte file and a truncated JPEG
BROKEN_FORM = "broken_form"  # declared.json that is not JSON
PERSONAL = ("name", "id_number", "phone", "bank_account")


def make_root(root: Path, cases: list[str] = CASES, copies: int = 1) -> Path:
    """Copies of committed applications (`copies` of each) and the two broken ones."""
    for case in cases:
        for copy in range(copies):
            shutil.copytree(FIXTURES / case, root / (case if copies == 1 else f"{case}_{copy}"))
    broken = root / BROKEN_FILES
    broken.mkdir()
    (broken / "empty.jpg").write_bytes(b"")
    jpeg = (FIXTURES / "clean_id_certificate_pdf" / "id_front.jpg").read_bytes()
    (broken / "id_front.jpg").write_bytes(jpeg[: len(jpeg) // 3])
    form = root / BROKEN_FORM
    shutil.copytree(FIXTURES / "defect_id_expired", form)
    (form / "declared.json").write_text('{"name": "张', encoding="utf-8")
    return root


@pytest.fixture(name="root")
def fixture_root(tmp_path):
    return make_root(tmp_path / "applications")


def invoke(*args: object):
    """`docready batch ARGS`, with the command registered on an app like `docready`'s."""
    app = typer.Typer()

    @app.callback()
    def _main() -> None:
        """docready"""

    register(app)
    return CliRunner().invoke(app, ["batch", *map(str, args)])


@pytest.fixture(name="done", scope="module")
def fixture_done(tmp_path_factory):
    """One CLI run over the applications, with HTML: (root, out, the command's output)."""
    base = tmp_path_factory.mktemp("batch")
    root = make_root(base / "applications")
    out = base / "out"
    outcome = invoke(root, "--out", out, "--as-of", "2026-11-15", "--workers", "2", "--html")
    assert outcome.exit_code == EXIT_SOME_NOT_CHECKED, outcome.output
    return root, out, outcome.output


@pytest.fixture(name="copy")
def fixture_copy(done, tmp_path):
    """A copy of the finished run to change: (root, out)."""
    root, out, _ = done
    shutil.copytree(root, tmp_path / "applications")
    shutil.copytree(out, tmp_path / "out")
    return tmp_path / "applications", tmp_path / "out"


def lines(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / RESULTS).read_bytes().splitlines()]


def applications(root: Path) -> set[str]:
    return {path.name for path in root.iterdir()}


def test_run_yields_one_result_per_application(root):
    results = list(batch.run(root, workers=2, as_of=AS_OF))

    assert sorted(result.application for result in results) == sorted(applications(root))
    by_name = {result.application: result for result in results}
    form = by_name[BROKEN_FORM]
    assert (form.verdict, form.report) == (None, None)
    assert "declared.json" in form.error
    files = by_name[BROKEN_FILES]
    assert files.checked and files.verdict != "ready"
    assert all(by_name[case].checked and by_name[case].report.masked for case in CASES)


def test_the_biggest_applications_start_first(root, monkeypatch):
    """The plan knows each folder's bytes, and the workers get the biggest folder first."""
    sizes = {
        folder.name: sum(path.stat().st_size for path in folder.iterdir() if path.is_file())
        for folder in root.iterdir()
    }
    assert {application.name: application.size for application in plan(root).todo} == sizes
    started: list[str] = []

    def record(todo, job, workers):
        started.extend(application.name for application in todo)
        return iter(())

    monkeypatch.setattr(batch, "run_local", record)
    list(batch.run(root, workers=2, as_of=AS_OF))
    assert started == sorted(sizes, key=lambda name: -sizes[name])


def test_results_file_has_one_valid_line_per_application(done):
    root, out, _ = done
    rows = lines(out)

    assert sorted(row["application"] for row in rows) == sorted(applications(root))
    assert all(Result.model_validate(row) for row in rows)


def test_summary_has_a_row_per_application_and_the_broken_one_with_its_error(done):
    root, out, _ = done
    with (out / SUMMARY).open(encoding="utf-8") as file:
        summary = list(csv.DictReader(file))

    assert list(summary[0]) == SUMMARY_COLUMNS
    assert [row["application"] for row in summary] == sorted(applications(root))
    failed = [row for row in summary if not row["verdict"]]
    assert [row["application"] for row in failed] == [BROKEN_FORM]
    assert failed[0]["error"]


def test_index_links_every_html_report(done):
    _, out, _ = done
    with (out / SUMMARY).open(encoding="utf-8") as file:
        checked = [row for row in csv.DictReader(file) if row["verdict"]]
    index = (out / INDEX).read_text(encoding="utf-8")

    assert checked and all((out / row["html"]).is_file() for row in checked)
    assert all(f'href="{row["html"]}"' in index for row in checked)


def test_rerun_skips_what_is_done(copy):
    root, out = copy
    before = (out / RESULTS).read_bytes()

    outcome = invoke(root, "--out", out, "--as-of", "2026-11-15")

    assert outcome.exit_code == EXIT_SOME_NOT_CHECKED, outcome.output
    assert (out / RESULTS).read_bytes() == before


def test_rerun_checks_a_changed_application_again(copy):
    root, out = copy
    before = lines(out)
    (root / BROKEN_FORM / "declared.json").write_text("{}", encoding="utf-8")

    outcome = invoke(root, "--out", out, "--as-of", "2026-11-15", "--workers", "1")

    assert outcome.exit_code == EXIT_ALL_CHECKED, outcome.output
    after = lines(out)
    assert after[: len(before)] == before
    assert [row["application"] for row in after[len(before) :]] == [BROKEN_FORM]
    assert after[-1]["verdict"] is not None


def test_retry_failed_plans_only_the_failed_applications(copy):
    root, out = copy

    again = plan(root, out, retry_failed=True)

    assert [application.name for application in again.todo] == [BROKEN_FORM]
    assert plan(root, out).todo == []


def test_partial_last_line_is_cut_and_its_application_planned_again(copy):
    root, out = copy
    results = out / RESULTS
    whole = results.read_bytes()
    last = whole.splitlines(keepends=True)[-1]
    results.write_bytes(whole[: len(whole) - len(last) // 2])  # a write cut in the middle

    todo = plan(root, out).todo

    assert [application.name for application in todo] == [json.loads(last)["application"]]
    assert results.read_bytes() == whole[: len(whole) - len(last)]


def test_output_folder_inside_root_is_not_an_application(copy):
    root, out = copy
    shutil.move(out, root / "_results")

    work = plan(root, root / "_results")

    assert {application.name for application in work.done} == applications(root) - {"_results"}


def test_results_summary_and_output_hold_no_personal_data(done):
    _, out, output = done
    written = output + "".join(
        (out / name).read_text(encoding="utf-8") for name in (RESULTS, SUMMARY)
    )

    for case in CASES:
        declared = json.loads((FIXTURES / case / "declared.json").read_text(encoding="utf-8"))
        for key in PERSONAL:
            assert declared[key] not in written, (case, key)


def test_error_text_never_holds_values():
    class Boom(Exception):
        pass

    try:
        raise Boom("110105199003071234")
    except Boom as error:
        text = describe_error(error)

    assert text.startswith("Boom at ") and "1101" not in text


def test_bad_arguments_stop_before_checking(root, tmp_path):
    out = tmp_path / "out"

    outcome = invoke(root, "--out", out, "--profile", "no_such_profile")

    assert outcome.exit_code == 3
    assert not (out / RESULTS).exists()


def _start_batch(root: Path, out: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "checker.batch_cli", str(root), "--out", str(out)]
    command += ["--as-of", "2026-11-15", "--workers", "1"]
    # an OCR cache of its own: with the suite's warm one the batch may end before the signal
    env = {**os.environ, "DOCREADY_CACHE_DIR": str(out.parent / "ocr-cache")}
    return subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=env,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )


def _ctrl_c_as_in_a_terminal() -> None:
    """Ctrl-C's default action, as a shell gives a command it starts in the foreground: a
    disposition the test process was left with (SIG_IGN) would be inherited by the batch."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_first_result(process: subprocess.Popen[bytes], results: Path) -> None:
    deadline = time.monotonic() + 120
    while not (results.exists() and results.stat().st_size > 0):
        assert process.poll() is None, "the batch ended before its first result"
        assert time.monotonic() < deadline, "no result within 120 s"
        time.sleep(0.05)


@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT"])
def test_interrupted_run_resumes_with_every_application_once(tmp_path, how):
    root = make_root(tmp_path / "applications")
    out = tmp_path / "out"
    process = _start_batch(root, out)
    try:
        _wait_for_first_result(process, out / RESULTS)
        if how == "SIGKILL":  # the whole group, as a crash or OOM kill would
            os.killpg(process.pid, signal.SIGKILL)
        else:  # Ctrl-C to the parent, which stops its workers
            process.send_signal(signal.SIGINT)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    interrupted = lines(out)
    assert interrupted, "nothing written before the interruption"
    if how == "SIGINT":
        assert code == EXIT_INTERRUPTED

    resumed = list(batch.run(root, out=out, as_of=AS_OF, workers=2))

    names = [row["application"] for row in lines(out)]
    assert sorted(names) == sorted(applications(root))
    assert len(resumed) == len(names) - len(interrupted)
