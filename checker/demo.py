"""`docready demo`: check every bundled sample application and say whether each came out as
its `expected.json` says — one line per sample, a closing summary, a non-zero exit if any
differs. Lines fit 80 columns, in Chinese or English."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console

from checker.check import run_application
from checker.ocr import Reader, get_reader, process_reader
from checker.policy import Policy, load_policy
from checker.processes import process_pool
from schemas.catalogue import Lang
from schemas.findings import Severity
from schemas.report import Report, Verdict

WIDTH = 80
NAME_WIDTH = 32
VERDICT_WIDTH = 11

WORDS = {
    "zh": {
        Verdict.READY: "可以提交",
        Verdict.REVIEW: "需核对",
        Verdict.NOT_READY: "暂不可提交",
        "error": "无法检查",
        "intro": "逐个检查 {folder} 中的 {count} 个样例申请，与各自的 expected.json 比对；\n"
        "每个约需十几秒到一分钟。",
        "legend": "各列：样例、结论、发现的问题代码（— 为无）；✓ 符合预期，✗ 不符",
        "found": "发现",
        "expected": "应为",
        "all": "{count} 个样例全部符合预期（用时 {seconds:.0f} 秒）。",
        "some": "{count} 个样例中 {good} 个符合预期；不符：{names}（用时 {seconds:.0f} 秒）。",
        "none": "{folder} 中没有样例（含 expected.json 的子文件夹）。",
    },
    "en": {
        Verdict.READY: "ready",
        Verdict.REVIEW: "review",
        Verdict.NOT_READY: "not ready",
        "error": "not run",
        "intro": "Checking {count} sample applications in {folder}\n"
        "against their expected.json; each takes ten seconds to a minute.",
        "legend": "columns: sample, verdict, codes found (— none); ✓ as expected, ✗ differs",
        "found": "found",
        "expected": "expected",
        "all": "{count} of {count} samples as expected ({seconds:.0f} s).",
        "some": "{good} of {count} samples as expected; differ: {names} ({seconds:.0f} s).",
        "none": "No samples (subfolders with an expected.json) in {folder}.",
    },
}


@dataclass
class Outcome:
    """One sample: what it should give and what it gave."""

    case: str
    expected: list[str]
    found: list[str]
    verdict: Verdict | None  # None: the check could not run
    error: str = ""

    @property
    def as_expected(self) -> bool:
        if self.verdict is None or self.found != self.expected:
            return False
        # a sample without expected codes must be ready; one with codes must not be
        return (self.verdict == Verdict.READY) == (not self.expected)


def outcome_of(case: str, expected: list[str], report: Report) -> Outcome:
    """Compare a report with the codes expected (errors and warnings; info is free)."""
    found = sorted(
        {f.code.value for f in report.findings if f.severity in (Severity.ERROR, Severity.WARNING)}
    )
    return Outcome(case, sorted(set(expected)), found, report.verdict)


def _pad(text: str, width: int) -> str:
    return text + " " * max(1, width - cell_len(text))


def format_line(outcome: Outcome, lang: Lang) -> list[str]:
    """The sample's line (and continuation lines), each at most WIDTH columns."""
    words = WORDS[lang]
    mark = "✓" if outcome.as_expected else "✗"
    verdict = words[outcome.verdict] if outcome.verdict else words["error"]
    head = _pad(f"{mark} {outcome.case}", NAME_WIDTH) + _pad(verdict, VERDICT_WIDTH)
    if outcome.error:
        body = outcome.error
    elif outcome.as_expected:
        body = ", ".join(outcome.found) or "—"
    else:
        body = (
            f"{words['found']}: {', '.join(outcome.found) or '—'}; "
            f"{words['expected']}: {', '.join(outcome.expected) or '—'}"
        )
    indent = " " * cell_len(head)
    return textwrap.wrap(
        body,
        width=WIDTH,
        initial_indent=head,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [head.rstrip()]


def summary_line(outcomes: list[Outcome], seconds: float, lang: Lang) -> str:
    words = WORDS[lang]
    differ = [outcome.case for outcome in outcomes if not outcome.as_expected]
    if not differ:
        return words["all"].format(count=len(outcomes), seconds=seconds)
    return words["some"].format(
        count=len(outcomes),
        good=len(outcomes) - len(differ),
        names=", ".join(differ),
        seconds=seconds,
    )


def samples(folder: Path) -> list[Path]:
    """The sample applications: subfolders holding an expected.json, by name."""
    if not folder.is_dir():
        raise ValueError(f"no such folder: {folder}")
    return sorted(path for path in folder.iterdir() if (path / "expected.json").is_file())


def run_demo(
    folder: Path,
    *,
    lang: Lang = "zh",
    as_of: dt.date | None = None,
    console: Console | None = None,
    workers: int = 1,
) -> list[str]:
    """Check each sample, print its line as it finishes (in folder order), then the summary;
    the names of the samples that differ from their expected.json. With `workers` above 1 the
    samples are checked side by side in that many worker processes."""
    console = console or Console(highlight=False, width=WIDTH)
    words = WORDS[lang]
    cases = samples(folder)
    if not cases:
        raise ValueError(words["none"].format(folder=folder))
    for line in words["intro"].format(count=len(cases), folder=folder).splitlines():
        console.print(line, markup=False)
    console.print(words["legend"], markup=False)
    policy = load_policy()
    started = time.perf_counter()
    outcomes = []
    for outcome in _checked_samples(cases, policy, lang, as_of, workers):
        outcomes.append(outcome)
        style = "green" if outcome.as_expected else "bold red"
        for line in format_line(outcome, lang):
            console.print(line, style=style, markup=False)
    summary = summary_line(outcomes, time.perf_counter() - started, lang)
    for line in textwrap.wrap(summary, WIDTH if lang == "en" else WIDTH // 2 + 10):
        console.print(line, markup=False)
    return [outcome.case for outcome in outcomes if not outcome.as_expected]


def _checked_samples(
    cases: list[Path], policy: Policy, lang: Lang, as_of: dt.date | None, workers: int
) -> Iterator[Outcome]:
    """Each sample's outcome, in order: here with one reader for all (as a server keeps one),
    or from a pool of spawned worker processes, each with its own."""
    workers = min(workers, len(cases))
    if workers <= 1:
        reader = get_reader(policy.ocr)
        yield from (check_sample(case, policy, lang, as_of, reader) for case in cases)
        return
    with process_pool(workers) as pool:
        yield from pool.map(partial(check_sample, policy=policy, lang=lang, as_of=as_of), cases)


def check_sample(
    case: Path, policy: Policy, lang: Lang, as_of: dt.date | None, reader: Reader | None = None
) -> Outcome:
    """One sample application checked against its expected.json (`reader`: this process's
    when not given). A sample that fails to check is an outcome with the error."""
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    try:
        report = run_application(
            [case],
            profile=expected.get("profile", "personal_loan"),
            as_of=as_of or dt.date.fromisoformat(expected["as_of"]),
            lang=lang,
            policy=policy,
            reader=reader or process_reader(policy.ocr),
        )
        return outcome_of(case.name, expected.get("codes", []), report)
    except Exception as error:  # one broken sample is a line of the demo, not its end
        return Outcome(case.name, sorted(expected.get("codes", [])), [], None, str(error))


if __name__ == "__main__":
    from checker.cli import app

    app(["demo"], prog_name="docready")
