# `make` builds the knowledge graph from data/ into dist/; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KG := dist

.PHONY: all build test install dev browser virtuoso clean bench

all: build

$(BIN)/migkg: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

install: $(BIN)/migkg

$(VENV)/.dev: $(BIN)/migkg
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

dev: $(VENV)/.dev

build: install
	$(BIN)/migkg build data/sources --kg $(KG)

# The site test drives headless Chromium (Debian's chromium and chromium-driver); installed when missing and
# this user can (root with apt-get), otherwise that one test is skipped, except under CI where it fails.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; \
	  else echo "note: chromium and chromium-driver are missing; install them to run the browser test"; fi; \
	fi

# The scale-out test bulk loads into a real Virtuoso (Debian's virtuoso-opensource): installed the same way.
virtuoso:
	@if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null; \
	  else echo "note: virtuoso-opensource is missing; install it to run the Virtuoso bulk-load test"; fi; \
	fi

test: dev browser virtuoso
	$(BIN)/python -m pytest -q

bench: dev
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/validation.py

clean:
	rm -rf $(KG) build *.egg-info src/*.egg-info .pytest_cache
