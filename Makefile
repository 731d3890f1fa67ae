# Two commands on a fresh machine with Python >= 3.11: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project's dependencies change.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/hub

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# PYTHONDONTWRITEBYTECODE is emptied for the tests: with it set, every pytest worker
# rewrites the asserts of every plugin module (hypothesis alone is 70 of them) and every
# `hub` the CLI tests start compiles the project again, about 2 s of CPU per worker and
# 0.2 s per command that the bytecode caches (__pycache__, git-ignored) save.
#
# Three test processes on two cores: a Pilot test spends part of its time waiting for the
# app to go idle (Textual's wait_for_idle, polled every 4 ms in the tests: see
# tests/ui/quick_idle.py), and with one process a core those waits leave CPU unused; with
# more processes than that, they fight over the two cores and each test's work itself
# costs more CPU. Measured back to back on this machine (whole suite, wall and CPU):
# -n 3 202/213 s against -n 4 214/210 s, then 238/238 s against 262/257 s, with -n 3
# using 35-70 s less CPU each time; -n 2 took 252 s and -n 6 was slower than -n 4.
# worksteal hands a finished process tests from a busy one, so a slow file at the end
# does not run alone.
pytest: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n 3 --dist worksteal

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/storage.py
	$(BIN)/python benchmarks/search.py
	$(BIN)/python benchmarks/search_quality_real.py
	$(BIN)/python benchmarks/sync.py
	$(BIN)/python benchmarks/start.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
