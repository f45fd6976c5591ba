# CUSPDesk developer commands. `make test` is what CI runs (through .ci/run).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Lowest test coverage allowed for the modules that guard the data.
COVERAGE_FLOOR := 85
COVERAGE_GUARDED := cuspdesk/services/*,cuspdesk/db.py
ARGS ?=

.PHONY: venv system-deps run test lint typecheck bench dist dist-check clean

# Create .venv and install the app with its test, PostgreSQL and dev extras.
venv: $(STAMP)

# Re-install whenever pyproject.toml is newer than the last install.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e '.[test,postgres,dev,shaping,encryption]'
	touch $(STAMP)

# Install (as root) or name (otherwise) the Debian packages the app and tests need.
system-deps:
	bash scripts/system-deps.sh

# Open the app; pass options with ARGS, e.g. make run ARGS="--db path/to/file.sqlite3".
run: system-deps venv
	$(BIN)/cuspdesk $(ARGS)

# The whole check: lint, types, then every test (SQLite and PostgreSQL) with coverage.
test: system-deps venv
	$(BIN)/ruff check .
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest --cov=cuspdesk --cov-report=term
	$(BIN)/coverage report --include='$(COVERAGE_GUARDED)' --fail-under=$(COVERAGE_FLOOR)

# Lint only.
lint: venv
	$(BIN)/ruff check .

# Type-check only.
typecheck: venv
	$(BIN)/mypy

# Timings against the figures in the design brief (never part of the tests).
bench: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

# Build the one-folder desktop app (dist/cuspdesk/) with PyInstaller.
dist: venv
	$(BIN)/pyinstaller --noconfirm --log-level WARN build.spec

# Build the app, then run it: --version, a briefing from a fresh sample unit, the desktop.
dist-check: system-deps dist
	bash scripts/check-dist.sh

# Remove build output and caches (keeps .venv).
clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
