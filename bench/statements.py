"""Statement bench: a 10-page text-layer statement against the OCR path, per page.

Draws a statement with the fixture generator (seeded, 16 months of transactions, cut to 10
A4 pages), writes it as a text-layer PDF and its first page as a scanned image, then times
`check_file` on each with the OCR cache off: the whole 10-page text PDF, and the one scanned
page. Prints both medians and how many times faster the text layer is per page (target ≥ 20).
Run: `python -m bench statements` (or `python -m bench.statements --runs 7`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from checker.check import check_file
from checker.ocr import get_reader
from checker.policy import default_policy
from fixtures import statement
from fixtures.draw import canvas_to_pdf, images_to_pdf

TARGET_SPEEDUP = 20
PAGES = 10
AS_OF = dt.date(2026, 11, 15)


def draw_statement(folder: Path) -> tuple[Path, Path, int]:
    """The text-layer PDF of PAGES pages, a scanned PDF of its first page, and its rows."""
    drawn = statement.sample_statement(
        random.Random(2026), dt.date(2025, 7, 1), dt.date(2026, 10, 31), AS_OF
    )
    pages = drawn.pages[:PAGES]
    text_pdf = folder / "statement_text.pdf"
    text_pdf.write_bytes(canvas_to_pdf(pages, "个人账户交易明细"))
    scan_pdf = folder / "statement_scan_page1.pdf"
    scan_pdf.write_bytes(images_to_pdf([pages[0].image], "扫描件"))
    rows = sum(1 for row in drawn.tables["transactions"] if row.get("page", 1) <= PAGES)
    return text_pdf, scan_pdf, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.statements", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--runs", type=int, default=5, help="runs (default 5)")
    args = parser.parse_args(argv)
    policy = default_policy()
    reader = get_reader(policy.ocr, cache=False)
    with tempfile.TemporaryDirectory(prefix="docready-bench-") as workdir:
        text_pdf, scan_pdf, rows = draw_statement(Path(workdir))
        text_times, scan_times = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            text = check_file(text_pdf, policy=policy, reader=reader, as_of=AS_OF)
            text_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            scan = check_file(scan_pdf, policy=policy, reader=reader, as_of=AS_OF)
            scan_times.append(time.perf_counter() - started)
    sources = {quality.source for quality in text.report.quality}
    read_rows = len(text.report.fields["transactions"].value or [])
    text_median, scan_median = statistics.median(text_times), statistics.median(scan_times)
    per_page = text_median / text.report.pages
    speedup = scan_median / per_page
    print(f"Bank statement, median of {args.runs} runs, OCR cache off")
    print(
        f"  text-layer PDF, {text.report.pages} pages   {text_median:7.3f} s  "
        f"({per_page * 1000:.1f} ms a page; read by {', '.join(sorted(sources))}; "
        f"{read_rows}/{rows} rows)"
    )
    print(f"  one scanned page (OCR)     {scan_median:7.3f} s  (kind {scan.report.kind})")
    verdict = "met" if speedup >= TARGET_SPEEDUP else "NOT met"
    target = f"target ≥ {TARGET_SPEEDUP}×: {verdict}"
    print(f"  text layer per page        {speedup:7.1f}× faster   {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
