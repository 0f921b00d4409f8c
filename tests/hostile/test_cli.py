"""Every corpus item through `docready check --json`, in a folder beside a good statement:
exit 0-2 (never 3, "could not run", and never a traceback), the JSON report as the library's."""

from __future__ import annotations

import dataclasses
import time

import pytest
from typer.testing import CliRunner

from checker.cli import EXIT_COULD_NOT_RUN, app
from checker.ingest import display_name

from .corpus import GOOD_FILE, Item
from .expect import AS_OF, HANG_GUARD_SECONDS, assert_application_report, item_params


@pytest.mark.parametrize("item", item_params())
def test_cli_check_with_bad_item(item: Item, good, tmp_path, fresh_tmp, memory_ceiling):
    folder = tmp_path / "application"
    folder.mkdir()
    (folder / item.file_name).write_bytes(item.data())
    (folder / GOOD_FILE).write_bytes(good[1])
    arguments = ["check", str(folder), "--as-of", AS_OF.isoformat(), "--lang", "en", "--json"]
    started = time.perf_counter()
    with memory_ceiling.guard():
        result = CliRunner().invoke(app, arguments)
        error = result.exception
        if error is not None and not isinstance(error, SystemExit):
            result = None  # the result holds the traceback, and the traceback the memory
            raise error
    elapsed = time.perf_counter() - started
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output[-2000:])
    assert result.exit_code != EXIT_COULD_NOT_RUN
    # on disk the file has the name the disk allows; the report shows it sanitised
    on_disk = dataclasses.replace(item, shown=display_name(item.file_name))
    assert_application_report(on_disk, result.stdout)
    assert elapsed < HANG_GUARD_SECONDS
    assert fresh_tmp.leftovers() == []
