"""Fixtures shared by the checker's tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from checker.document import Reading, Word


@dataclass
class ScriptedReader:
    """A reader of regions by script: the n-th region is read as the n-th (text, score) of
    `script`, or every region as its only one; a whole page is never read."""

    script: list[tuple[str, float]]
    name: str = "scripted"
    version: str = "1"
    languages: str = ""
    options: str = ""

    def read(self, image, *, dpi, page):
        raise AssertionError("only regions are read")

    def read_regions(self, image, boxes, *, dpi, page, options):
        script = self.script * len(boxes) if len(self.script) == 1 else self.script
        assert len(script) == len(boxes)
        return [
            Reading(page, [Word(text, box, score)] if text else [], "ocr")
            for (text, score), box in zip(script, boxes, strict=True)
        ]


@pytest.fixture(name="scripted_reader", scope="session")
def fixture_scripted_reader() -> type[ScriptedReader]:
    """The `ScriptedReader` class (a conftest is not importable by test modules)."""
    return ScriptedReader
