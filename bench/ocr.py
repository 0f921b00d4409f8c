"""OCR stage bench: docready's reader against the bare tesseract CLI on the same image file.

For an ID card and an A4 certificate page drawn here, it prints the median time of
`reader.read` with a cold cache (a fresh, empty cache dir each run: hashing and storing
included), of `tesseract FILE stdout -l LANGS --dpi N` on the PNG file the image was saved as,
their ratio (target ≤ 1.1), and the time of a cache hit. Both sides run with the same
OMP_THREAD_LIMIT. Run: `python -m bench` (or `python -m bench.ocr --runs 7`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytesseract
from PIL import Image

from bench import summary
from bench.images import ID_NUMBER, id_card, income_certificate
from checker.ocr import get_reader
from checker.policy import default_policy

TARGET_RATIO = 1.1


@dataclass
class Result:
    name: str
    size: tuple[int, int]
    dpi: int
    decode: float
    cli: float
    docready: float
    cache_hit: float
    cli_read_number: bool
    docready_read_number: bool

    @property
    def ratio(self) -> float:
        return self.docready / self.cli


def bench_image(name: str, image: Image.Image, *, dpi: int, runs: int, workdir: Path) -> Result:
    """Time the CLI and docready's cold and cached reads of one image, runs interleaved."""
    settings = default_policy().ocr
    path = workdir / f"{name.replace(' ', '_')}.png"
    image.save(path, dpi=(dpi, dpi))
    command = [pytesseract.pytesseract.tesseract_cmd, str(path), "stdout"]
    command += ["-l", settings.languages, "--dpi", str(dpi)]

    decode_times, cli_times, docready_times, hit_times = [], [], [], []
    cli_text, docready_text = "", ""
    for _ in range(runs):
        started = time.perf_counter()
        decoded = Image.open(path).convert("RGB")
        decode_times.append(time.perf_counter() - started)

        started = time.perf_counter()
        cli_text = subprocess.run(command, capture_output=True, check=True).stdout.decode()
        cli_times.append(time.perf_counter() - started)

        with tempfile.TemporaryDirectory(dir=workdir) as cold_cache:
            reader = get_reader(settings, cache_dir=Path(cold_cache))
            started = time.perf_counter()
            reading = reader.read(decoded, dpi=dpi, page=1)
            docready_times.append(time.perf_counter() - started)
            docready_text = reading.text

            started = time.perf_counter()
            reader.read(decoded, dpi=dpi, page=1)  # now warm
            hit_times.append(time.perf_counter() - started)

    return Result(
        name=name,
        size=image.size,
        dpi=dpi,
        decode=statistics.median(decode_times),
        cli=statistics.median(cli_times),
        docready=statistics.median(docready_times),
        cache_hit=statistics.median(hit_times),
        cli_read_number=ID_NUMBER in cli_text,
        docready_read_number=ID_NUMBER in docready_text,
    )


def print_table(results: list[Result], *, runs: int, version: str) -> None:
    settings = default_policy().ocr
    print(
        f"OCR stage: {settings.engine} {version}, {settings.languages}, "
        f"OMP_THREAD_LIMIT={os.environ['OMP_THREAD_LIMIT']}, {os.cpu_count()} CPUs, "
        f"median of {runs} runs"
    )
    header = (
        f"{'image':<16}{'pixels':>11}{'dpi':>5}{'CLI s':>8}{'docready s':>12}{'ratio':>7}"
        f"{'cache hit ms':>14}{'decode ms':>11}  ID number read (CLI / docready)"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        read = " / ".join(
            "yes" if ok else "no" for ok in (result.cli_read_number, result.docready_read_number)
        )
        pixels = f"{result.size[0]}×{result.size[1]}"
        print(
            f"{result.name:<16}{pixels:>11}{result.dpi:>5}{result.cli:>8.3f}"
            f"{result.docready:>12.3f}{result.ratio:>7.2f}{result.cache_hit * 1000:>14.1f}"
            f"{result.decode * 1000:>11.1f}  {read}"
        )
    worst = max(result.ratio for result in results)
    verdict = "met" if worst <= TARGET_RATIO else "NOT met"
    print(f"target ratio ≤ {TARGET_RATIO}: {verdict} (worst {worst:.2f})")
    for result in results:
        summary.record(f"page OCR / tesseract CLI, {result.name}", f"{result.ratio:.2f}×")
    print(
        "docready s = reader.read on the decoded image with a cold cache (hash + store included);"
        " CLI s = tesseract on the PNG file (its decode included); decode ms = Pillow decoding"
        " that file, which ingest pays before the OCR stage."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per image (default 5)")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # the CLI subprocess inherits it too
    images = [("ID card", id_card(), 300), ("A4 certificate", income_certificate(), 300)]
    with tempfile.TemporaryDirectory(prefix="docready-bench-") as workdir:
        version = get_reader(default_policy().ocr, cache_dir=Path(workdir) / "unused").version
        results = [
            bench_image(name, image, dpi=dpi, runs=args.runs, workdir=Path(workdir))
            for name, image, dpi in images
        ]
    print_table(results, runs=args.runs, version=version)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
