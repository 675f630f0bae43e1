# One target per intent. `make demo` and `make test` are the README's two commands.
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: setup dev demo test lint fmt bench

# What the demo needs (Django, numpy, scipy…): a newcomer's first `make demo` installs only this.
setup: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV) && $(PY) -m pip install -q --upgrade pip && $(PY) -m pip install -q -e . && touch $@

# The test toolchain on top (pytest, playwright, ruff, mypy, hypothesis, import-linter).
dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[dev]' && touch $@

# The demo asks for DEBUG (runserver, static files from the source tree) and builds e-mail links
# from its own address; production is `polyvox serve` + `polyvox worker` (docs/deploy.md).
demo: export POLYVOX_DEBUG = 1
demo: export POLYVOX_SITE_URL ?= http://127.0.0.1:$(PORT)
demo: setup
	$(PY) manage.py migrate --no-input && $(PY) manage.py record keygen --if-missing
	$(PY) manage.py seed_demo
	bash scripts/serve.sh $(PORT)

test: dev lint
	bash scripts/ensure-test-services.sh
	$(PY) -m pytest && bash scripts/with-postgres.sh $(PY) -m pytest -m "not browser" --ignore=tests/analytics -q

lint: dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run && $(PY) manage.py check && $(VENV)/bin/mypy polyvox

fmt: dev
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

bench: setup
	$(PY) -m pip install -q -e '.[bench]' && $(PY) -m bench
