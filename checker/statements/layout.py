"""Loading statement layouts from `layouts/*.yaml` and choosing the one a statement uses."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from checker.yaml_model import parse_yaml_model
from schemas.layout import Layout
from schemas.reads import Reads

GENERIC = "generic"


class LayoutError(Exception):
    """A layout file cannot be used; the message names the file, line and field."""


def parse_layout(text: str, source: str) -> Layout:
    """Validate one layout file's YAML; any problem raises LayoutError with file and line."""
    return parse_yaml_model(text, source, Layout, LayoutError, "layout settings")


def load_layout(path: str | Path) -> Layout:
    """The layout in one YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise LayoutError(f"{path}: cannot read: {error.strerror}") from None
    return parse_layout(text, str(path))


@cache
def layouts() -> tuple[Layout, ...]:
    """Every layout shipped with the package, highest priority first."""
    folder = resources.files("checker.statements").joinpath("layouts")
    found = [
        parse_layout(entry.read_text("utf-8"), f"layouts/{entry.name}")
        for entry in sorted(folder.iterdir(), key=lambda entry: entry.name)
        if entry.name.endswith(".yaml")
    ]
    names = [layout.name for layout in found]
    if len(set(names)) != len(names) or GENERIC not in names:
        raise LayoutError(f"layouts: names must be unique and include {GENERIC!r}: {names}")
    return tuple(sorted(found, key=lambda layout: -layout.priority))


def pick_layout(text: str) -> Layout:
    """The highest-priority layout whose `match` strings occur in `text`, else the generic."""
    compact = "".join(text.split())
    for layout in layouts():
        if any("".join(needle.split()) in compact for needle in layout.match):
            return layout
    return next(layout for layout in layouts() if layout.name == GENERIC)


def layout_of(fields: Reads) -> Layout:
    """The layout a statement's `layout` field names; else the one picked for no text."""
    name = fields.get("layout")
    chosen = next((item for item in layouts() if name and item.name == name.value), None)
    return chosen or pick_layout("")
