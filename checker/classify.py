"""Classification: which kind of document a file is, with a confidence, by evidence.

Every document module scores the file (`detect`, 0..1). The best score wins only when it is
at least MIN_CONFIDENCE and ahead of the next kind by MARGIN; otherwise the file is
`unknown` and `candidates` names the kinds that came close. Two kinds are not rivals when they
are the two sides of one card (`OTHER_SIDE`; both on one image is split later, see
`checker.split`). A card (`IS_CARD`: ID card, passport) holds a few of a certificate's labels
(姓名, 身份号码, dates), but no certificate or payslip title and body is ever on a card: a page
that is surely one of those (`RULES_OUT_CARDS`) is not a card. A kind may also name kinds that
read its pages by what they share (`NOT_RIVALS`: a tax record's monthly table of figures is no
transaction table). The traits are class variables of each kind's fields model.
"""

from __future__ import annotations

from checker.documents import Content, document_modules, fields_model
from schemas.kinds import DocumentKind

UNKNOWN = DocumentKind.UNKNOWN
MIN_CONFIDENCE = 0.5  # below this a file is `unknown`, and said so
MARGIN = 0.15  # the best kind must be this far ahead of the next one


def scores(content: Content) -> list[tuple[str, float]]:
    """Every kind's score, best first; cards left out when a page kind is sure."""
    scored = sorted(
        ((module.KIND, round(module.detect(content), 3)) for module in document_modules()),
        key=lambda item: -item[1],
    )
    if any(
        fields_model(kind).RULES_OUT_CARDS and score >= MIN_CONFIDENCE for kind, score in scored
    ):
        scored = [(kind, score) for kind, score in scored if not fields_model(kind).IS_CARD]
    return scored


def candidates(content: Content) -> list[tuple[str, float]]:
    """The kinds within MARGIN of the best one, when that is at least MIN_CONFIDENCE."""
    return _close(scores(content))


def _close(scored: list[tuple[str, float]]) -> list[tuple[str, float]]:
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
        for other, _ in _close(scored)
        if other not in (kind, fields_model(kind).OTHER_SIDE) and not _allied(kind, other)
    ]
    return (UNKNOWN, score) if rivals else (kind, score)


def _allied(kind: str, other: str) -> bool:
    """Whether either kind names the other as no rival of it."""
    return other in fields_model(kind).NOT_RIVALS or kind in fields_model(other).NOT_RIVALS
