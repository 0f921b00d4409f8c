"""The report: what docready read from each document, what it found, and the verdict."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, Discriminator, Field, SerializeAsAny, Tag, model_validator
from pydantic.main import IncEx

from schemas.business import BusinessLicenceFields
from schemas.contributions import HousingFundFields, SocialInsuranceFields
from schemas.fields import DocumentFields, UnknownFields
from schemas.findings import Finding, Severity
from schemas.identity import (
    CnIdBackFields,
    CnIdFrontFields,
    MrzIdCardFields,
    PassportFields,
    VisaFields,
)
from schemas.income import EmploymentCertificateFields, IncomeCertificateFields, PayslipFields
from schemas.permits import (
    ForeignPermanentResidentCardFields,
    HmtResidencePermitBackFields,
    HmtResidencePermitFields,
)
from schemas.statement import BankStatementFields
from schemas.tax import TaxRecordFields


class Verdict(StrEnum):
    """Whether an application can be submitted as it is."""

    READY = "ready"  # no error, no warning
    REVIEW = "review"  # warnings only
    NOT_READY = "not_ready"  # at least one error


KNOWN_FIELDS: tuple[type[DocumentFields], ...] = (
    CnIdFrontFields,
    CnIdBackFields,
    PassportFields,
    MrzIdCardFields,
    VisaFields,
    IncomeCertificateFields,
    EmploymentCertificateFields,
    PayslipFields,
    BankStatementFields,
    TaxRecordFields,
    HousingFundFields,
    SocialInsuranceFields,
    BusinessLicenceFields,
    HmtResidencePermitFields,
    HmtResidencePermitBackFields,
    ForeignPermanentResidentCardFields,
    UnknownFields,
)
_KNOWN_KINDS = frozenset(model.model_fields["kind"].default for model in KNOWN_FIELDS)


def _kind_tag(fields: Any) -> str:
    """A known kind's own model; a kind registered from outside keeps its model as it is."""
    kind = fields.get("kind") if isinstance(fields, dict) else getattr(fields, "kind", None)
    return str(kind) if kind in _KNOWN_KINDS else "other"


# the fields of one document: a union of the kinds' models, discriminated on `kind`
KindFields = Annotated[
    Annotated[CnIdFrontFields, Tag("cn_id_front")]
    | Annotated[CnIdBackFields, Tag("cn_id_back")]
    | Annotated[PassportFields, Tag("passport")]
    | Annotated[MrzIdCardFields, Tag("mrz_id_card")]
    | Annotated[VisaFields, Tag("visa")]
    | Annotated[IncomeCertificateFields, Tag("income_certificate")]
    | Annotated[EmploymentCertificateFields, Tag("employment_certificate")]
    | Annotated[PayslipFields, Tag("payslip")]
    | Annotated[BankStatementFields, Tag("bank_statement")]
    | Annotated[TaxRecordFields, Tag("tax_record")]
    | Annotated[HousingFundFields, Tag("housing_fund")]
    | Annotated[SocialInsuranceFields, Tag("social_insurance")]
    | Annotated[BusinessLicenceFields, Tag("business_licence")]
    | Annotated[HmtResidencePermitFields, Tag("hmt_residence_permit")]
    | Annotated[HmtResidencePermitBackFields, Tag("hmt_residence_permit_back")]
    | Annotated[ForeignPermanentResidentCardFields, Tag("foreign_permanent_resident_card")]
    | Annotated[UnknownFields, Tag("unknown")]
    | Annotated[SerializeAsAny[DocumentFields], Tag("other")],
    Discriminator(_kind_tag),
]


class PageQuality(BaseModel):
    """Image metrics of one page, measured before reading."""

    page: int
    width: int
    height: int
    dpi: int | None = None
    source: str  # text_layer, ocr, table
    sharpness: float | None = None  # variance of the Laplacian, greyscale
    brightness: float | None = None  # mean grey level 0..255
    glare_ratio: float | None = None  # share of saturated pixels
    phash: str | None = None  # perceptual hash, to spot one image submitted twice
    ocr_confidence: float | None = None  # mean word confidence 0..1
    ocr_seconds: float | None = None
    ocr_cached: bool | None = None


class DocumentReport(BaseModel):
    """One file: its kind, what was read from it, and its findings."""

    file: str
    part: str | None = None  # which part of the file ("pages 2-3"), when it holds several
    media_type: str | None = None
    kind: str = "unknown"
    kind_confidence: float = 0.0
    pages: int = 0
    fields: KindFields = Field(default_factory=UnknownFields)
    quality: list[PageQuality] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _fields_of_kind(cls, data: Any) -> Any:
        """Fields given as a mapping are the document's kind's (`fields={"name": …}`)."""
        if isinstance(data, dict) and isinstance(data.get("fields"), dict):
            fields = data["fields"]
            if "kind" not in fields:
                data = {**data, "fields": {"kind": data.get("kind", "unknown"), **fields}}
        return data

    @property
    def verdict(self) -> Verdict:
        return verdict_of(self.findings)


class Summary(BaseModel):
    """The verdict in a sentence, and how many findings of each severity back it."""

    errors: int = 0
    warnings: int = 0
    info: int = 0
    text: str = ""  # in the report's language, e.g. "not ready: 2 errors, 1 warning"


SUMMARY_TEXT = {
    "zh": {
        Verdict.READY: "可以提交",
        Verdict.REVIEW: "需核对后提交",
        Verdict.NOT_READY: "暂不可提交",
    },
    "en": {
        Verdict.READY: "ready to submit",
        Verdict.REVIEW: "check before submitting",
        Verdict.NOT_READY: "not ready to submit",
    },
}


def _tally(errors: int, warnings: int, lang: str) -> str:
    if lang == "zh":
        parts = [f"{errors} 个错误" if errors else "", f"{warnings} 个提醒" if warnings else ""]
        return "，".join(part for part in parts if part)
    parts = [
        f"{errors} error{'s' * (errors != 1)}" if errors else "",
        f"{warnings} warning{'s' * (warnings != 1)}" if warnings else "",
    ]
    return ", ".join(part for part in parts if part)


def summarise(verdict: Verdict, findings: list[Finding], lang: str) -> Summary:
    """The counts of `findings` by severity and the verdict as a sentence in `lang`."""
    counts = {severity: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
    words = SUMMARY_TEXT["zh" if lang == "zh" else "en"][verdict]
    tally = _tally(errors, warnings, lang)
    colon = "：" if lang == "zh" else ": "
    return Summary(
        errors=errors,
        warnings=warnings,
        info=counts[Severity.INFO],
        text=f"{words}{colon}{tally}" if tally else words,
    )


BRIEF_FIELDS = {"transactions"}  # the long lists `--brief` leaves out


class Report(BaseModel):
    """One application: the verdict and its reasons first, then every document read.

    The order of the fields is the order of the JSON: a reader sees the verdict, the summary
    and the findings before the documents and their fields."""

    verdict: Verdict
    summary: Summary = Field(default_factory=Summary)
    as_of: dt.date
    profile: str
    lang: str = "zh"
    masked: bool = True
    findings: list[Finding] = Field(default_factory=list)
    documents: list[DocumentReport] = Field(default_factory=list)

    @model_validator(mode="after")
    def _summarise(self) -> Report:
        self.summary = summarise(self.verdict, self.findings, self.lang)
        return self

    def to_json(self, *, indent: int | None = 2, brief: bool = False) -> str:
        """The report as JSON; each finding is listed once, under `findings`. `brief` leaves
        out the transactions, the boxes and the raw text of the fields (what a person reads
        the report for: the verdict, the findings, the values read)."""
        if not brief:
            return self.model_dump_json(
                indent=indent, exclude={"documents": {"__all__": {"findings"}}}
            )
        documents = [
            document.model_copy(
                update={
                    "fields": document.fields.model_copy(
                        update=dict.fromkeys(BRIEF_FIELDS & set(type(document.fields).model_fields))
                    )
                }
            )
            for document in self.documents
        ]

        def leave_out(document: DocumentReport) -> IncEx:
            provenance: IncEx = {name: {"box", "raw"} for name in document.fields.reads()}
            return {"findings": True, "fields": provenance}

        exclude: IncEx = {index: leave_out(doc) for index, doc in enumerate(documents)}
        return self.model_copy(update={"documents": documents}).model_dump_json(
            indent=indent, exclude={"documents": exclude}
        )


def verdict_of(findings: list[Finding]) -> Verdict:
    """`not_ready` on any error, `review` on any warning, else `ready`."""
    severities = {finding.severity for finding in findings}
    if Severity.ERROR in severities:
        return Verdict.NOT_READY
    if Severity.WARNING in severities:
        return Verdict.REVIEW
    return Verdict.READY


def report_json_schema() -> dict[str, Any]:
    """The published JSON Schema of a report (as `Report.to_json` writes it)."""
    return Report.model_json_schema(mode="serialization")
