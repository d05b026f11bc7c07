# Verzuimloket: `make run` for a local server with demo data, `make test` for everything CI checks,
# `make serve` to try the production server (gunicorn, DEBUG off) on this machine.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

PORT ?= 8000
PYTEST_ARGS ?=
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements.lock.installed
# djLint reads one template language per run: the site's pages are Jinja2 (templates/jinja2/),
# the admin's overrides Django's language (the rest of templates/, profile in pyproject.toml).
DJLINT_DJANGO := $(VENV)/bin/djlint templates --extend-exclude jinja2
DJLINT_JINJA := $(VENV)/bin/djlint templates/jinja2 --profile jinja

.PHONY: help run serve test lint lock clean-db

help:
	@echo "make run       database + migrate + laad_demo + db_worker + runserver 127.0.0.1:$(PORT) (DEBUG on)"
	@echo "make serve     as production: DEBUG off, migrate + collectstatic + db_worker + gunicorn on 127.0.0.1:$(PORT)"
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

# Development mode: settings.py is production (fail closed) unless DEBUG=1.
run: $(STAMP)
	url=$$($(PY) scripts/database.py)
	export DATABASE_URL=$$url
	export DEBUG=1
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py laad_demo
	$(PY) manage.py db_worker &
	worker=$$!
	trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT
	trap 'exit 130' INT TERM
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production server as docs/deploy.md runs it, for a try on this machine. The environment
# may set everything; what it leaves unset gets a default that only suits 127.0.0.1: a
# SECRET_KEY generated once into .secret_key (git-ignored), local hosts, and, since this is
# plain HTTP without a TLS proxy in front, no redirect to HTTPS, no HSTS and cookies that are
# not marked Secure (the browser would not send them back over HTTP).
serve: $(STAMP)
	url=$$($(PY) scripts/database.py)
	export DATABASE_URL=$$url
	export DEBUG=0
	if [ -z "$${SECRET_KEY:-}" ] && [ ! -s .secret_key ]; then
		(umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key)
	fi
	export SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}"
	export ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}"
	export SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"
	export SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-0}"
	export SECURE_HSTS_SECONDS="$${SECURE_HSTS_SECONDS:-0}"
	export SESSION_COOKIE_SECURE="$${SESSION_COOKIE_SECURE:-0}"
	export CSRF_COOKIE_SECURE="$${CSRF_COOKIE_SECURE:-0}"
	export PORT=$(PORT)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput
	# gunicorn runs in the background so that this shell can act on SIGTERM (it would wait for a
	# foreground command first); TERM lets running requests finish (graceful_timeout).
	worker= server=
	trap 'kill -TERM $$server $$worker 2>/dev/null || true; wait 2>/dev/null || true' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	$(PY) manage.py db_worker &
	worker=$$!
	$(VENV)/bin/gunicorn -c gunicorn.conf.py &
	server=$$!
	wait $$server

test: $(STAMP)
	url=$$($(PY) scripts/database.py)
	export DATABASE_URL=$$url
	export DEBUG=1
	bash scripts/chromium.sh
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DJLINT_DJANGO) --check
	$(DJLINT_DJANGO) --lint
	$(DJLINT_JINJA) --check
	$(DJLINT_JINJA) --lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# djlint --reformat --warn exits 0 when it changed templates, as ruff format does.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format .
	$(DJLINT_DJANGO) --reformat --warn
	$(DJLINT_DJANGO) --lint
	$(DJLINT_JINJA) --reformat --warn
	$(DJLINT_JINJA) --lint

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
