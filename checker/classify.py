"""Classification: which kind of document a file is, with a confidence."""

from __future__ import annotations

from checker.documents import Content, document_modules

UNKNOWN = "unknown"
MIN_CONFIDENCE = 0.5  # below this a file is `unknown`, and said so


def classify(content: Content) -> tuple[str, float]:
    """The most likely kind of the file and how sure; `unknown` when no module is sure."""
    best_kind, best_score = UNKNOWN, 0.0
    for module in document_modules():
        score = module.detect(content)
        if score > best_score:
            best_kind, best_score = module.KIND, score
    if best_score < MIN_CONFIDENCE:
        return UNKNOWN, round(best_score, 3)
    return best_kind, round(best_score, 3)
