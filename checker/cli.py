"""The `docready` command line: a thin shell over the library."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from checker.batch_cli import register as register_batch
from checker.ocr import OcrError
from checker.policy import PolicyError, load_policy
from schemas.report import Verdict

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

EXIT_CODES = {Verdict.READY: 0, Verdict.REVIEW: 1, Verdict.NOT_READY: 2}
EXIT_COULD_NOT_RUN = 3


@app.callback()
def _main() -> None:
    """docready: are an application's documents ready to submit?"""


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Files, or a folder, of one application.")],
    as_of: Annotated[
        dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Date to check against.")
    ] = None,
    profile: Annotated[str, typer.Option(help="Policy profile.")] = "personal_loan",
    policy_file: Annotated[Path | None, typer.Option("--policy", help="Policy YAML.")] = None,
    declared: Annotated[
        Path | None, typer.Option(help="JSON file of the fields typed into the form.")
    ] = None,
    lang: Annotated[str, typer.Option(help="zh or en.")] = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON report.")] = False,
    show_pii: Annotated[bool, typer.Option(help="Do not mask personal data.")] = False,
    html: Annotated[
        Path | None, typer.Option(help="Also write an HTML report with marked crops here.")
    ] = None,
) -> None:
    """Check one application. Exit code: 0 ready, 1 review, 2 not ready, 3 could not run."""
    from checker.check import run_application
    from checker.render import print_report

    console = Console(stderr=False)
    errors = Console(stderr=True)
    try:
        if lang not in ("zh", "en"):
            raise ValueError("--lang must be zh or en")
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise ValueError(f"no such file or folder: {', '.join(missing)}")
        policy = load_policy(policy_file)
        form = json.loads(declared.read_text(encoding="utf-8")) if declared else None
        report = run_application(
            paths,
            declared=form,
            profile=profile,
            policy=policy,
            as_of=as_of.date() if as_of else None,
            lang="en" if lang == "en" else "zh",
            mask=not show_pii,
        )
    except (PolicyError, OcrError, ValueError, OSError) as error:
        errors.print(f"[bold red]docready could not run:[/] {error}")
        raise typer.Exit(EXIT_COULD_NOT_RUN) from None
    if html is not None:
        from checker.check import expand_sources
        from checker.html import render_html

        sources, _ = expand_sources(paths)
        html.write_text(render_html(report, sources, policy=policy), encoding="utf-8")
    if as_json:
        print(report.to_json())
    else:
        print_report(report, console, title=", ".join(str(path) for path in paths))
    raise typer.Exit(EXIT_CODES[report.verdict])


@app.command()
def schema() -> None:
    """Print the JSON Schema of the report."""
    from schemas.report import report_json_schema

    print(json.dumps(report_json_schema(), indent=2, ensure_ascii=False))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Start the pre-submit HTTP API (needs the `api` extra)."""
    import uvicorn

    from api.middleware import log_config

    # docready's access log (method, route, status, ms) replaces uvicorn's, which logs the
    # client address and the query string
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=log_config(),
    )


register_batch(app)


def main() -> None:
    """Console-script entry point."""
    app()
