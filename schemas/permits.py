"""Residence permits of people who are not PRC residents: the Hong Kong / Macao / Taiwan
residents' residence permit (港澳台居民居住证, front and back) and the 2023 foreigner's
permanent residence ID card (外国人永久居留身份证, GA 2102-2023).

Both carry an 18-character number of the resident ID number's form (`schemas.identity`:
`id_number_kind` tells the three apart), so the rules that compare a holder's name and
number across documents work for their holders unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from schemas.fields import DocumentFields, Facet, Label, facet
from schemas.identity import id_birth_date, id_number_problem, read_date
from schemas.reads import MaskableDate, Read


def _number_birth(read: Read[str] | None) -> dt.date | None:
    """The birth date in a valid number."""
    number = read.value if read is not None else None
    if not number or id_number_problem(number) is not None:
        return None
    return id_birth_date(number)


class HmtResidencePermitFields(DocumentFields):
    """The front of a Hong Kong / Macao / Taiwan residents' residence permit: the holder.

    The same layout as the resident ID card's front without 民族; its number begins
    810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan)."""

    kind: Literal["hmt_residence_permit"] = "hmt_residence_permit"
    LABEL: ClassVar[Label] = {
        "zh": "港澳台居民居住证人像面",
        "en": "HK/Macao/Taiwan residence permit",
    }
    IDENTITY_RANK: ClassVar[int | None] = 0  # the holder's only mainland identity card
    IS_CARD: ClassVar[bool] = True
    OTHER_SIDE: ClassVar[str | None] = "hmt_residence_permit_back"

    name: Read[str] | None = None
    sex: Read[str] | None = None
    birth_date: Read[MaskableDate] | None = None
    address: Read[str] | None = None
    id_number: Read[str] | None = None

    def holder_name(self) -> Facet[str] | None:
        return facet("name", self.name)

    def holder_id_number(self) -> Facet[str] | None:
        return facet("id_number", self.id_number)

    def holder_birth_date(self) -> dt.date | None:
        """The printed birth date, else the one in a valid number."""
        return read_date(self.birth_date) or _number_birth(self.id_number)


class HmtResidencePermitBackFields(DocumentFields):
    """The back of the permit: issuer, validity (5 years), the holder's travel permit number
    (港澳居民来往内地通行证 H/M + 8 digits, 台湾居民来往大陆通行证 8 digits) and the issue count."""

    kind: Literal["hmt_residence_permit_back"] = "hmt_residence_permit_back"
    IS_CARD: ClassVar[bool] = True
    OTHER_SIDE: ClassVar[str | None] = "hmt_residence_permit"
    LABEL: ClassVar[Label] = {
        "zh": "港澳台居民居住证国徽面",
        "en": "HK/Macao/Taiwan residence permit (back)",
    }

    issuing_authority: Read[str] | None = None
    valid_from: Read[MaskableDate] | None = None
    valid_until: Read[MaskableDate] | None = None
    pass_number: Read[str] | None = None
    issue_count: Read[str] | None = None

    def travel_permit_number(self) -> Facet[str] | None:
        """The holder's travel permit number (通行证号码): a rule may hold it to the travel
        permit's own number when that document is read too."""
        return facet("pass_number", self.pass_number)


class ForeignPermanentResidentCardFields(DocumentFields):
    """The 2023 foreigner's permanent residence ID card: one side holds every field."""

    kind: Literal["foreign_permanent_resident_card"] = "foreign_permanent_resident_card"
    LABEL: ClassVar[Label] = {
        "zh": "外国人永久居留身份证",
        "en": "foreigner's permanent residence ID card",
    }
    IDENTITY_RANK: ClassVar[int | None] = 0  # ranks before the holder's passport (1)
    IS_CARD: ClassVar[bool] = True

    name: Read[str] | None = None  # in Latin letters, as printed: "SMITH, JOHN"
    chinese_name: Read[str] | None = None  # 中文姓名, when the card has one
    sex: Read[str] | None = None  # 男 / 女
    birth_date: Read[MaskableDate] | None = None
    nationality: Read[str] | None = None  # the three-letter code, "USA"
    nationality_name: Read[str] | None = None  # its Chinese name, "美国"
    valid_from: Read[MaskableDate] | None = None
    valid_until: Read[MaskableDate] | None = None
    id_number: Read[str] | None = None
    issuing_authority: Read[str] | None = None

    def holder_name(self) -> Facet[str] | None:
        """The name in Latin letters, as a passport's (the rules compare it the same way)."""
        return facet("name", self.name)

    def holder_chinese_name(self) -> Facet[str] | None:
        """The Chinese name (中文姓名), when the card prints one: the name other documents
        print in characters are held to."""
        return facet("chinese_name", self.chinese_name)

    def holder_id_number(self) -> Facet[str] | None:
        return facet("id_number", self.id_number)

    def holder_birth_date(self) -> dt.date | None:
        return read_date(self.birth_date) or _number_birth(self.id_number)
