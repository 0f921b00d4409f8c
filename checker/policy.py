"""Policies: the limits, thresholds and required documents that checks use, from YAML."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.yaml_model import parse_yaml_model


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limits(_Strict):
    max_file_bytes: int = Field(gt=0)
    max_pixels: int = Field(gt=0)
    max_pages: int = Field(gt=0)
    max_table_rows: int = Field(gt=0)
    max_table_bytes: int = Field(gt=0)


class OcrSettings(_Strict):
    engine: Literal["tesseract", "rapidocr"] = "tesseract"
    # reads a field the engine failed, where installed (None: no second reader)
    second_engine: Literal["rapidocr"] | None = None
    languages: str = "chi_sim+eng"
    timeout_seconds: float = Field(gt=0)
    render_dpi: int = Field(ge=72, le=600)


class QualityThresholds(_Strict):
    min_sharpness: float
    min_short_side_px: int
    max_glare_ratio: float
    min_brightness: float
    max_brightness: float
    min_ocr_confidence: float
    clean_read_confidence: float = 0.80


class Recency(_Strict):
    certificate_days: int
    statement_days: int
    statement_months: int
    id_valid_margin_days: int
    # a tax record's latest month at most this many months before the current one (tax of a
    # month is filed in the next, so a fresh export ends one or two months back)
    tax_record_months: int = Field(default=3, ge=0)
    # a housing-fund or social-insurance record's latest month at most this many months
    # before the month of the check (a record printed in November shows September at least)
    contribution_lag_months: int = Field(default=2, ge=0)


class Tolerances(_Strict):
    income_vs_credits: float
    annual_vs_monthly: float
    min_net_share: float = Field(default=0.65, gt=0, le=1)
    # the income certified against the tax record's wage income (both gross)
    tax_vs_certified: float = Field(default=0.20, ge=0)
    # how far the declared (or certified) income may exceed the housing fund's monthly base
    income_vs_contribution_base: float = Field(default=1.0, ge=0)


class ApplicantRange(_Strict):
    min_age: int
    max_age: int


class Requirement(_Strict):
    """One required document: satisfied when every kind of one alternative is present."""

    name: dict[str, str]  # {"zh": …, "en": …}
    any_of: list[list[str]]


class Profile(_Strict):
    description: str = ""
    label: dict[str, str] = Field(default_factory=dict)  # {"zh": …, "en": …}, shown to people
    requires: list[Requirement]
    # the business licence's name must appear on the statements (holder or counterparty)
    business_on_statements: bool = False


class Policy(_Strict):
    limits: Limits
    ocr: OcrSettings
    quality: QualityThresholds
    recency: Recency
    tolerances: Tolerances
    applicant: ApplicantRange
    profiles: dict[str, Profile]


class PolicyError(Exception):
    """The policy file cannot be used; the message names the file, line and field."""


def parse_policy(text: str, source: str) -> Policy:
    """Validate policy YAML; any problem raises PolicyError with file and line."""
    return parse_yaml_model(text, source, Policy, PolicyError, "policy sections")


@cache
def default_policy() -> Policy:
    """The policy that ships inside the package."""
    text = resources.files("checker").joinpath("policies/default.yaml").read_text("utf-8")
    return parse_policy(text, "default.yaml")


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy in `path`, or the default one."""
    if path is None:
        return default_policy()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyError(f"{path}: cannot read: {error.strerror}") from None
    return parse_policy(text, str(path))
