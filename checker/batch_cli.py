"""`docready batch`: check every application folder under a root, with progress, resumably."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text
from typer.core import TyperCommand

from checker.batch import Executor, run
from checker.batch.folders import BatchError, plan
from checker.batch.results import RESULTS
from checker.batch.summary import SUMMARY, summary_rows
from checker.cli_options import AsOf, Lang, PolicyFile, Profile, Workers
from checker.ocr import OcrError
from checker.policy import PolicyError, load_policy

EXIT_ALL_CHECKED = 0
EXIT_SOME_NOT_CHECKED = 1  # at least one application has a row with an error
EXIT_COULD_NOT_RUN = 3  # as `docready check`: bad arguments, policy, OCR engine, cluster
EXIT_INTERRUPTED = 130  # Ctrl-C; the results so far are kept, a re-run resumes


class RateColumn(ProgressColumn):
    """Applications per minute, over the progress bar's recent history."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed * 60:.1f}/min" if speed else "–/min", style="progress.data.speed")


def batch(
    root: Annotated[
        Path,
        typer.Argument(
            metavar="FOLDER", help="Folder with one subfolder per application.", show_default=False
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(metavar="FOLDER", help="Output folder: results.jsonl, summary.csv, html/."),
    ],
    workers: Workers = None,
    profile: Profile = "personal_loan",
    as_of: AsOf = None,
    policy_file: PolicyFile = None,
    lang: Lang = "zh",
    executor: Annotated[
        Executor, typer.Option(help="local: a process pool here; dask: a dask cluster.")
    ] = Executor.LOCAL,
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS", help="Dask scheduler address (tcp://…). Default: a local cluster."
        ),
    ] = None,
    html: Annotated[
        bool, typer.Option("--html", help="Also write an HTML report per application.")
    ] = False,
    retry_failed: Annotated[
        bool,
        typer.Option("--retry-failed", help="Check again the applications that could not be."),
    ] = False,
) -> None:
    """Check every application folder under FOLDER into --out; a re-run resumes where the
    last one ended.

    \b
    docready batch applications/ --out results/ --workers 2 --html

    \b
    Exit code: 0 every application checked, 1 some could not be checked (see
    summary.csv), 3 the batch could not run, 130 interrupted.
    """
    console = Console(stderr=True)
    logging.basicConfig(
        level=logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=console, show_path=False)],
    )
    try:
        if not root.is_dir():
            raise ValueError(f"no such folder: {root}")
        if scheduler is not None and executor is not Executor.DASK:
            raise ValueError("--scheduler needs --executor dask")
        policy = load_policy(policy_file)
        work = plan(root, out, retry_failed=retry_failed)
        console.print(
            f"{len(work.todo) + len(work.done)} applications in {root}: "
            f"{len(work.todo)} to check, {len(work.done)} already in {out / RESULTS}"
        )
        results = run(
            root,
            out=out,
            workers=workers,
            executor=executor,
            scheduler=scheduler,
            profile=profile,
            as_of=as_of,
            lang=lang,
            policy=policy,
            html=html,
            todo=work.todo,
        )
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        )
        failed = 0
        with Progress(*columns, console=console, speed_estimate_period=300) as progress:
            task = progress.add_task("checking", total=len(work.todo))
            for result in results:
                failed += not result.checked
                progress.advance(task)
    except (BatchError, PolicyError, OcrError, ValueError, OSError) as error:
        console.print(f"[bold red]docready batch could not run:[/] {error}", soft_wrap=True)
        raise typer.Exit(EXIT_COULD_NOT_RUN) from None
    except KeyboardInterrupt:
        console.print(f"[yellow]interrupted[/]: results so far are in {out / RESULTS}")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    rows = summary_rows(out)
    not_checked = sum(1 for row in rows if not row["verdict"])
    tally = {verdict: sum(row["verdict"] == verdict for row in rows) for verdict in _VERDICTS}
    console.print(
        f"{len(rows)} applications in {out / SUMMARY}: "
        + ", ".join(f"{count} {_VERDICTS[verdict]}" for verdict, count in tally.items())
        + f", {not_checked} could not be checked"
        + (f" ({failed} in this run)" if failed else "")
    )
    raise typer.Exit(EXIT_SOME_NOT_CHECKED if not_checked else EXIT_ALL_CHECKED)


_VERDICTS = {"ready": "ready", "review": "to check", "not_ready": "not ready"}  # code: words


def register(app: typer.Typer, cls: type[TyperCommand] | None = None) -> None:
    """Add the `batch` command to the `docready` app."""
    app.command("batch", cls=cls, short_help="Check many application folders, resumably.")(batch)


def main() -> None:
    """Run `batch` as a program of its own (python -m checker.batch_cli)."""
    app = typer.Typer(add_completion=False)
    register(app)
    app()


if __name__ == "__main__":
    main()
