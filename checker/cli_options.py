"""Options that `docready check`, `batch` and `demo` share, written for the person typing them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import typer

from checker.policy import default_policy


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date, or a usage error that says how to write one."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-15"
        ) from None


def _profiles_help() -> str:
    profiles = default_policy().profiles
    listed = "; ".join(
        f"{name}: {profile.description}" if profile.description else name
        for name, profile in profiles.items()
    )
    return f"Which checklist to check against ({listed})."


AsOf = Annotated[
    dt.date | None,
    typer.Option(
        parser=parse_date,
        metavar="DATE",
        help="Date to check expiry and recency against, as YYYY-MM-DD. Default: today.",
        show_default=False,
    ),
]
Profile = Annotated[str, typer.Option(metavar="NAME", help=_profiles_help())]
PolicyFile = Annotated[
    Path | None,
    typer.Option(
        "--policy", metavar="FILE", help="Policy YAML replacing the built-in one (limits, lists)."
    ),
]
Lang = Annotated[Literal["zh", "en"], typer.Option(help="Language of the messages.")]
Workers = Annotated[
    int | None,
    typer.Option(min=1, metavar="N", help="Worker processes. Default: the number of cores."),
]
