"""The closing table of `python -m bench`: each bench's headline figures from this one run.

A bench calls `record(stage, figure, target, met)` as it prints its own lines; the runner
prints every recorded row at the end, so that one run's ratios (against the bare tesseract
command, the engine kept loaded, RapidOCR), throughput, memory and API latency stand
together. Figures from one run only: the machines are shared, so compare ratios, not seconds.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    stage: str
    figure: str
    target: str
    met: bool | None  # None: for information


ROWS: list[Row] = []


def record(stage: str, figure: str, target: str = "", met: bool | None = None) -> None:
    """One row of the closing table."""
    ROWS.append(Row(stage, figure, target, met))


def print_table() -> None:
    """Every recorded row, in the order the benches ran."""
    if not ROWS:
        return
    width = max(len(row.stage) for row in ROWS)
    figure_width = max(len(row.figure) for row in ROWS)
    print("\n== summary (one run) ==")
    for row in ROWS:
        met = "" if row.met is None else ("met" if row.met else "NOT met")
        target = f"target {row.target}" if row.target else ""
        print(f"{row.stage:<{width}}  {row.figure:>{figure_width}}  {target:<18} {met}".rstrip())
