"""check_fields bench: how long validating the intake form takes, per field set."""

from __future__ import annotations

import statistics
import time

import checker

FORMS = {
    "valid": {
        "name": "张伟明",
        "id_number": "110105199003071239",
        "phone": "13812345678",
        "employer": "北京星河数据科技有限公司",
        "monthly_income": "12345.67",
        "bank_account": "6222021234567890128",
    },
    "all invalid": {
        "name": "张3",
        "id_number": "110105199003071238",
        "phone": "12",
        "monthly_income": "lots",
        "bank_account": "6222021234567890123",
    },
}
CALLS = 2000
TARGET_MS = 1.0  # "well under a millisecond per field set"


def main(argv: list[str] | None = None) -> int:
    print(f"check_fields: median of 5 batches of {CALLS} calls, microseconds per field set")
    worst = 0.0
    for label, form in FORMS.items():
        checker.check_fields(form)
        batches = []
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(CALLS):
                checker.check_fields(form)
            batches.append((time.perf_counter() - start) / CALLS)
        median = statistics.median(batches)
        worst = max(worst, median)
        print(f"  {label:<12} {median * 1e6:8.1f} µs")
    verdict = "met" if worst * 1000 < TARGET_MS else "NOT met"
    print(f"target < {TARGET_MS} ms per field set: {verdict} (worst {worst * 1e6:.1f} µs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
