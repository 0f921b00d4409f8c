"""Classification: which kind of document a file is, with a confidence, by evidence.

Every document module scores the file (`detect`, 0..1). The best score wins only when it is
at least MIN_CONFIDENCE and ahead of the next kind by MARGIN; otherwise the file is
`unknown` and `candidates` names the kinds that came close. Two kinds are not rivals when they
are the two sides of one card (both on one image is split later, see `checker.split`), or when
one reads the other's pages by what they share (a tax record's monthly table of figures). A card
(ID card, passport) holds a few of a certificate's labels (姓名, 身份号码, dates), but no
certificate, payslip or statement title and body is ever on a card: a page that is surely one
of those is not a card.
"""

from __future__ import annotations

from checker.documents import Content, document_modules

UNKNOWN = "unknown"
MIN_CONFIDENCE = 0.5  # below this a file is `unknown`, and said so
MARGIN = 0.15  # the best kind must be this far ahead of the next one
CARD_KINDS = frozenset({"cn_id_front", "cn_id_back", "passport"})
PAGE_KINDS = frozenset({"income_certificate", "employment_certificate", "payslip"})
TAX_RECORD_LOOKALIKES = ("bank_statement", "mrz_id_card", "income_certificate")
NOT_RIVALS = (
    frozenset({"cn_id_front", "cn_id_back"}),
    # a tax record sure of its title and columns is no transaction table, TD1 zone (its
    # columns of figures) or income certificate (收入, 证件号码, 单位名称 labels) at once
    *(frozenset({"tax_record", other}) for other in TAX_RECORD_LOOKALIKES),
)


def scores(content: Content) -> list[tuple[str, float]]:
    """Every kind's score, best first; cards left out when a page kind is sure."""
    scored = sorted(
        ((module.KIND, round(module.detect(content), 3)) for module in document_modules()),
        key=lambda item: -item[1],
    )
    if any(kind in PAGE_KINDS and score >= MIN_CONFIDENCE for kind, score in scored):
        scored = [(kind, score) for kind, score in scored if kind not in CARD_KINDS]
    return scored


def candidates(content: Content) -> list[tuple[str, float]]:
    """The kinds within MARGIN of the best one, when that is at least MIN_CONFIDENCE."""
    scored = scores(content)
    if not scored or scored[0][1] < MIN_CONFIDENCE:
        return []
    best = scored[0][1]
    return [(kind, score) for kind, score in scored if best - score < MARGIN]


def classify(content: Content) -> tuple[str, float]:
    """The most likely kind of the file and how sure; `unknown` when no kind is sure, or
    when another kind is as likely (`candidates` names them)."""
    scored = scores(content)
    if not scored:
        return UNKNOWN, 0.0
    kind, score = scored[0]
    if score < MIN_CONFIDENCE:
        return UNKNOWN, score
    rivals = [
        other
        for other, _ in candidates(content)
        if other != kind and frozenset({kind, other}) not in NOT_RIVALS
    ]
    return (UNKNOWN, score) if rivals else (kind, score)
