# The two commands of the README: `make demo` and `make test`.
# Both create or update .venv from pyproject.toml; nothing else is needed but python3 (>= 3.11) and make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint typecheck pytest clean mock i18n

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "espace-tui needs Python 3.11 or newer ($(PYTHON) is older)."; exit 2; }
	@$(PYTHON) -m venv $(VENV) || \
	  { echo "Could not create $(VENV): on Debian/Ubuntu, install python3-venv (apt-get install python3-venv)."; exit 2; }
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-installed whenever pyproject.toml changes.
$(VENV)/.installed-runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-runtime

demo: $(VENV)/.installed-runtime
	$(BIN)/espace-tui --demo

mock: $(VENV)/.installed-runtime
	$(BIN)/espace-tui mock-server

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

# Refresh and compile the French catalog after adding or changing user-facing strings.
i18n: $(VENV)/.installed-test
	$(BIN)/python scripts/update_catalog.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
