"""`python -m bench`: run the benchmarks (today: the OCR stage)."""

from bench.ocr import main

raise SystemExit(main())
