# `make` builds the knowledge graph from data/ into dist/; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KG := dist

.PHONY: all build test install dev clean bench

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

test: dev
	$(BIN)/python -m pytest -q

bench: dev
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/validation.py

clean:
	rm -rf $(KG) build *.egg-info src/*.egg-info .pytest_cache
