"""MRZ bench: docready against PassportEye on the same travel-document images, in one run.

For each reader: how many images it returned an MRZ for, how many with exactly the true lines,
how many with every check digit valid, and the median and mean time per image. The default
images are the unseen designs of `fixtures.travel_docs`, generated into a temporary folder;
`--dir` reads a folder of images with `NAME.truth.json` beside each instead. PassportEye is the
`bench` extra (`pip install 'docready[bench]'`); without it only docready is measured.
Run: `python -m bench mrz` (or `python -m bench.mrz --count 45 --dir DIR --only docready`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from checker.check import check_file
from checker.ocr import get_reader
from checker.policy import default_policy
from fixtures import travel_docs

AS_OF = dt.date(2026, 11, 15)
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


@dataclass
class Read:
    """What a reader returned for one image."""

    lines: list[str] | None
    valid: bool
    seconds: float
    kind: str = ""


@dataclass
class Tally:
    name: str
    returned: int = 0
    exact: int = 0
    valid: int = 0
    seconds: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, image: Path, truth: list[str], read: Read) -> None:
        self.seconds.append(read.seconds)
        self.returned += read.lines is not None
        self.valid += read.valid
        if read.lines == truth:
            self.exact += 1
        else:
            self.misses.append(f"{image.name} ({read.kind or '-'})")

    def row(self, total: int) -> str:
        median = statistics.median(self.seconds) if self.seconds else 0.0
        mean = statistics.fmean(self.seconds) if self.seconds else 0.0
        return (
            f"{self.name:<12} {self.returned:>3}/{total:<3} {self.exact:>3}/{total:<3}"
            f" ({100 * self.exact / max(1, total):5.1f}%) {self.valid:>3}/{total:<3}"
            f" {median:7.2f} {mean:7.2f}"
        )


def docready_reader() -> Callable[[Path], Read]:
    policy = default_policy()
    reader = get_reader(policy.ocr, cache=False)

    def read(image: Path) -> Read:
        started = time.perf_counter()
        report = check_file(image, policy=policy, reader=reader, as_of=AS_OF).report
        seconds = time.perf_counter() - started
        lines = report.fields.get("mrz_lines")
        value = lines.value if lines is not None else None
        checks = [f.value for name, f in report.fields.items() if name.startswith("check_")]
        valid = bool(value) and bool(checks) and all(checks)
        return Read(list(value) if value else None, valid, seconds, report.kind)

    return read


def passporteye_reader() -> Callable[[Path], Read] | None:
    warnings.filterwarnings("ignore", category=FutureWarning)  # scikit-image deprecations
    try:
        from passporteye import read_mrz
    except ImportError:
        return None

    def read(image: Path) -> Read:
        started = time.perf_counter()
        try:
            found = read_mrz(str(image))
        except Exception:  # it raises on images it cannot segment; that is "no MRZ"
            found = None
        seconds = time.perf_counter() - started
        if found is None:
            return Read(None, False, seconds)
        raw = found.aux.get("raw_text", "")
        lines = [line.replace(" ", "") for line in raw.splitlines() if line.strip()]
        return Read(lines, bool(found.valid), seconds, found.mrz_type or "")

    return read


def images_in(folder: Path) -> list[tuple[Path, list[str]]]:
    found = []
    for path in sorted(folder.iterdir()):
        truth = path.with_suffix(".truth.json")
        if path.suffix.lower() in IMAGE_SUFFIXES and truth.exists():
            found.append((path, json.loads(truth.read_text())["mrz_lines"]))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.mrz", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--dir", type=Path, help="images with NAME.truth.json beside each")
    parser.add_argument("--count", type=int, default=45, help="unseen images to generate")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=["docready", "passporteye"], help="one reader only")
    parser.add_argument("--misses", action="store_true", help="list the images not read exactly")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    readers: dict[str, Callable[[Path], Read] | None] = {}
    if args.only != "passporteye":
        readers["docready"] = docready_reader()
    if args.only != "docready":
        readers["passporteye"] = passporteye_reader()
        if readers["passporteye"] is None:
            print("passporteye is not installed (pip install 'docready[bench]'): skipped")
    with tempfile.TemporaryDirectory(prefix="bench-mrz-") as temp:
        folder = args.dir
        if folder is None:
            folder = Path(temp)
            travel_docs.generate(folder, travel_docs.SETS["unseen"], args.count, args.seed)
        images = images_in(folder)
        tallies = {name: Tally(name) for name, read in readers.items() if read is not None}
        for image, truth in images:
            for name, tally in tallies.items():
                tally.add(image, truth, readers[name](image))  # type: ignore[misc]
    total = len(images)
    print(f"{len(images)} images from {args.dir or 'the unseen designs (generated)'}")
    print(
        f"{'reader':<12} {'MRZ':>7} {'exact lines':>16} {'valid':>7} {'median s':>8} {'mean s':>7}"
    )
    for tally in tallies.values():
        print(tally.row(total))
        if args.misses and tally.misses:
            print("  not exact:", ", ".join(tally.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
