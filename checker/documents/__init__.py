"""Document kinds: one module per kind, each with the same small interface.

A module here defines `KIND` (a string such as "cn_id_front"), `detect(reading) -> float`
(0..1, how sure it is that the page is of its kind), `extract(reading) -> Reads`
and `check(fields, context) -> list[Finding]`. Modules are found by convention: adding a file is
enough, there is no registry to keep in sync.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any, Protocol, cast

from checker.document import Box, Page, Reading, Table
from checker.ocr import Reader
from checker.policy import Policy
from checker.reading.flatten import FlatRead
from schemas.fields import DocumentFields, UnknownFields
from schemas.findings import Finding


@dataclass(frozen=True)
class CheckContext:
    """What a document check needs besides the fields: the policy, the date, the file."""

    policy: Policy
    as_of: dt.date
    file: str


@dataclass(frozen=True)
class Content:
    """Everything read from one file: page readings and, for exports, tables.

    `pages` (same order as `readings`) and `reader` let a module read a region again,
    e.g. a name as a single line or an ID number digits-only from a cleaned crop;
    `second_reader` (None when not installed or not chosen) reads what that still failed.
    `region` is set on a part of a page that holds several documents (both ID sides on one
    scan): words outside it belong to another document. `flat_reads` holds the reads of
    photographed statement sheets flattened before their first read (`checker.check`): the
    readings are then theirs with the boxes put on the photo, which `pages` keeps.
    `other_readings` holds the card reader's reading of a landscape photo that the page
    reader read too (its kind was not a card's): a module may take its fields from it where
    the page reader's lost them (`payslip`).
    """

    readings: tuple[Reading, ...]
    tables: tuple[Table, ...] = ()
    pages: tuple[Page, ...] = ()
    reader: Reader | None = None
    second_reader: Reader | None = None
    region: Box | None = None  # where on the page the document stands, when it shares it
    flat_reads: tuple[FlatRead, ...] = ()
    other_readings: tuple[Reading, ...] = ()


class DocumentModule(Protocol):
    KIND: str
    FIELDS: type[DocumentFields]

    def detect(self, content: Content) -> float: ...

    def extract(self, content: Content) -> DocumentFields: ...

    def check(self, fields: Any, context: CheckContext) -> list[Finding]: ...


_registered: list[DocumentModule] = []


@cache
def document_modules() -> tuple[DocumentModule, ...]:
    """Every document-kind module: this package's, in name order, then the registered ones."""
    modules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "KIND"):
            modules.append(cast(DocumentModule, module))
    return (*modules, *_registered)


def register_kind(module: ModuleType | DocumentModule) -> None:
    """Add a document kind kept outside this package (same interface as the modules here)."""
    kind = cast(DocumentModule, module)
    if module_for(kind.KIND) is not None:
        raise ValueError(f"a document kind {kind.KIND!r} is known already")
    _registered.append(kind)
    document_modules.cache_clear()


def unregister_kind(kind: str) -> None:
    """Remove a kind added with `register_kind` (tests)."""
    _registered[:] = [module for module in _registered if module.KIND != kind]
    document_modules.cache_clear()


def module_for(kind: str) -> DocumentModule | None:
    """The module that handles `kind`, if any."""
    return next((module for module in document_modules() if module.KIND == kind), None)


def fields_model(kind: str) -> type[DocumentFields]:
    """The model of `kind`'s fields (an unknown kind's holds none)."""
    module = module_for(kind)
    return module.FIELDS if module is not None else UnknownFields
