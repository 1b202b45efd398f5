# Two commands for users: `make serve` and `make test`. Every target sets up what it needs.
SHELL := /bin/bash
# Material prints a long MkDocs 2.0 notice on every build; we pin mkdocs<2 (see pyproject.toml).
export NO_MKDOCS_2_WARNING := 1
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
HOST := 127.0.0.1
PORT ?= 8000

.PHONY: setup serve site test test-fast lint bench clean chromium

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser tests (never `playwright install`: it downloads a browser).
chromium: $(CHROMIUM)
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium

site: setup
	$(PY) scripts/build_site.py
	$(BIN)/mkdocs build --strict --config-file build/mkdocs.yml
	$(PY) scripts/offline.py site

serve: site
	@echo "Situs siap di http://$(HOST):$(PORT)/  (Ctrl+C untuk berhenti)"
	$(PY) scripts/serve.py --root site --prefix / --port $(PORT)

lint: setup
	$(BIN)/ruff check spbe_core scripts tests
	$(BIN)/ruff format --check spbe_core scripts tests
	$(BIN)/mypy --strict spbe_core scripts

test: setup chromium site lint
	$(BIN)/pytest

# The inner loop: everything but the Chromium tests.
test-fast: setup site
	$(BIN)/pytest -m "not browser" -q

bench: setup chromium
	$(PY) scripts/bench.py

clean:
	rm -rf site build .pytest_cache .mypy_cache .ruff_cache
	$(PY) scripts/build_site.py --clean 2>/dev/null || true
