# Verzuimloket: `make run` for a local server with demo data, `make test` for everything CI checks.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

PORT ?= 8000
PYTEST_ARGS ?=
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements.lock.installed

.PHONY: help run test lint lock clean-db

help:
	@echo "make run       database + migrate + laad_demo + db_worker + runserver 127.0.0.1:$(PORT)"
	@echo "make test      makemigrations --check, ruff, djlint, pytest (incl. browser tests)"
	@echo "make lint      ruff check + ruff format, djlint reformat + lint (templates)"
	@echo "make lock      regenerate requirements.lock with uv"
	@echo "make clean-db  stop the project-local PostgreSQL and remove .pgdata"

# The virtualenv, made with Python >= 3.11.
$(PY):
	@py=""
	for candidate in python3.11 python3; do
		if command -v "$$candidate" >/dev/null \
			&& "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
			py=$$candidate
			break
		fi
	done
	if [ -z "$$py" ]; then
		echo "Python 3.11 of nieuwer ontbreekt: installeer python3 (>= 3.11) met venv (Debian: apt-get install python3 python3-venv)." >&2
		exit 1
	fi
	echo "venv: $(VENV) maken met $$py" >&2
	if ! "$$py" -m venv $(VENV); then
		rm -rf $(VENV)
		echo "Een virtualenv maken lukte niet: installeer venv (Debian: apt-get install python3-venv)." >&2
		exit 1
	fi

# Install the locked dependencies again only when requirements.lock changed.
$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --disable-pip-version-check --require-hashes -r requirements.lock
	touch $(STAMP)

run: $(STAMP)
	url=$$($(PY) scripts/database.py)
	export DATABASE_URL=$$url
	$(PY) manage.py migrate --noinput
	$(PY) manage.py laad_demo
	$(PY) manage.py db_worker &
	worker=$$!
	trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT
	trap 'exit 130' INT TERM
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	url=$$($(PY) scripts/database.py)
	export DATABASE_URL=$$url
	bash scripts/chromium.sh
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --check
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# djlint --reformat --warn exits 0 when it changed templates, as ruff format does.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --reformat --warn
	$(VENV)/bin/djlint templates --lint

lock: | $(PY)
	[ -x $(VENV)/bin/uv ] || $(PY) -m pip install --disable-pip-version-check uv
	$(VENV)/bin/uv pip compile pyproject.toml --group dev --generate-hashes --python-version 3.11 -o requirements.lock

clean-db:
	if [ -e .pgdata ] || [ -L .pgdata ]; then
		py=$(PY); [ -x "$$py" ] || py=python3
		"$$py" scripts/database.py --stop --pgdata .pgdata
		if [ -L .pgdata ]; then rm -rf "$$(readlink -f .pgdata)"; fi
		rm -rf .pgdata
	fi
