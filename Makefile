# One target per intent. `make demo` and `make test` are the README's two commands.
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: setup demo test lint fmt bench

setup: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV) && $(PY) -m pip install -q --upgrade pip && $(PY) -m pip install -q -e '.[dev]' && touch $@

demo: setup
	$(PY) manage.py migrate --no-input && $(PY) manage.py seed_demo
	bash scripts/serve.sh $(PORT)

test: setup lint
	bash scripts/ensure-test-services.sh
	$(PY) -m pytest && bash scripts/with-postgres.sh $(PY) -m pytest -m "not browser" --ignore=tests/analytics -q

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run && $(PY) manage.py check && $(VENV)/bin/mypy polyvox

fmt: setup
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

bench: setup
	$(PY) -m pip install -q -e '.[bench]' && $(PY) -m bench
