"""The finding catalogue: default severity and bilingual message and fix for every code."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, RootModel

from schemas.findings import Code, Severity

Lang = Literal["zh", "en"]


class Wording(BaseModel):
    message: str
    hint: str


class Entry(BaseModel):
    severity: Severity
    zh: Wording
    en: Wording


class Catalogue(RootModel[dict[Code, Entry]]):
    """Every code with its wording; loading fails if a code has no entry."""


@cache
def catalogue() -> dict[Code, Entry]:
    """Load and validate `catalogue.yaml` once."""
    text = resources.files("schemas").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    entries = Catalogue.model_validate(yaml.safe_load(text)).root
    missing = set(Code) - set(entries)
    if missing:
        raise RuntimeError(f"catalogue.yaml lacks codes: {sorted(missing)}")
    return entries
