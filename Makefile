# Moochu — the two commands: `make run` and `make test`.
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup setup-dev demo lint typecheck lock messages shots

## Set everything up with embedded defaults and serve Moochu on http://$(HOST):$(PORT)/
run: setup demo
	@echo ""
	@echo "  Moochu is running at http://$(HOST):$(PORT)/   (Ctrl-C stops it)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

## Start PostgreSQL and Redis (installing them if needed), lint, run the whole test suite
test: setup-dev
	./scripts/services.sh
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest

# Compiled translations (.mo) are committed, so setup needs no gettext.
setup:
	./scripts/bootstrap.sh
	$(PY) manage.py migrate --noinput -v 0

setup-dev:
	./scripts/bootstrap.sh dev

demo:
	$(PY) manage.py load_demo
	$(PY) manage.py load_plan_prices

lint:
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## Type-check apps/ and config/ (settings in pyproject.toml [tool.mypy])
typecheck:
	$(PY) -m mypy

## Re-resolve the pinned dependency locks from requirements/*.in
lock:
	$(PY) -m uv pip compile --python-version 3.11 -q requirements/base.in -o requirements/lock.txt
	$(PY) -m uv pip compile --python-version 3.11 -q requirements/dev.in -o requirements/dev-lock.txt

## Refresh locale/*/django.po from the code, then recompile the committed .mo files (needs gettext)
messages:
	$(PY) manage.py makemessages -l ko -l en --ignore=.venv --ignore=benchmarks --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

## Screenshots of every page (each persona, 1280 and 390 px, Korean and English) into var/shots/
shots: setup-dev
	$(PY) scripts/shots.py
