"""Loading statement layouts from `layouts/*.yaml` and choosing the one a statement uses."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from checker.policy import line_of  # one YAML-line finder for policies and layouts
from schemas.layout import Layout

GENERIC = "generic"


class LayoutError(Exception):
    """A layout file cannot be used; the message names the file, line and field."""


def parse_layout(text: str, source: str) -> Layout:
    """Validate one layout file's YAML; any problem raises LayoutError with file and line."""
    try:
        data = yaml.safe_load(text)
        tree = yaml.compose(text)
    except yaml.YAMLError as error:
        raise LayoutError(f"{source}: not valid YAML: {error}") from None
    if tree is None or not isinstance(data, dict):
        raise LayoutError(f"{source}: expected a mapping of layout settings")
    try:
        return Layout.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(part for part in first["loc"] if isinstance(part, str | int))
        line = line_of(tree, loc)
        where = ".".join(str(part) for part in loc) or "layout"
        raise LayoutError(f"{source}:{line}: {where}: {first['msg']}") from None


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
