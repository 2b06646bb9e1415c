# Everything a fresh machine with Python 3.10+ and make needs: `make demo`, `make test`.
# PYTHON=python3.10 VENV=.venv-3.10 make test: the same on another Python.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE ?= samples/bookshop

.PHONY: demo test property lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed-demo
	$(BIN)/flaskmod list
	$(BIN)/flaskmod run --dry-run --unsafe --format rich $(SAMPLE) || [ $$? -eq 1 ]

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

# The property test of tests/property/ with many examples (make test runs a few).
property: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest tests/property

bench: $(VENV)/.installed-demo
	$(BIN)/python bench/benchmark.py

clean:
	rm -rf $(VENV) bench/generated
