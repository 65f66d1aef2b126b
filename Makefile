# The one command list shared by README.md and .ci/run.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install lint typecheck test-sqlite test-postgresql clean

$(BIN)/loket: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(BIN)/loket

install: $(BIN)/loket

## Run the service on SQLite (./loket.db) with the demo companies, at http://127.0.0.1:$(PORT)
run: install
	$(BIN)/loket db upgrade
	$(BIN)/loket demo load
	LOKET_PUBLIC_BASE_URL=$${LOKET_PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/loket serve --port $(PORT)

## Every gate: lint, architecture, types, then the whole suite on SQLite and on PostgreSQL
test: install lint typecheck test-sqlite test-postgresql

lint: install
	$(BIN)/ruff check app tests migrations scripts benchmarks
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy app

test-sqlite: install
	LOKET_TEST_DATABASE=sqlite $(BIN)/pytest $(PYTEST_ARGS)

test-postgresql: install
	LOKET_TEST_DATABASE=postgresql $(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) loket.db loket.db-wal loket.db-shm .pytest_cache .ruff_cache .mypy_cache
