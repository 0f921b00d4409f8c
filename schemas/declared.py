"""Declared fields: what the applicant typed into the intake form."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class DeclaredFields(BaseModel):
    """The form's fields, as typed. Validity is checked by `checker.check_fields`."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: str | None = None
    id_number: str | None = None
    phone: str | None = None
    employer: str | None = None
    monthly_income: str | None = None
    bank_account: str | None = None
