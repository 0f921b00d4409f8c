"""Fields read exactly on generated business licences (营业执照), per template and field.

    python -m bench.licence_reading [--templates original copy electronic sole_trader]
        [--count 4] [--presentations scan photo] [--seed 1] [--wrong]

Each licence goes through the whole pipeline (`checker.check.check_parts`) as a file: a PNG
scan or a JPEG phone photo (`fixtures.business_licence.licence_file`; `electronic` is a PDF with
a text layer whatever the presentation). A field counts when the report's kind is a business
licence and its value equals the printed one (`licence_truth`); a value reported that is not
the printed one is counted apart as wrong (worse than unread). `--wrong` lists each miss as
`field: unread` or `field: wrong`, with both values masked (their length and first character).
Also counts error findings on these clean licences (there should be none).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import Counter
from typing import Any

from bench import summary
from checker.check import check_parts
from checker.ocr import get_reader
from checker.policy import default_policy
from fixtures import business_licence as licences
from schemas.findings import Severity
from schemas.report import DocumentReport

KIND = "business_licence"
TARGET = 0.95  # fields exact on the unseen template (the acceptance)


def shown(report: DocumentReport, name: str) -> Any:
    read = report.fields.get(name) if report.fields is not None else None
    return read.value if read is not None else None


def masked(value: Any) -> str:
    """A value's shape without its content: `黄·6` (first character, length), dates as such."""
    if value is None:
        return "None"
    if isinstance(value, dt.date | bool):
        return type(value).__name__
    text = str(value)
    return f"{text[:1]}·{len(text)}"


def check_licence(
    template: str, seed: int, presentation: str
) -> tuple[DocumentReport, dict[str, Any]]:
    """The report of one generated licence, and what it prints."""
    policy = default_policy()
    licence = licences.sample_licence(template, seed)
    pdf = template == "electronic"
    data = licences.licence_file(
        licence, template, pdf=pdf, photo=presentation == "photo", seed=seed
    )
    name = "licence." + ("pdf" if pdf else "jpg" if presentation == "photo" else "png")
    parts = check_parts(
        (name, data), policy=policy, reader=get_reader(policy.ocr), as_of=licences.AS_OF
    )
    return parts[0].report, licences.licence_truth(licence, template)


def misses(report: DocumentReport, truth: dict[str, Any]) -> dict[str, str]:
    """Each field not read as printed: `unread`, `wrong` (another value), or the kind given."""
    if report.kind != KIND:
        return {name: f"kind {report.kind}" for name in truth}
    found = {}
    for name, printed in truth.items():
        value = shown(report, name)
        if value == printed:
            continue
        if value is None:
            found[name] = "unread"
        else:
            found[name] = f"wrong ({masked(value)} for {masked(printed)})"
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.licence_reading", description=__doc__)
    parser.add_argument("--templates", nargs="+", default=list(licences.TEMPLATES))
    parser.add_argument("--presentations", nargs="+", default=["scan", "photo"])
    parser.add_argument("--count", type=int, default=4, help="seeds per presentation")
    parser.add_argument("--seed", type=int, default=1, help="the first seed")
    parser.add_argument("--wrong", action="store_true", help="list every field missed")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    for template in args.templates:
        right, total, wrong = Counter[str](), Counter[str](), Counter[str]()
        by_field, field_total, errors = Counter[str](), Counter[str](), 0
        for presentation in args.presentations:
            for seed in range(args.seed, args.seed + args.count):
                report, truth = check_licence(template, seed, presentation)
                missed = misses(report, truth)
                errors += sum(f.severity == Severity.ERROR for f in report.findings)
                total[presentation] += len(truth)
                right[presentation] += len(truth) - len(missed)
                wrong[presentation] += sum(why.startswith("wrong") for why in missed.values())
                field_total.update(list(truth))
                by_field.update(name for name in truth if name not in missed)
                if args.wrong and missed:
                    listed = "; ".join(f"{name}: {why}" for name, why in missed.items())
                    print(f"  {template} {presentation} seed {seed}: {listed}", flush=True)
        shares = " ".join(
            f"{p} {right[p]}/{total[p]} ({wrong[p]} wrong)" for p in args.presentations
        )
        all_right, all_total = sum(right.values()), sum(total.values())
        print(
            f"{template:12} {all_right}/{all_total} = {all_right / max(1, all_total):6.1%}"
            f"  [{shares}]  errors on clean licences: {errors}",
            flush=True,
        )
        lost = [
            f"{name} {by_field[name]}/{field_total[name]}"
            for name in field_total
            if by_field[name] < field_total[name]
        ]
        if lost:
            print(f"  fields missed: {', '.join(lost)}", flush=True)
        share, wrongs = all_right / max(1, all_total), sum(wrong.values())
        figure = f"{all_right}/{all_total} = {share:.1%}, {wrongs} wrong, {errors} errors"
        if template == licences.UNSEEN_TEMPLATE:
            met = share >= TARGET and not wrongs and not errors
            summary.record(f"licence {template} (unseen)", figure, f">= {TARGET:.0%}", met)
        else:
            summary.record(f"licence {template}", figure)
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
