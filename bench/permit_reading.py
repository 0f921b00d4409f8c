"""Fields read exactly on generated residence permits, per design and presentation.

    python -m bench.permit_reading [--designs hmt_sans fpr_inline ...] [--count 4]
        [--presentations crop photo] [--seed 2026] [--wrong]

Each card goes through the whole pipeline (`checker.check.check_parts`) as a JPEG file, each
side its own file; a field counts when the report's kind is the card's and its value equals
the printed one. Prints the share per design and field, and the kinds given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import time
from collections import Counter
from typing import Any

from checker.check import check_parts
from checker.ocr import get_reader
from checker.policy import default_policy
from fixtures import permits
from schemas.report import DocumentReport

FIELDS = {
    "hmt_residence_permit": ("name", "sex", "birth_date", "address", "id_number"),
    "hmt_residence_permit_back": (
        "issuing_authority",
        "valid_from",
        "valid_until",
        "pass_number",
        "issue_count",
    ),
    "foreign_permanent_resident_card": (
        "name",
        "chinese_name",
        "sex",
        "birth_date",
        "nationality",
        "nationality_name",
        "valid_from",
        "valid_until",
        "id_number",
        "issuing_authority",
    ),
}
SIDES = {"front": 0, "back": 1}


def jpeg(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def side_kinds(truth: dict[str, Any]) -> dict[str, str]:
    """The kind each side of the card is: the HMT permit's back is a kind of its own."""
    if truth["kind"] == "hmt_residence_permit":
        return {"front": "hmt_residence_permit", "back": "hmt_residence_permit_back"}
    return {"front": truth["kind"]}


def shown(report: DocumentReport, name: str) -> Any:
    read = report.fields.get(name)
    value = read.value if read is not None else None
    return value.isoformat() if isinstance(value, dt.date) else value


def check_card(card: permits.GeneratedPermit, as_of: dt.date) -> dict[str, DocumentReport]:
    """The report of each side of the card, by side."""
    policy = default_policy()
    reader = get_reader(policy.ocr)
    images = {"front": card.front, "back": card.back}
    reports = {}
    for side, image in images.items():
        if image is None:
            continue
        parts = check_parts((f"{side}.jpg", jpeg(image)), policy=policy, reader=reader, as_of=as_of)
        reports[side] = parts[0].report
    return reports


def wrong_fields(card: permits.GeneratedPermit, reports: dict[str, DocumentReport]) -> list[str]:
    """Each field not read as printed: `field: read != printed` (kind named when wrong)."""
    wrong = []
    for side, kind in side_kinds(card.truth).items():
        report = reports[side]
        if report.kind != kind:
            wrong += [f"{name}: kind {report.kind}" for name in FIELDS[kind]]
            continue
        for name in FIELDS[kind]:
            if shown(report, name) != card.truth[name]:
                wrong.append(f"{name}: {shown(report, name)!r} != {card.truth[name]!r}")
    return wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.permit_reading", description=__doc__)
    parser.add_argument("--designs", nargs="+", default=list(permits.DESIGNS))
    parser.add_argument("--presentations", nargs="+", default=["crop", "photo"])
    parser.add_argument("--count", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--wrong", action="store_true", help="list every field misread")
    args = parser.parse_args(argv)
    as_of = dt.date.fromisoformat(permits.AS_OF.isoformat())
    started = time.perf_counter()
    for design in args.designs:
        right, total = Counter[str](), Counter[str]()
        for presentation in args.presentations:
            for index in range(args.count):
                card = permits.generate_permit(design, args.seed, index, presentation)
                reports = check_card(card, as_of)
                wrong = wrong_fields(card, reports)
                fields = [n for kind in side_kinds(card.truth).values() for n in FIELDS[kind]]
                total[presentation] += len(fields)
                right[presentation] += len(fields) - len(wrong)
                if args.wrong and wrong:
                    print(f"  {design} {presentation} {index}: {'; '.join(wrong)}")
        shares = " ".join(f"{p} {right[p] / max(1, total[p]):6.1%}" for p in args.presentations)
        print(f"{design:14} {shares}")
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
