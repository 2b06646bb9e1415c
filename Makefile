# Everything a fresh machine with Python 3.10+ and make needs: `make demo`, `make test`.
# PYTHON=python3.10 VENV=.venv-3.10 make test: the same on another Python.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE ?= samples/bookshop

.PHONY: demo test test-min property lint bench clean

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

# The suite on the declared minimum versions: every runtime dependency pinned to the minimum
# pyproject.toml declares (.ci/min_requirements.py), the test extras as pip resolves them.
VENV_MIN ?= .venv-min

$(VENV_MIN)/.installed-min: pyproject.toml .ci/min_requirements.py
	rm -rf $(VENV_MIN)
	$(PYTHON) -m venv $(VENV_MIN)
	$(VENV_MIN)/bin/python -m pip install --quiet --upgrade pip
	$(PYTHON) .ci/min_requirements.py pyproject.toml > $(VENV_MIN)/minimums.txt
	$(VENV_MIN)/bin/python -m pip install --quiet -c $(VENV_MIN)/minimums.txt -e '.[test]'
	touch $@

test-min: $(VENV_MIN)/.installed-min
	@echo "== the suite on the declared minimum versions:"
	@cat $(VENV_MIN)/minimums.txt
	$(VENV_MIN)/bin/python -m pytest

# The property test of tests/property/ with many examples (make test runs a few).
property: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest tests/property

bench: $(VENV)/.installed-demo
	$(BIN)/python bench/benchmark.py

clean:
	rm -rf $(VENV) $(VENV_MIN) bench/generated
