"""Business licence (营业执照, the 2019+ national format): what it registers about a company or
a sole trader (个体工商户), as printed.

Dates are `dt.date`; the registered capital is kept as printed (`壹佰万元整`, `100万元人民币`)
with its amount beside it as a plain decimal (`1000000.00`) when it parses.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from schemas.fields import DocumentFields, Facet, Label, facet
from schemas.reads import MaskableDate, Read

SOLE_TRADER_TYPE = "个体工商户"
# the label a sole trader's licence prints over the person who runs it (a company's: 法定代表人)
OPERATOR_LABELS = ("经营者",)


class BusinessLicenceFields(DocumentFields):
    """The fields of a business licence.

    The person is one field, `representative`: the 法定代表人 of a company, the 经营者 of a
    sole trader, the 负责人 of a branch, the 执行事务合伙人 of a partnership: one role on the
    page, never two, so the rules ask one facet; the label printed before it is kept as
    `representative_label` (itself printed, with its own box).
    """

    kind: Literal["business_licence"] = "business_licence"
    LABEL: ClassVar[Label] = {"zh": "营业执照", "en": "business licence"}
    RULES_OUT_CARDS: ClassVar[bool] = True  # a page of its own, never an identity card

    uscc: Read[str] | None = None  # 统一社会信用代码, 18 characters
    name: Read[str] | None = None  # 名称 / 企业名称 / 字号名称
    type: Read[str] | None = None  # 类型 / 组成形式: 有限责任公司（自然人投资或控股）, 个体工商户 …
    representative: Read[str] | None = None
    representative_label: Read[str] | None = None  # 法定代表人 / 经营者 / 负责人 …
    registered_capital: Read[str] | None = None  # as printed
    registered_capital_amount: Read[str] | None = None  # yuan, `1000000.00`
    established: Read[MaskableDate] | None = None  # 成立日期 / 注册日期
    valid_from: Read[MaskableDate] | None = None  # 营业期限 from
    valid_until: Read[MaskableDate] | None = None  # 营业期限 to; None with long_term
    long_term: Read[bool] | None = None  # 营业期限 … 至 长期 (or 长期 alone)
    address: Read[str] | None = None  # 住所 / 经营场所 / 营业场所
    registration_authority: Read[str] | None = None  # 登记机关
    issue_date: Read[MaskableDate] | None = None  # the date under the authority's seal

    def holder_name(self) -> Facet[str] | None:
        """The sole trader's operator (经营者), whose licence is the applicant's own business
        and names them; a company's legal representative need not be the applicant (None)."""
        if not self.is_sole_trader():
            return None
        return facet("representative", self.representative)

    def is_sole_trader(self) -> bool:
        """Whether the licence is a 个体工商户's: by its type, or, with the type unread, by
        the label over the person (经营者)."""
        if self.type is not None and self.type.value is not None:
            return SOLE_TRADER_TYPE in self.type.value
        label = self.representative_label
        return label is not None and label.value in OPERATOR_LABELS

    def business_name(self) -> Facet[str] | None:
        """The registered name of the business (to compare with, e.g., a bank statement's
        counterparties or the employer a certificate names)."""
        return facet("name", self.name)

    def business_uscc(self) -> Facet[str] | None:
        """The business's unified social credit code (to compare with the USCC an income
        certificate prints for its employer); `uscc` is the field's own name."""
        return facet("uscc", self.uscc)
