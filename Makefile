# docready's front door. `make demo` and `make test` install whatever is missing first.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
APT_PACKAGES := tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng fonts-noto-cjk \
	libtesseract-dev libleptonica-dev g++ pkg-config python3-dev \
	fonts-ocr-b fonts-droid-fallback fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-uming \
	fonts-arphic-ukai chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_LANG ?= zh

.PHONY: install system-deps demo test bench bench-batch bench-api lint format fixtures serve clean fuzz
FUZZ_SECONDS ?= 60
BATCH_COUNT ?= 200

install: system-deps $(STAMP)

# Debian packages: tesseract with Chinese and English models (and its library's headers: tesserocr
# is built against Debian's libtesseract, so the engine kept loaded is the command's 5.3.0), and
# the fonts the fixtures draw with.
system-deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" \
			|| missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "apt-get install:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			$$missing >/dev/null || exit 1; \
	fi

$(STAMP): pyproject.toml
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --no-binary tesserocr -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

# One line per sample application, verdict and codes against its expected.json, a summary;
# fails if any sample differs. DEMO_LANG=en for English.
demo: install
	$(VENV)/bin/docready demo --lang $(DEMO_LANG)

test: install
	$(PY) -m pytest

bench: install
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) -m bench

bench-batch: install
	$(PY) -m bench.batch --count $(BATCH_COUNT)

bench-api: install
	$(PY) -m bench.api

# Fuzz ingest for FUZZ_SECONDS (atheris if the `fuzz` extra installs, else a plain-Python
# mutation loop); a failing input is left in fuzz-artifacts/. Not part of `make test` or CI.
fuzz: install
	-$(PY) -m pip install -q -e '.[fuzz]'
	$(PY) tests/fuzz/fuzz_ingest.py --seconds $(FUZZ_SECONDS) --artifacts fuzz-artifacts

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

fixtures: install
	$(PY) -m fixtures.generate --seed 1 --count 200 --out fixtures/generated

serve: install
	$(VENV)/bin/docready serve

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
