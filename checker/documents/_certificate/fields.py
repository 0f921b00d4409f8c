"""The certificate's fields: their labels (data: `labels/certificate.yaml`), what findings call
them, which are required and how each is read, and the shapes and confidences values are
judged by."""

from __future__ import annotations

import re

from checker.labelled import label_file
from schemas.labels import FieldLabels


def field_labels() -> dict[str, FieldLabels]:
    """Each field's labels and prose patterns (`labels/certificate.yaml`, validated)."""
    return label_file("certificate")


# field -> label variants as printed (spaces, colons and bracketed notes are ignored)
LABELS: dict[str, tuple[str, ...]] = {field: spec.labels for field, spec in field_labels().items()}
CERTIFICATE_FIELDS = (
    "employee_name",
    "id_number",
    "employer",
    "employer_uscc",
    "position",
    "employed_since",
    "monthly_income",
    "annual_income",
    "income_in_words",
    "issue_date",
    "contact_phone",
)
# a missing one of these is `field_unreadable`: the certificate cannot be used without it
REQUIRED = ("employee_name", "employer", "issue_date")
CJK_FIELDS = ("employee_name", "employer", "position", "issuer")
# not read again: no check uses the issuer's name (the seal's place is checked against its
# line's box), so a second read of it only costs time
NOT_REREAD = ("issuer",)
# fields read by the second reader when tesseract failed them
SECOND_READ_FIELDS = frozenset(CERTIFICATE_FIELDS)
# fields read again by the second reader when tesseract read them unsurely: the Chinese text
# fields, and the amounts the rules compare (人民币 17,700.40 read as 817700.40, unsurely)
UNSURE_TEXT_FIELDS = frozenset(
    {"employee_name", "position", "employer", "monthly_income", "annual_income"}
)
CHECKSUMMED = ("id_number", "employer_uscc")  # labels also looked for without a colon
# how many characters wide a value may be, in line heights (crop width when none was read)
DATE_FIELDS = ("issue_date", "employed_since")
VALUE_WIDTH = {"employee_name": 5, "position": 8, "employed_since": 9, "issue_date": 14}
DEFAULT_VALUE_WIDTH = 16
CLEAR = 0.80  # a word read at least this sure is taken as read
CONFIRMED = 0.90  # a lone read of a conflicting amount word must be this sure
ORG_SUFFIX = re.compile(r"(公司|集团|中心|研究院|研究所|医院|学校|大学|银行|事务所|委员会|局|厅)$")
CJK = re.compile(r"^[\u4e00-\u9fff·]+$")
ID_SHAPE = re.compile(r"\d{17}[\dXx]")
USCC_SHAPE = re.compile(r"[0-9A-Z]{18}")
PHONE_SHAPE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-\d{7,8}")
# figures with cents, never a piece of a longer number (15.000.00 is no 15.00 nor 000.00)
# (digits after it are no part of it: 元 is often read as 7 or 70)
AMOUNT_SHAPE = re.compile(r"(?<![\d.,，])(?:\d{1,3}(?:[,，]\d{3})+|\d+)\.\d{2}(?!\d*[.,，]\d)")
# a month with no day (自2019年3月起); one a day was lost from (2023年10月]日) is read again
MONTH_SHAPE = re.compile(r"\d{4}年\d{1,2}月(?=\s*(?:起|至今|以来|$))")
DATE_SHAPE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}[-./]\d{1,2}[-./]\d{1,2}")
