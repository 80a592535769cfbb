# Two commands do all set-up on a fresh machine: `make book` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export PYTHONHASHSEED := 0

.PHONY: book full-book check lint format test bench browser clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

# Build the HTML book; any warning or cell error fails the build. Chapters are re-executed
# when they change, and all of them when anything they depend on changes (framelens, the
# lexicons and codebook, the seeds and registry: see lib/framelens/tools/buildinfo.py).
book: $(STAMP)
	$(PY) -m framelens.tools.buildinfo build
	@echo "The book is at $(CURDIR)/_build/html/index.html"

# A full build from scratch: every chapter executed.
full-book: $(STAMP)
	$(PY) -m framelens.tools.buildinfo build --full
	@echo "The book is at $(CURDIR)/_build/html/index.html"

# Debian's Chromium for the browser test (no browser download; apt-get needs root).
browser:
	@command -v chromium >/dev/null || { apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation; }

# Lint (ruff), formatting check and the tests not marked slow: the fast loop (under two minutes).
check: lint
	$(PY) -m pytest -q -m "not slow" -n 2

lint: $(STAMP)
	$(PY) -m ruff check lib tests
	$(PY) -m ruff format --check lib tests

# Rewrite the code in the project's format (ruff format) and apply ruff's safe fixes.
format: $(STAMP)
	$(PY) -m ruff check --fix lib tests
	$(PY) -m ruff format lib tests

# The fast loop, a full book build, then the slow tests (the browser test reads the built book).
test: $(STAMP) browser
	$(MAKE) check
	$(MAKE) full-book
	$(PY) -m pytest -q -m slow

# Benchmarks (not part of `make test`): build times and analysis throughput.
bench: $(STAMP)
	$(PY) -m framelens.tools.bench

clean:
	rm -rf _build
