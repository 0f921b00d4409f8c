"""Masking personal data in reports: ID numbers, names, accounts, phones, addresses."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

ModelT = TypeVar("ModelT", bound=BaseModel)

# field name -> how its value is masked
PERSONAL_FIELDS: dict[str, str] = {
    "name": "name",
    "employee_name": "name",
    "account_holder": "name",
    "representative": "name",
    "surname": "name",
    "given_names": "name",
    "id_number": "id_number",
    "personal_number": "id_number",
    "document_number": "id_number",
    "account_number": "account",
    "bank_account": "account",
    "phone": "phone",
    "contact_phone": "phone",
    "address": "address",
    "birth_date": "date",
    "mrz_lines": "mrz",
    "chinese_name": "name",
    "pass_number": "mrz",  # H12345678: every letter and digit hidden (too short to keep ends)
}
# "kind.field" where a kind's field of a common name holds something else (as
# schemas.catalogue.field_label names a kind's own label): its style, or None when the value
# is public. A business licence's `name` is the business's registered name, not a person's.
KIND_FIELDS: dict[str, str | None] = {
    "business_licence.name": None,
}


def personal_style(field: str, kind: str | None = None) -> str | None:
    """How a field of a document of `kind` is masked; None when its value is not personal."""
    key = f"{kind}.{field}"
    return KIND_FIELDS[key] if key in KIND_FIELDS else PERSONAL_FIELDS.get(field)


def mask_id_number(value: str) -> str:
    """`110105199003071234` -> `110105********1234`: region kept, birth date hidden; a shorter
    number (a passport's `E12345678`) keeps its first character and last two (`E******78`)."""
    if len(value) <= 8:
        return "*" * len(value)
    if len(value) < 14:
        return value[:1] + "*" * (len(value) - 3) + value[-2:]
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_account(value: str) -> str:
    """`6222021234567891234` -> `6222 **** **** 1234`."""
    digits = re.sub(r"\s", "", value)
    if len(digits) <= 8:
        return "*" * len(digits)
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_name(value: str) -> str:
    """`张伟明` -> `张**`; `ZHANG WEIMING` -> `Z************`."""
    return value[:1] + "*" * (len(value) - 1)


def mask_phone(value: str) -> str:
    """`13812345678` -> `138****5678`."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_address(value: str) -> str:
    """Keep the first six characters (province and city), hide the rest."""
    return value[:6] + "*" * max(0, len(value) - 6)


_MASKERS: dict[str, Callable[[str], str]] = {
    "name": mask_name,
    "id_number": mask_id_number,
    "account": mask_account,
    "phone": mask_phone,
    "address": mask_address,
    "date": lambda value: re.sub(r"\d", "*", value),
    "mrz": lambda value: re.sub(r"[A-Z0-9]", "*", value),
}


def mask_value(field: str, value: Any, kind: str | None = None) -> Any:
    """The masked form of a personal field's value; other fields pass unchanged."""
    style = personal_style(field, kind)
    if style is None or value is None:
        return value
    if isinstance(value, list):
        return [mask_value(field, item, kind) for item in value]
    return _MASKERS[style](str(value))


def _mask_in_place(style: str, value: str) -> str:
    """`value` masked by `style` with every character kept in its place: an account's
    grouped mask (`6222 **** **** 1234`) would hide where two numbers differ."""
    if style == "account" and len(value) > 8:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    return str(_MASKERS[style](value))


def mask_pair(field: str, first: str, second: str) -> tuple[str, str]:
    """Two values of one field that differ (a name on two documents, a number typed and one
    printed), masked alike: each as `mask_value` masks it and, when they differ in a few places
    (at most a third of the positions, at least one), those positions shown in both, so the
    reader sees what differs and nothing more (`周志明`, `周志鸣` -> `周*明`, `周*鸣`). Two
    wholly different values (another person's name) keep the plain mask: the difference is not
    a detail then. A field that is not personal (an employer, an amount) passes unchanged."""
    style = PERSONAL_FIELDS.get(field)
    if style is None:
        return first, second
    if style == "account":  # compared digit by digit, spaces aside
        first, second = re.sub(r"\s", "", first), re.sub(r"\s", "", second)
    masked = [list(_mask_in_place(style, first)), list(_mask_in_place(style, second))]
    longest = max(len(first), len(second))
    differ = [
        index
        for index in range(longest)
        if index >= min(len(first), len(second)) or first[index] != second[index]
    ]
    if len(differ) <= max(1, longest // 3):
        for index in differ:
            if index < len(first):
                masked[0][index] = first[index]
            if index < len(second):
                masked[1][index] = second[index]
    return "".join(masked[0]), "".join(masked[1])


def masked_forms(field: str, value: Any, kind: str | None = None) -> list[tuple[str, str]]:
    """(text, masked text) of a personal field's value (each item of a list), as read and with
    its spaces removed; none for a field that is not personal."""
    if personal_style(field, kind) is None:
        return []
    forms = []
    for item in value if isinstance(value, list) else [value]:
        if item is not None:
            for text in (str(item), re.sub(r"\s", "", str(item))):
                forms.append((text, str(mask_value(field, text, kind))))
    return forms


class Scrubber:
    """Replaces every known personal value wherever it appears in a report's text."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        unique = {raw: masked for raw, masked in pairs if raw and len(raw) >= 2 and raw != masked}
        self._pairs = sorted(unique.items(), key=lambda pair: -len(pair[0]))

    @classmethod
    def for_fields(cls, fields: Iterable[tuple[str, Any]], kind: str | None = None) -> Scrubber:
        """A scrubber for these (field name, value) pairs of a document of `kind`;
        non-personal fields are ignored."""
        return cls(pair for field, value in fields for pair in masked_forms(field, value, kind))

    def text(self, value: str) -> str:
        for raw, masked in self._pairs:
            value = value.replace(raw, masked)
        return value

    def data(self, value: Any) -> Any:
        """Scrub every string inside nested dicts, lists and tuples."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.data(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.data(item) for item in value)
        return value

    def model(self, model: ModelT) -> ModelT:
        """A copy of a pydantic model with every string scrubbed."""
        return type(model).model_validate(self.data(model.model_dump(mode="python")))
