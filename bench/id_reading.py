"""ID-card reading bench: fields read exactly, per style and presentation of the generator.

Generates cards with `fixtures.id_styles` (every style, the held-out `unseen` one included),
checks each image as the product does (`check_parts`: gate, page reading, classification,
splitting a sheet of both sides, extraction, checks) and prints, per style and presentation,
the share of each field read exactly, the cards with an error-severity finding (none is
expected on a clean card) and the verdict codes of the planted defects.
Run: `python -m bench id_reading` (all styles), or `python -m bench.id_reading --styles
unseen --count 12 --presentations crop photo`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from PIL import Image

from checker.check import check_parts
from checker.ocr import get_reader
from checker.policy import default_policy
from schemas.findings import Severity
from schemas.report import DocumentReport

AS_OF = dt.date(2026, 11, 15)
FRONT_FIELDS = ("name", "sex", "ethnicity", "birth_date", "address", "id_number")
BACK_FIELDS = ("issuing_authority", "valid_from", "valid_until")
DEFECT_CODES = {
    "id_birth_date": "id_birth_date_mismatch",
    "id_check_digit": "id_number_invalid",
    "id_expired": "id_expired",
}


@dataclass
class Tally:
    """Fields read exactly, cards with an error, and seconds, for one set of images."""

    exact: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    seconds: float = 0.0
    images: int = 0

    def share(self, name: str) -> float | None:
        return self.exact[name] / self.total[name] if self.total[name] else None


def shown(report: DocumentReport, name: str) -> str | None:
    """A field's value as the truth files write it (ISO dates, 长期)."""
    if name == "valid_until":
        long_term = report.fields.get("long_term")
        if long_term is not None and long_term.value is True:
            return "长期"
    found = report.fields.get(name)
    if found is None or found.value is None:
        return None
    value = found.value
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def check_images(card, policy, reader) -> list[DocumentReport]:  # type: ignore[no-untyped-def]
    """Every document report of the card's images (one per side; a sheet is split)."""
    images = [getattr(card, side, None) for side in ("front", "back", "image")]
    reports = []
    for index, image in enumerate(images):
        if image is None:
            continue
        parts = check_parts(
            (f"card{index}.jpg", jpeg(image)), policy=policy, reader=reader, as_of=AS_OF
        )
        reports += [part.report for part in parts]
    return reports


def tally(cards, policy, reader) -> Tally:  # type: ignore[no-untyped-def]
    result = Tally()
    for number, card in enumerate(cards):
        started = time.perf_counter()
        reports = check_images(card, policy, reader)
        result.seconds += time.perf_counter() - started
        result.images += 1
        truth = card.truth
        by_kind = {report.kind: report for report in reports}
        for kind, names in (("cn_id_front", FRONT_FIELDS), ("cn_id_back", BACK_FIELDS)):
            report = by_kind.get(kind)
            for name in names:
                result.total[name] += 1
                read = shown(report, name) if report is not None else None
                if read == str(truth[name]):
                    result.exact[name] += 1
                else:
                    result.misses.append(f"#{number} {name}: {read!r} for {truth[name]!r}")
        errors = sorted(
            {f.code.value for r in reports for f in r.findings if f.severity == Severity.ERROR}
        )
        if errors:
            result.errors.append(f"#{number} {','.join(errors)}")
    return result


def main(argv: list[str] | None = None) -> int:
    from fixtures import id_styles

    parser = argparse.ArgumentParser(prog="python -m bench.id_reading", description=__doc__)
    parser.add_argument("--styles", nargs="*", default=list(id_styles.STYLES))
    parser.add_argument("--presentations", nargs="*", default=["crop", "photo", "scan_a4"])
    parser.add_argument("--count", type=int, default=6)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--misses", action="store_true", help="list every field read wrong")
    args = parser.parse_args(argv)
    policy = default_policy()
    reader = get_reader(policy.ocr, cache=False)
    names = FRONT_FIELDS + BACK_FIELDS
    print(
        f"{'style':<12}{'presentation':<14}"
        + "".join(f"{n[:9]:>10}" for n in names)
        + "  errors  s/card"
    )
    overall: dict[str, Counter[str]] = defaultdict(Counter)
    for style in args.styles:
        for presentation in args.presentations:
            cards = id_styles.generate_cards(
                style, args.seed, args.count, presentation=presentation, as_of=AS_OF
            )
            result = tally(cards, policy, reader)
            cells = "".join(
                f"{share:>10.0%}" if (share := result.share(n)) is not None else f"{'-':>10}"
                for n in names
            )
            print(
                f"{style:<12}{presentation:<14}{cells}  {len(result.errors):>6}"
                f"  {result.seconds / max(1, result.images):6.2f}"
            )
            for name in names:
                overall[name]["exact"] += result.exact[name]
                overall[name]["total"] += result.total[name]
            if args.misses:
                for line in result.misses + result.errors:
                    print("    ", line)
    cells = "".join(
        f"{o['exact'] / o['total']:>10.0%}" if o["total"] else f"{'-':>10}"
        for o in (overall[n] for n in names)
    )
    print(f"{'all':<26}{cells}")
    for defect, code in DEFECT_CODES.items():
        cards = id_styles.generate_cards(
            args.styles[0], args.seed, 2, presentation="crop", defect=defect, as_of=AS_OF
        )
        caught = sum(
            any(
                f.code.value == code for r in check_images(card, policy, reader) for f in r.findings
            )
            for card in cards
        )
        print(f"planted {defect}: {caught} of {len(cards)} caught ({code})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
