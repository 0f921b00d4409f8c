"""The `docready` command line: a thin shell over the library.

Exit codes keep one meaning each: 0, 1 and 2 are verdicts (ready, review, not ready); 3 is
"could not run" — a usage error, a bad date, an unreadable file or folder — said in one
plain line on stderr, never with a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

from checker.batch_cli import register as register_batch
from checker.cli_options import AsOf, Lang, PolicyFile, Profile, Workers
from checker.ocr import OcrError
from checker.policy import PolicyError, load_policy
from schemas.report import Verdict

EXIT_CODES = {Verdict.READY: 0, Verdict.REVIEW: 1, Verdict.NOT_READY: 2}
EXIT_COULD_NOT_RUN = 3
EXIT_INTERRUPTED = 130

HELP = """\
Are a loan application's documents ready to submit? docready reads ID cards,
residence permits, passports, income proofs, tax, housing fund and social
insurance records, business licences and bank statements, checks each one and
checks them against each other, and says what to fix. It works offline;
personal data is masked in its reports.

\b
Examples:
  docready check fixtures/applications/defect_id_expired --as-of 2026-11-15
  docready check id_front.jpg id_back.jpg statement.pdf --declared form.json
  docready check FOLDER --lang en --json --brief
  docready batch applications/ --out results/ --html
  docready demo --lang en

\b
Exit codes of check:
  0  ready to submit
  1  check before submitting (warnings only)
  2  not ready (errors: fix them first)
  3  could not run (bad arguments, a missing or unreadable file or folder;
     the reason in one line)
"""


class CliError(Exception):
    """A usage problem the user can fix; its message is one line naming the file or option."""


class _Command(TyperCommand):
    """Help in plain words: arguments by their metavar, without Python type names.

    The context and formatter are typed `Any`: typer names their classes only in its vendored
    click (`typer._click`), which is private and may change under any release."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = param.metavar or (param.name or "").upper()
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        params = self.get_params(ctx)
        arguments = [
            (param.metavar or (param.name or "").upper(), getattr(param, "help", "") or "")
            for param in params
            if param.param_type_name == "argument"
        ]
        options = [
            record
            for param in params
            if param.param_type_name == "option" and (record := param.get_help_record(ctx))
        ]
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)


class _Group(TyperGroup):
    """Every usage error exits 3 with one plain line (click's own code, 2, is `not ready`)."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.TyperException as error:  # typer's usage errors (its click's) derive from it
            context = getattr(error, "ctx", None)
            if context is not None and error.format_message() == context.get_help():
                typer.echo(error.format_message(), err=True)  # no arguments: the help
            else:
                typer.echo(_usage_line(error, context), err=True)
            code = EXIT_COULD_NOT_RUN
        except typer.Abort:
            typer.echo("docready: interrupted", err=True)
            code = EXIT_INTERRUPTED
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def _usage_line(error: typer.TyperException, context: Any) -> str:
    """A usage error in one plain line that names the command and points to its help."""
    command = context.command_path if context else "docready"
    # typer converts values through pydantic, whose messages start "Value error, "
    message = error.format_message().replace("\n", " ").replace("Value error, ", "")
    return f"{command} could not run: {message.rstrip('.')} (see {command} --help)"


app = typer.Typer(
    cls=_Group,
    add_completion=False,
    no_args_is_help=True,
    help=HELP,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _read_declared(path: Path) -> dict[str, Any]:
    """The intake form's fields from a JSON file, or a one-line error naming the file."""
    from checker.check import DeclaredError, read_declared

    try:
        return read_declared(path)
    except DeclaredError as error:
        raise CliError(f"--declared {error}") from None


def _check_paths(paths: list[Path]) -> None:
    """Every path exists; a folder holds at least one document."""
    from checker.check import DECLARED_FILE

    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise CliError(f"no such file or folder: {', '.join(missing)}")
    for path in paths:
        if path.is_dir() and not any(
            child.is_file() and child.suffix != ".json" and child.name != DECLARED_FILE
            for child in path.iterdir()
        ):
            raise CliError(f"no documents in {path}")


def _check_writable(html: Path) -> None:
    """Fail before the (slow) check when the report cannot be written."""
    folder = html.parent
    if html.is_dir():
        raise CliError(f"--html {html}: is a folder; give a file name such as report.html")
    if not folder.is_dir():
        raise CliError(f"--html {html}: no such folder {folder}")
    if not os.access(folder, os.W_OK) or (html.exists() and not os.access(html, os.W_OK)):
        raise CliError(f"--html {html}: cannot write there")


@app.command(
    cls=_Command,
    short_help="Check one application.",
    epilog="Exit code: 0 ready, 1 review (warnings), 2 not ready (errors), 3 could not run.",
)
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE_OR_FOLDER...",
            help="The files of one application, or a folder holding them "
            "(its declared.json is read as the form's fields).",
            show_default=False,
        ),
    ],
    as_of: AsOf = None,
    profile: Profile = "personal_loan",
    policy_file: PolicyFile = None,
    declared: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="JSON file of the fields typed into the intake form."),
    ] = None,
    lang: Lang = "zh",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the JSON report (verdict and findings first).")
    ] = False,
    brief: Annotated[
        bool, typer.Option("--brief", help="With --json: leave out transactions and boxes.")
    ] = False,
    show_pii: Annotated[
        bool, typer.Option("--show-pii", help="Show personal data unmasked (the applicant's view).")
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Also write an HTML report with each finding's crop."),
    ] = None,
    workers: Workers = None,
) -> None:
    """Check one application: the verdict, and what to fix.

    \b
    docready check fixtures/applications/defect_id_expired --as-of 2026-11-15
    docready check id_front.jpg id_back.jpg statement.pdf --declared form.json
    """
    from checker.check import run_application
    from checker.render import print_report

    console = Console(stderr=False)
    try:
        _check_paths(paths)
        if html is not None:
            _check_writable(html)
        policy = load_policy(policy_file)
        if profile not in policy.profiles:
            raise CliError(f"--profile {profile}: unknown; known: {', '.join(policy.profiles)}")
        form = _read_declared(declared) if declared else None
        report = run_application(
            paths,
            declared=form,
            profile=profile,
            policy=policy,
            as_of=as_of,
            lang=lang,
            mask=not show_pii,
            workers=workers or os.cpu_count() or 1,
        )
        if html is not None:
            from checker.check import expand_sources
            from checker.html import render_html

            sources, _ = expand_sources(paths)
            try:
                html.write_text(render_html(report, sources, policy=policy), encoding="utf-8")
            except OSError as error:
                raise CliError(f"--html {html}: cannot write: {error.strerror}") from None
    except (CliError, PolicyError, OcrError, ValueError, OSError) as error:
        _fail(error)
    if as_json:
        print(report.to_json(brief=brief))
    else:
        print_report(report, console, title=", ".join(str(path) for path in paths))
    raise typer.Exit(EXIT_CODES[report.verdict])


def _fail(error: BaseException, command: str = "check") -> None:
    """One line on stderr, exit 3."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, OSError) and error.filename and error.strerror:
        message = f"{error.filename}: {error.strerror}"
    typer.echo(f"docready {command} could not run: {message}", err=True)
    raise typer.Exit(EXIT_COULD_NOT_RUN)


@app.command(cls=_Command, short_help="Print the JSON Schema of the report.")
def schema() -> None:
    """Print the JSON Schema of the report (docready schema > schemas/report.schema.json)."""
    from schemas.report import report_json_schema

    print(json.dumps(report_json_schema(), indent=2, ensure_ascii=False))


@app.command(cls=_Command, short_help="Check the bundled samples against their expected codes.")
def demo(
    lang: Annotated[
        Literal["zh", "en"], typer.Option(envvar="DEMO_LANG", help="Language of the lines.")
    ] = "zh",
    as_of: AsOf = None,
    folder: Annotated[
        Path,
        typer.Option(metavar="FOLDER", help="Folder of sample applications with expected.json."),
    ] = Path("fixtures/applications"),
    workers: Workers = None,
) -> None:
    """Check every bundled sample application and compare with its expected.json.

    One line per sample, a closing summary; exit 0 when every sample is as expected, 1 when
    one differs, 3 when the demo could not run.
    """
    from checker.demo import run_demo

    try:
        differ = run_demo(folder, lang=lang, as_of=as_of, workers=workers or os.cpu_count() or 1)
    except (CliError, PolicyError, OcrError, ValueError, OSError) as error:
        _fail(error, "demo")
    raise typer.Exit(1 if differ else 0)


@app.command(cls=_Command, short_help="Start the HTTP API and the intake page.")
def serve(
    host: Annotated[str, typer.Option(metavar="ADDRESS", help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(metavar="N", help="Worker processes.")] = 1,
) -> None:
    """Start the pre-submit HTTP API and the intake page (needs the `api` extra)."""
    import uvicorn

    from checker.access_log import log_config

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


register_batch(app, cls=_Command)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="docready")
