"""Data files (policies, statement layouts) read from YAML into pydantic models.

A bad file fails at load time with its name, the line and the field that is wrong.
"""

from __future__ import annotations

from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)


def line_of(document: yaml.Node, loc: tuple[str | int, ...]) -> int | None:
    """The 1-based line of the YAML node at `loc`, or of its nearest parent."""
    node = document
    for key in loc:
        children: list[tuple[object, yaml.Node]] = []
        if isinstance(node, yaml.MappingNode):
            children = [(k.value, v) for k, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = list(enumerate(node.value))
        match = [child for name, child in children if name == key]
        if not match:
            break
        node = match[0]
    return node.start_mark.line + 1


def parse_yaml_model(
    text: str, source: str, model: type[ModelT], error: type[Exception], what: str
) -> ModelT:
    """`model` from YAML `text`; any problem raises `error` naming `source`, line and field."""
    try:
        data = yaml.safe_load(text)
        tree = yaml.compose(text)
    except yaml.YAMLError as problem:
        raise error(f"{source}: not valid YAML: {problem}") from None
    if tree is None or not isinstance(data, dict):
        raise error(f"{source}: expected a mapping of {what}")
    try:
        return model.model_validate(data)
    except ValidationError as problem:
        first = problem.errors()[0]
        loc = tuple(part for part in first["loc"] if isinstance(part, str | int))
        where = ".".join(str(part) for part in loc) or what
        raise error(f"{source}:{line_of(tree, loc)}: {where}: {first['msg']}") from None
