"""Classification over every kind: the kind docready gives each file of a mixed set.

    python -m bench.classify [--seeds N] [--wrong]

The set, all drawn by the project's generators (the held-out styles included): the sample
applications' files (their truth names the kind; the quality_* cases, whose pictures are
meant to be unreadable, left out), resident ID cards of every style (front and back, a crop
and a photo), residence permits of every design (each side, a crop and a photo), travel
documents of every design (passport, TD1 ID card, visa), income
certificates of every wording and payslips of every layout (text PDF and 300 DPI image),
housing-fund and social-insurance records and tax records of every template (text PDF, one 300
DPI scan), business licences of every template (text PDF, and a scan or a phone photo), bank
statements of every layout (text PDF, one 200 DPI scan) and every export format. Prints the
share right per kind, and each file given another kind.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from bench import summary
from checker.check import check_parts
from checker.ocr import get_reader
from checker.policy import default_policy

AS_OF_ID = "2026-11-15"
Sample = tuple[str, str, bytes]  # (file name, true kind, bytes)


def golden() -> Iterator[Sample]:
    root = Path(__file__).resolve().parent.parent / "fixtures" / "applications"
    for truth_path in sorted(root.glob("*/*.truth.json")):
        if truth_path.parent.name.startswith("quality_"):
            continue
        truth = json.loads(truth_path.read_text())
        data_path = truth_path.with_name(truth["file"])
        yield f"{truth_path.parent.name}/{truth['file']}", truth["kind"], data_path.read_bytes()


def id_cards(seeds: int) -> Iterator[Sample]:
    from fixtures import id_styles

    for style in id_styles.STYLES:
        for presentation in ("crop", "photo"):
            for card in id_styles.generate_cards(style, 21, seeds, presentation=presentation):
                for side, kind in (("front", "cn_id_front"), ("back", "cn_id_back")):
                    yield f"id-{style}-{presentation}-{side}.jpg", kind, _jpeg(getattr(card, side))


def permit_cards(seeds: int) -> Iterator[Sample]:
    from bench.permit_reading import side_kinds
    from fixtures import permits

    for design in permits.DESIGNS:
        for presentation in ("crop", "photo"):
            for index in range(seeds):
                card = permits.generate_permit(design, 21, index, presentation)
                kinds = side_kinds(card.truth)
                for side, image in (("front", card.front), ("back", card.back)):
                    if image is not None:
                        name = f"permit-{design}-{presentation}-{side}.jpg"
                        yield name, kinds[side], _jpeg(image)


def travel(seeds: int) -> Iterator[Sample]:
    from fixtures import travel_docs

    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as folder:
        for design in travel_docs.DESIGNS:
            for index in range(seeds):
                presentation = ("clean", "photo", "jpeg")[index % 3]
                path = travel_docs.draw_one(Path(folder), f"{index}", design, presentation, rng)
                kind = json.loads(path.with_suffix(".truth.json").read_text())["kind"]
                yield path.name, kind, path.read_bytes()


def income(seeds: int) -> Iterator[Sample]:
    from fixtures import income_layouts as layouts

    for seed in range(seeds):
        font_name = layouts.IMAGE_FONTS[seed % len(layouts.IMAGE_FONTS)]
        for template in (*layouts.CERTIFICATE_TEMPLATES, layouts.UNSEEN_CERTIFICATE):
            kind = "employment_certificate" if template == "employment" else "income_certificate"
            cert = layouts.sample_certificate(template, seed)
            for pdf in (True, False):
                data = layouts.certificate_file(cert, template, pdf=pdf, font_name=font_name)
                yield f"cert-{template}-{seed}.{'pdf' if pdf else 'png'}", kind, data
        for template in (*layouts.PAYSLIP_TEMPLATES, layouts.UNSEEN_PAYSLIP):
            slip = layouts.sample_slip(template, seed)
            for pdf in (True, False):
                data = layouts.payslip_file(slip, template, pdf=pdf, font_name=font_name)
                yield f"payslip-{template}-{seed}.{'pdf' if pdf else 'png'}", "payslip", data


def contributions(seeds: int) -> Iterator[Sample]:
    from fixtures import contributions as records

    for seed in range(seeds):
        for template in records.all_templates():
            kind = records.kind_of(template)
            record = records.sample_record(kind, seed)
            yield f"{template}-{seed}.pdf", kind, records.record_file(record, template)
        template = list(records.all_templates())[seed % len(records.all_templates())]
        record = records.sample_record(records.kind_of(template), seed)
        scan = records.record_file(record, template, pdf=False)
        yield f"{template}-scan-{seed}.pdf", records.kind_of(template), scan


def licences(seeds: int) -> Iterator[Sample]:
    from fixtures import business_licence

    for seed in range(seeds):
        for index, template in enumerate(business_licence.TEMPLATES):
            licence = business_licence.sample_licence(template, seed)
            yield (
                f"licence-{template}-{seed}.pdf",
                "business_licence",
                business_licence.licence_file(licence, template, pdf=True),
            )
            photo = (index + seed) % 2 == 1
            data = business_licence.licence_file(licence, template, photo=photo, seed=seed)
            yield f"licence-{template}-{seed}.{'jpg' if photo else 'png'}", "business_licence", data


def statements(seeds: int) -> Iterator[Sample]:
    from fixtures import bank_layouts, exports

    for seed in range(seeds):
        for name in bank_layouts.LAYOUTS:
            yield (
                f"statement-{name}-{seed}.pdf",
                "bank_statement",
                bank_layouts.statement_pdf(name, seed + 7)[0],
            )
        name = list(bank_layouts.LAYOUTS)[seed % len(bank_layouts.LAYOUTS)]
        scan = bank_layouts.statement_scan(name, seed + 7, count=20)[0]
        yield f"statement-scan-{name}-{seed}.pdf", "bank_statement", scan
    for name in exports.FORMATS:
        export = exports.build(name)
        yield f"export-{name}{export.suffix}", "bank_statement", export.data


def tax_records(seeds: int) -> Iterator[Sample]:
    from fixtures import tax_record

    for seed in range(seeds):
        for template in (*tax_record.TEMPLATES, tax_record.UNSEEN):
            record = tax_record.sample_record(template, seed)
            data = tax_record.record_pdf(record, template)
            yield f"tax-{template}-{seed}.pdf", "tax_record", data
        template = tax_record.TEMPLATES[seed % len(tax_record.TEMPLATES)]
        scan = tax_record.record_scan(tax_record.sample_record(template, seed), template, seed)
        yield f"tax-scan-{template}-{seed}.pdf", "tax_record", scan


def _jpeg(image) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    import datetime as dt

    parser = argparse.ArgumentParser(prog="python -m bench.classify", description=__doc__)
    parser.add_argument("--seeds", type=int, default=1, help="generated files per style")
    parser.add_argument("--wrong", action="store_true", help="list every file misclassified")
    args = parser.parse_args(argv)
    policy = default_policy()
    reader = get_reader(policy.ocr)
    as_of = dt.date.fromisoformat(AS_OF_ID)
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong: list[str] = []
    started = time.perf_counter()
    sources = (
        golden(),
        id_cards(args.seeds),
        permit_cards(args.seeds),
        travel(2 * args.seeds),
        income(args.seeds),
        contributions(args.seeds),
        tax_records(args.seeds),
        licences(args.seeds),
    )
    for source in sources:
        for name, kind, data in source:
            _tally(name, kind, data, policy, reader, as_of, right, total, wrong)
    for name, kind, data in statements(args.seeds):
        _tally(name, kind, data, policy, reader, as_of, right, total, wrong)
    for kind in sorted(total):
        print(f"{kind:24} {right[kind]:>4}/{total[kind]:<4} {right[kind] / total[kind]:6.1%}")
    share = sum(right.values()) / max(1, sum(total.values()))
    print(
        f"{'all':24} {sum(right.values()):>4}/{sum(total.values()):<4} {share:6.1%}"
        f"   ({time.perf_counter() - started:.0f} s)"
    )
    if args.wrong or wrong:
        for line in wrong:
            print("   ", line)
    summary.record("classification, every kind", f"{share:.1%}", "≥ 98 %", share >= 0.98)
    return 0


def _tally(name, kind, data, policy, reader, as_of, right, total, wrong) -> None:  # type: ignore[no-untyped-def]
    parts = check_parts((name, data), policy=policy, reader=reader, as_of=as_of)
    kinds = sorted({part.report.kind for part in parts})
    total[kind] += 1
    if kinds == [kind]:
        right[kind] += 1
    else:
        wrong.append(f"{name}: {kind} read as {', '.join(kinds)}")


if __name__ == "__main__":
    raise SystemExit(main())
