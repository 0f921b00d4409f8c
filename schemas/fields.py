"""What was read from one document: a typed model per kind, and the facets the rules ask.

Each kind's model (`CnIdFrontFields`, `PayslipFields` …) holds one `Read[...]` per field,
None when the field was not read. The model says, through its facets, what the application
rules compare across documents — whose document it is (`holder_name`, `holder_id_number`),
who employs them (`employer_name`), what income it certifies, which account it is of — so
the rules never name a kind or a field. A kind without a facet answers None.

Kind modules read into a plain `Reads` dict first and build their model at the end
(`of(reads)`); `reads()`, `get()` and `[name]` give that view back to code that walks fields
by name (masking, the HTML report, a kind's own checks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import ItemsView
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Generic, Literal, Self, TypeVar, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    GetJsonSchemaHandler,
    SerializerFunctionWrapHandler,
    model_serializer,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from schemas.findings import Code
from schemas.kinds import DocumentKind
from schemas.reads import Read, Reads

T = TypeVar("T")

Label = dict[str, str]  # {"zh": …, "en": …}


@dataclass(frozen=True)
class Facet(Generic[T]):
    """A value the rules compare across documents, and the field it was read as."""

    field: str
    read: Read[T]


class DocumentFields(BaseModel):
    """The fields of one document; each kind's model extends this with its `Read`s."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    LABEL: ClassVar[Label] = {"zh": "文件", "en": "file"}
    # an identity document (its holder is the applicant): lower ranks are asked first
    IDENTITY_RANK: ClassVar[int | None] = None
    # the finding when this kind's holder is someone else than the applicant
    HOLDER_MISMATCH: ClassVar[Code] = Code.NAME_MISMATCH
    # classification: a card (it holds a few of a page's labels, never a page's title and
    # body); a page kind that, when sure, rules cards out; the kind of the card's other side
    # (two sides on one image are no rivals)
    IS_CARD: ClassVar[bool] = False
    RULES_OUT_CARDS: ClassVar[bool] = False
    OTHER_SIDE: ClassVar[str | None] = None
    NOT_RIVALS: ClassVar[frozenset[str]] = frozenset()  # kinds that read its pages too

    @classmethod
    def of(cls, reads: Reads) -> Self:
        """The model of a kind's reads; a name that is not a field of the kind raises."""
        return cls.model_validate(reads)

    def reads(self) -> Reads:
        """The fields that were read (looked for, even when the value is None), by name."""
        return {
            name: value
            for name in type(self).model_fields
            if isinstance(value := getattr(self, name), Read)
        }

    def get(self, name: str) -> Read[Any] | None:
        value = getattr(self, name, None) if name in type(self).model_fields else None
        return value if isinstance(value, Read) else None

    def __getitem__(self, name: str) -> Read[Any]:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __setitem__(self, name: str, read: Read[Any]) -> None:
        if name == "kind" or name not in type(self).model_fields:
            raise KeyError(f"{name!r} is no field of {self.kind}")
        setattr(self, name, read)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def items(self) -> ItemsView[str, Read[Any]]:
        return self.reads().items()

    @model_serializer(mode="wrap")
    def _without_unread(self, handler: SerializerFunctionWrapHandler) -> Any:
        """The fields that were read: a field never looked for is left out, not null."""
        data = handler(self)
        return {name: value for name, value in data.items() if value is not None}

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Described by its fields, each optional (`_without_unread` leaves out the unread);
        a kind registered from outside is any kind but the built-in ones."""
        fields_only = {key: value for key, value in core_schema.items() if key != "serialization"}
        schema = handler(cast(CoreSchema, fields_only))
        if cls is DocumentFields:
            described = handler.resolve_ref_schema(schema)
            described["properties"]["kind"]["not"] = {"enum": [kind.value for kind in DocumentKind]}
        return schema

    # facets: a kind that carries one overrides it

    def holder_name(self) -> Facet[str] | None:
        """The name of the person the document is about."""
        return None

    def holder_chinese_name(self) -> Facet[str] | None:
        """Their name in Chinese characters where the document prints it beside a Latin one
        (a foreigner's permanent residence card's 中文姓名), for documents that print that."""
        return None

    def holder_id_number(self) -> Facet[str] | None:
        """Their resident ID number, as printed on the document."""
        return None

    def holder_birth_date(self) -> dt.date | None:
        """Their birth date (identity documents)."""
        return None

    def employer_name(self) -> Facet[str] | None:
        """The employer the document names."""
        return None

    def certified_income(self) -> Facet[str] | None:
        """The monthly income an employer certifies."""
        return None

    def certified_employer(self) -> Facet[str] | None:
        """The employer that issues the document about its own employee."""
        return None

    def account(self) -> Facet[str] | None:
        """The bank account the document is of."""
        return None


def facet(field: str, read: Read[T] | None) -> Facet[T] | None:
    """The facet of a field, when the field was read."""
    return None if read is None else Facet(field, read)


def amount(read: Read[str] | None) -> Decimal | None:
    """A money field's value (extraction writes it as a plain decimal, `12300.54`)."""
    if read is None or read.value is None:
        return None
    try:
        return Decimal(read.value)
    except InvalidOperation:
        return None


class UnknownFields(DocumentFields):
    """A document of no known kind: nothing is read from it."""

    kind: Literal["unknown"] = "unknown"
