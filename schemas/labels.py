"""Label synonyms as data: each field's printed labels and the prose patterns that find it."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, RootModel, field_validator


class FieldLabels(BaseModel):
    """One field: the labels it is printed under, and regexes that find it in a sentence
    (the value is the named group `value`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    labels: tuple[str, ...]
    prose: tuple[str, ...] = ()

    @field_validator("labels")
    @classmethod
    def _some_labels(cls, labels: tuple[str, ...]) -> tuple[str, ...]:
        if not labels or not all(label.strip() for label in labels):
            raise ValueError("at least one non-empty label")
        return labels

    @field_validator("prose")
    @classmethod
    def _patterns(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            try:
                compiled = re.compile(pattern)
            except re.error as error:
                raise ValueError(f"not a regex: {pattern!r}: {error}") from None
            if "value" not in compiled.groupindex:
                raise ValueError(f"no (?P<value>…) group: {pattern!r}")
        return patterns


class LabelSet(RootModel[dict[str, FieldLabels]]):
    """Every field of a document kind, by field name."""
