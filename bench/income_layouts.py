"""Fields read exactly, per income-proof template, on generated text PDFs and page images.

    python -m bench.income_layouts [--images] [--seeds N] [templates…]

Text PDFs take the text layer (no OCR); `--images` also renders each template once per seed
as a 300 DPI scan in a rotating font and seal style (ink over the print, or multiplied as on
paper) and reads it with the configured OCR reader. Error findings on these clean documents
are listed with the misses.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from pathlib import Path

from checker.check import check_file
from checker.ocr import get_reader
from checker.policy import default_policy
from fixtures import income_layouts as layouts


def measure(
    template: str, seed: int, *, pdf: bool, font_name: str, tilt: float = 0.0
) -> tuple[str, int, int, dict]:
    """(kind, fields exact, fields printed, misses) for one generated file."""
    policy = default_policy()
    with tempfile.TemporaryDirectory() as folder:
        if template in layouts.CERTIFICATE_LAYOUTS:
            cert = layouts.sample_certificate(template, seed)
            style = layouts.SEAL_STYLES[seed % len(layouts.SEAL_STYLES)]
            data = layouts.certificate_file(
                cert, template, pdf=pdf, font_name=font_name, tilt=tilt, seal_style=style, seed=seed
            )
            truth = layouts.certificate_truth(cert, template)
        else:
            slip = layouts.sample_slip(template, seed)
            data = layouts.payslip_file(slip, template, pdf=pdf, font_name=font_name)
            truth = layouts.payslip_truth(slip)
        path = Path(folder) / f"{template}.{'pdf' if pdf else 'png'}"
        path.write_bytes(data)
        checked = check_file(
            path, policy=policy, reader=get_reader(policy.ocr), as_of=layouts.AS_OF
        )
    fields = checked.report.fields
    read = {name: fields[name].value if name in fields else None for name in truth}
    printed = {name: value for name, value in truth.items() if value is not None}
    misses: dict[str, object] = {
        name: (read[name], value) for name, value in printed.items() if read[name] != value
    }
    errors = [f.code.value for f in checked.report.findings if f.severity.value == "error"]
    if errors:
        misses["error findings"] = errors
    wrong = len(misses) - bool(errors)
    return checked.report.kind, len(printed) - wrong, len(printed), misses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("templates", nargs="*")
    parser.add_argument("--images", action="store_true")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--tilt", type=float, default=0.0, help="scan askew by this (degrees)")
    args = parser.parse_args()
    templates = args.templates or [
        *layouts.CERTIFICATE_TEMPLATES,
        layouts.UNSEEN_CERTIFICATE,
        *layouts.PAYSLIP_TEMPLATES,
        layouts.UNSEEN_PAYSLIP,
    ]
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for template in templates:
        for pdf in (True, False) if args.images else (True,):
            exact = total = 0
            kinds, misses = set(), []
            for seed in range(args.seeds):
                font_name = layouts.IMAGE_FONTS[seed % len(layouts.IMAGE_FONTS)]
                kind, ok, n, missed = measure(
                    template, seed, pdf=pdf, font_name=font_name, tilt=args.tilt
                )
                kinds.add(kind)
                exact, total = exact + ok, total + n
                misses.append(missed)
            medium = "pdf" if pdf else "image"
            print(f"{template:11} {medium:5} {exact}/{total} {sorted(kinds)} {misses}", flush=True)
            group = (
                "unseen"
                if template in (layouts.UNSEEN_CERTIFICATE, layouts.UNSEEN_PAYSLIP)
                else "certificate"
                if template in layouts.CERTIFICATE_LAYOUTS
                else "payslip"
            )
            sums[f"{group} {medium}"][0] += exact
            sums[f"{group} {medium}"][1] += total
    for group, (exact, total) in sums.items():
        print(f"{group:17} {exact}/{total} = {exact / total:.1%}")


if __name__ == "__main__":
    main()
