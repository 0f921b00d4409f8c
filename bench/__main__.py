"""`python -m bench [NAME ...]`: run the benchmarks, each a module of this package with main()."""

import importlib
import sys

from bench import summary

# one line per bench module, run in this order
BENCHES = [
    "bench.ocr",
    "bench.identity",
    "bench.id_reading",  # fields read on every generated ID-card style, the held-out one too
    "bench.income",
    "bench.licence_reading",  # fields read on each business-licence template, the unseen too
    "bench.classify",  # every kind of every generator (held-out styles too): share right
    "bench.statements",
    "bench.second_reader",
    "bench.mrz",  # docready against PassportEye on generated travel documents
    "bench.fields",
    "bench.api",  # starts uvicorn on 127.0.0.1; about 3 minutes on 2 cores
    "bench.batch",  # slow: generates and checks 200 applications (make bench-batch for fewer)
]


def run(names: list[str]) -> int:
    status = 0
    for name in names:
        module = importlib.import_module(name if "." in name else f"bench.{name}")
        print(f"\n== {module.__name__} ==", flush=True)
        status = max(status, module.main([]) or 0)
    summary.print_table()
    return status


raise SystemExit(run(sys.argv[1:] or BENCHES))
