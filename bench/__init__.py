"""Benchmarks for docready's stages; run with `python -m bench`. Never part of the test run."""
