"""What ingest's readers hand back: pages and tables read, and problems found on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.document import Page, Table
from schemas.findings import Code


@dataclass(frozen=True)
class Problem:
    """A finding before it knows its file: a code, the message values and where it was seen."""

    code: Code
    ctx: dict[str, Any] = field(default_factory=dict)
    loc: tuple[str | int, ...] = ()


@dataclass
class Content:
    """What one reader got out of a file."""

    pages: list[Page] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class Refused(Exception):
    """The whole file cannot be used; raised inside readers, turned into a finding by ingest."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code.value)
        self.problem = problem

    @classmethod
    def because(cls, code: Code, **ctx: Any) -> Refused:
        """A refusal with the message values for `code`."""
        return cls(Problem(code, ctx))


def too_many_pixels(width: int, height: int, max_pixels: int) -> Problem | None:
    """The `image_too_large` problem when width x height is over the limit, else None."""
    if width * height > max_pixels:
        return Problem(Code.IMAGE_TOO_LARGE, {"pixels": width * height, "limit": max_pixels})
    return None
