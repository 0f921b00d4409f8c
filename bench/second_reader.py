"""Second-reader bench: what reading the fields tesseract failed with RapidOCR costs.

On the committed certificate photo whose issue date lies under the seal, it times a full
`check_file` with the second reader on and off, runs interleaved, one tesseract reader and one
second reader kept across runs (as in the API and the batch workers; the first run, which
loads RapidOCR's model, is printed apart). It also times the two readers on the same crops of
the date line: tesseract (psm 7, chi_sim) and RapidOCR (recognition only), warm; and the two
as page readers on the OCR bench's drawn ID card and A4 certificate (warm, no cache).
`--applications` also checks every committed sample application with each page reader and
counts those that give exactly their expected codes (about 4 minutes). Run:
`python -m bench.second_reader` (`--runs 5`, `--applications`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path

from PIL import Image

from bench.images import ID_NUMBER, id_card, income_certificate
from checker.check import check_file, run_application
from checker.ocr import RegionOptions, get_reader, read_regions, second_reader
from checker.policy import Policy, default_policy
from schemas.findings import Severity

APPLICATIONS = Path(__file__).parents[1] / "fixtures" / "applications"
CERTIFICATE = APPLICATIONS / "quality_glare_id_photo" / "income_certificate.jpg"
AS_OF = dt.date(2026, 11, 15)
DATE_CROPS = [(880, 1670, 1090, 1720), (890, 1675, 1075, 1712)]  # the date line, two ways


def _without_second(policy: Policy) -> Policy:
    return policy.model_copy(update={"ocr": policy.ocr.model_copy(update={"second_engine": None})})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.second_reader", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--runs", type=int, default=5, help="runs (default 5)")
    parser.add_argument(
        "--applications", action="store_true", help="also check the sample applications"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with_second = default_policy()
    without = _without_second(with_second)
    reader = get_reader(with_second.ocr, cache=False)
    times: dict[str, list[float]] = {"on": [], "off": []}
    dates = {}
    for _ in range(args.runs + 1):  # the first run loads the second reader's model
        for name, policy in (("on", with_second), ("off", without)):
            started = time.perf_counter()
            checked = check_file(CERTIFICATE, policy=policy, reader=reader, as_of=AS_OF)
            times[name].append(time.perf_counter() - started)
            dates[name] = checked.report.fields["issue_date"]
    first_on = times["on"].pop(0)
    times["off"].pop(0)
    on, off = statistics.median(times["on"]), statistics.median(times["off"])
    print(
        f"Second reader: {CERTIFICATE.parent.name}/{CERTIFICATE.name}, {os.cpu_count()} CPUs, "
        f"median of {args.runs} runs after a first"
    )
    print(f"{'check, second reader off s':<32}{off:>8.3f}   issue date {dates['off'].value}")
    print(
        f"{'check, second reader on s':<32}{on:>8.3f}   issue date {dates['on'].value} "
        f"({dates['on'].method})"
    )
    print(f"{'first check, model loading s':<32}{first_on:>8.3f}")
    print(f"{'ratio on / off':<32}{on / off:>8.2f}")
    page = _page()
    second = second_reader(with_second.ocr)
    assert second is not None
    crop_times: dict[str, list[float]] = {"tesseract": [], "rapidocr": []}
    line = RegionOptions(psm=7, languages="chi_sim")
    for _ in range(args.runs):
        for name, engine in (("tesseract", reader), ("rapidocr", second)):
            started = time.perf_counter()
            read_regions(engine, page, DATE_CROPS, dpi=300, page=1, options=line)
            crop_times[name].append(time.perf_counter() - started)
    for name, values in crop_times.items():
        print(f"{'two date crops, ' + name + ' s':<32}{statistics.median(values):>8.3f}")
    as_page_reader = with_second.ocr.model_copy(update={"engine": "rapidocr"})
    readers = {"tesseract": reader, "rapidocr": get_reader(as_page_reader, cache=False)}
    for image_name, image in (("ID card", id_card()), ("A4 certificate", income_certificate())):
        for name, engine in readers.items():
            engine.read(image, dpi=300, page=1)  # warm: models loaded
            page_times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                reading = engine.read(image, dpi=300, page=1)
                page_times.append(time.perf_counter() - started)
            number = "yes" if ID_NUMBER in reading.text.replace(" ", "") else "no"
            label = f"page read, {image_name}, {name} s"
            print(f"{label:<40}{statistics.median(page_times):>8.3f}   ID number read: {number}")
    if args.applications:
        for name in readers:
            exact, total, seconds = _applications(with_second, name)
            print(
                f"sample applications exact, {name} page reader: {exact}/{total} ({seconds:.0f} s)"
            )
    return 0


def _applications(policy: Policy, engine: str) -> tuple[int, int, float]:
    """How many sample applications give exactly their expected error and warning codes with
    `engine` as the page reader (the second reader on), and the seconds it took."""
    policy = policy.model_copy(update={"ocr": policy.ocr.model_copy(update={"engine": engine})})
    reader = get_reader(policy.ocr, cache=False)
    exact = total = 0
    started = time.perf_counter()
    for case in sorted(path for path in APPLICATIONS.iterdir() if path.is_dir()):
        expected = json.loads((case / "expected.json").read_text("utf-8"))
        report = run_application(
            [case],
            as_of=dt.date.fromisoformat(expected["as_of"]),
            profile=expected["profile"],
            policy=policy,
            reader=reader,
        )
        found = {
            finding.code.value
            for finding in report.findings
            if finding.severity in (Severity.ERROR, Severity.WARNING)
        }
        exact += found == set(expected["codes"])
        total += 1
    return exact, total, time.perf_counter() - started


def _page() -> Image.Image:
    with Image.open(CERTIFICATE) as image:
        return image.convert("RGB")


if __name__ == "__main__":
    raise SystemExit(main())
