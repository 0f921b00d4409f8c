"""Fuzz target for ingest: any bytes become a Document with pages, tables or findings.

    python tests/fuzz/fuzz_ingest.py --seconds 60            # atheris if installed
    python tests/fuzz/fuzz_ingest.py --seconds 60 --plain    # plain-Python mutation loop

With atheris (the `fuzz` extra), libFuzzer mutates inputs under coverage guidance, starting
from the hostile corpus (tests/hostile/corpus.py) written to a seed folder. Without it, or
with --plain, a loop mutates the same seeds at random (flip, insert, delete, splice, cut,
and magic-number prefixes) until the time is up. Either way a crash, an exception out of
ingest, a result that says nothing, or one input slower than --slow seconds stops the run
and leaves the input in --artifacts for a regression test.

Limits are the default policy's, lowered for speed (a few Mpx, a few pages), so that the
fuzzer spends its time in parsers rather than in decoding large, valid images.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make `checker` and `tests` importable
    sys.path.insert(0, str(ROOT))

from checker.document import Document  # noqa: E402
from checker.ingest import ingest  # noqa: E402
from checker.policy import default_policy  # noqa: E402

LIMITS = default_policy().limits.model_copy(
    update={
        "max_pixels": 4_000_000,
        "max_pages": 5,
        "max_table_rows": 2_000,
        "max_table_bytes": 1_000_000,
        "max_file_bytes": 2_000_000,
    }
)
MAX_SEED_BYTES = 200_000  # the fuzzer gets the small seeds; the big ones test limits, not parsers
MAGIC = [
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"II*\x00",
    b"MM\x00*",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"\x00\x00\x00\x18ftypheic",
]


class FuzzFailure(Exception):
    """ingest broke its contract on one input."""


def check_one(data: bytes) -> None:
    """The property: ingest returns a Document that says something, and does not raise."""
    document = ingest(data, name="fuzz.bin", limits=LIMITS, render_dpi=100)
    if not isinstance(document, Document):
        raise FuzzFailure(f"ingest returned {type(document).__name__}")
    if not (document.pages or document.tables or document.findings):
        raise FuzzFailure("ingest returned a document with no pages, tables or findings")
    if document.size != len(data):
        raise FuzzFailure(f"size {document.size} != {len(data)}")


def seeds() -> list[bytes]:
    """The hostile corpus items small enough to mutate, and the magic numbers alone."""
    from tests.hostile.corpus import ITEMS

    found = [item.data() for item in ITEMS]
    return [data for data in found if 0 < len(data) <= MAX_SEED_BYTES] + MAGIC


def mutate(data: bytes, pool: list[bytes], rng: random.Random) -> bytes:
    """One to four random edits of `data`, with pieces of other seeds spliced in."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(7)
        position = rng.randrange(len(buffer) + 1)
        if choice == 0 and buffer:  # flip bits
            index = rng.randrange(len(buffer))
            buffer[index] ^= 1 << rng.randrange(8)
        elif choice == 1:  # insert random bytes
            buffer[position:position] = rng.randbytes(rng.randint(1, 16))
        elif choice == 2 and buffer:  # delete a run
            del buffer[position : position + rng.randint(1, 64)]
        elif choice == 3:  # splice a piece of another seed
            other = rng.choice(pool)
            start = rng.randrange(len(other) + 1)
            buffer[position:position] = other[start : start + rng.randint(1, 256)]
        elif choice == 4:  # cut short
            del buffer[position:]
        elif choice == 5 and len(buffer) >= 4:  # an interesting integer in a header field
            value = rng.choice([0, 1, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 65500])
            index = rng.randrange(len(buffer) - 3)
            buffer[index : index + 4] = value.to_bytes(4, rng.choice(["big", "little"]))
        else:  # a magic prefix
            buffer[0:0] = rng.choice(MAGIC)
    return bytes(buffer)


def save_artifact(folder: Path, data: bytes, reason: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{hashlib.sha256(data).hexdigest()[:16]}.bin"
    path.write_bytes(data)
    path.with_suffix(".txt").write_text(reason + "\n", encoding="utf-8")
    return path


def run_plain(seconds: float, slow: float, artifacts: Path, seed: int | None) -> int:
    """Random mutations of the seeds for `seconds`; 1 and an artifact on the first failure."""
    rng = random.Random(seed)
    pool = seeds()
    deadline = time.monotonic() + seconds
    runs = 0
    slowest = 0.0
    while time.monotonic() < deadline:
        data = mutate(rng.choice(pool), pool, rng)
        started = time.perf_counter()
        try:
            check_one(data)
        except Exception as error:
            path = save_artifact(artifacts, data, f"{type(error).__name__}: {error}")
            print(f"FAIL after {runs} runs: {type(error).__name__}: {error}\n  input: {path}")
            return 1
        took = time.perf_counter() - started
        slowest = max(slowest, took)
        if took > slow:
            path = save_artifact(artifacts, data, f"slow: {took:.2f} s")
            print(f"SLOW after {runs} runs: {took:.2f} s\n  input: {path}")
            return 1
        runs += 1
        if len(data) <= MAX_SEED_BYTES and rng.random() < 0.05:
            pool.append(data)  # keep some mutants as seeds: a poor man's corpus growth
    print(f"plain fuzzing: {runs} inputs in {seconds:.0f} s, slowest {slowest:.3f} s, no failure")
    return 0


def run_atheris(seconds: float, slow: float, artifacts: Path, extra: list[str]) -> int:
    """libFuzzer through atheris, seeded with the corpus; returns only when it stops."""
    import atheris

    seed_dir = Path(tempfile.mkdtemp(prefix="docready-fuzz-seeds-"))
    for data in seeds():
        (seed_dir / hashlib.sha256(data).hexdigest()[:16]).write_bytes(data)
    artifacts.mkdir(parents=True, exist_ok=True)

    def one_input(data: bytes) -> None:
        check_one(data)

    arguments = [
        sys.argv[0],
        f"-max_total_time={int(seconds)}",
        f"-timeout={max(1, int(slow))}",
        "-rss_limit_mb=2048",
        f"-max_len={MAX_SEED_BYTES}",
        f"-artifact_prefix={artifacts}/",
        *extra,
        str(seed_dir),
    ]
    atheris.instrument_all()
    atheris.Setup(arguments, one_input)
    atheris.Fuzz()  # exits the process
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--slow", type=float, default=10.0, help="one input may take this long")
    parser.add_argument("--artifacts", type=Path, default=Path("fuzz-artifacts"))
    parser.add_argument("--plain", action="store_true", help="do not use atheris")
    parser.add_argument("--seed", type=int, default=None, help="plain mode's random seed")
    parser.add_argument("--reproduce", type=Path, help="run one saved input and exit")
    options, extra = parser.parse_known_args(argv)
    warnings.simplefilter("ignore")  # Pillow's notes on damaged metadata, once per input
    if options.reproduce is not None:
        check_one(options.reproduce.read_bytes())
        print("no failure")
        return 0
    if not options.plain:
        try:
            import atheris  # noqa: F401
        except ImportError:
            print("atheris is not installed (pip install -e '.[fuzz]'): plain mutation loop")
        else:
            return run_atheris(options.seconds, options.slow, options.artifacts, extra)
    return run_plain(options.seconds, options.slow, options.artifacts, options.seed)


if __name__ == "__main__":
    raise SystemExit(main())
