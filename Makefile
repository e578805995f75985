# The two commands of the README: `make demo` and `make test`.
# Both create or update .venv from pyproject.toml; nothing else is needed but python3 (>= 3.11) and make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint typecheck pytest clean mock i18n man completion system-test-deps bench

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

# espace-tui against its baselines on the bundled mock (docs/PERFORMANCE.md; about 4 minutes).
# BENCH_ARGS=--quick for a short run with smaller sizes.
bench: $(VENV)/.installed-runtime
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# The man page, from the parser (options, commands, exit codes, examples): build/man/espace-tui.1
man: $(VENV)/.installed-test
	$(BIN)/python scripts/make_man.py build/man/espace-tui.1
	@echo "Read it with: man ./build/man/espace-tui.1"

# The shell completion scripts, from the same parser: build/completion/espace-tui.{bash,zsh,fish}
completion: $(VENV)/.installed-runtime
	@mkdir -p build/completion
	$(BIN)/espace-tui completion bash > build/completion/espace-tui.bash
	$(BIN)/espace-tui completion zsh > build/completion/_espace-tui
	$(BIN)/espace-tui completion fish > build/completion/espace-tui.fish
	@ls build/completion

# What the end-to-end tests drive, from Debian's packages (as root; the tests install what is
# missing themselves, or skip with the reason): tmux, a private D-Bus with gnome-keyring, zsh,
# man, and Chromium for the browser test of `espace-tui web`.
SYSTEM_TEST_PACKAGES := tmux dbus-daemon dbus-x11 gnome-keyring libsecret-tools zsh man-db chromium
system-test-deps:
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  missing=$$(for p in $(SYSTEM_TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    echo "Installing $$missing"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 \
	      apt-get install -y -qq --no-install-recommends $$missing >/dev/null; } || \
	    echo "Could not install $$missing: the tests that need them will say so and skip."; \
	  fi; \
	else echo "Not root or no apt-get: the tests that need $(SYSTEM_TEST_PACKAGES) install or skip"; fi

# Refresh and compile the French catalog after adding or changing user-facing strings.
i18n: $(VENV)/.installed-test
	$(BIN)/python scripts/update_catalog.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build/man build/completion
