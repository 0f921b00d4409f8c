"""Business licence (营业执照, 2019+ national format): a company's or a sole trader's
registration, as a photo or scan of the paper licence (landscape 正本 or portrait 副本) or a
PDF of the electronic one.

Fields are found by their printed labels (`labels/business_licence.yaml`), in one or two
columns, with or without colons; an image the page reader left a field of unread or unsure is
read once more by the second reader. Checks: the required fields read, the USCC's check
character, the term of operation (营业期限) not ended nor ending soon, no date in the future.
"""

from __future__ import annotations

from checker.documents import CheckContext, Content
from checker.documents._licence import checks, confirm, extraction, sealed
from schemas.business import BusinessLicenceFields
from schemas.findings import Finding
from schemas.kinds import DocumentKind

KIND = DocumentKind.BUSINESS_LICENCE
FIELDS = BusinessLicenceFields


def detect(content: Content) -> float:
    """0..1: the title 营业执照 and the licence's labels on the first page."""
    return extraction.detect(content)


def extract(content: Content) -> BusinessLicenceFields:
    """The licence's fields from the first page, each with where and how it was read."""
    if not content.readings:
        return FIELDS()
    first = extraction.read_fields(content.readings[0])
    fields = extraction.with_second_read(content, first)
    fields = confirm.confirmed_by_page_reader(content, fields)
    return FIELDS.of(sealed.checked_under_seal(content, fields))


def check(fields: BusinessLicenceFields, context: CheckContext) -> list[Finding]:
    """Required fields, USCC, term of operation, dates."""
    return checks.check(fields.reads(), context)
