# Bosetting — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Django 6 needs Python 3.12 or newer: take the first one found.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 /root/.pyenv/versions/3.13*/bin/python3.13 /root/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then command -v $$p; break; fi; done)
HOST ?= 127.0.0.1
PORT ?= 8000
SEED ?= 2014

.PHONY: demo test bench lint serve install install-dev browser clean help

help:
	@echo "make demo   - set up, load reference data and the demo world, run the main job, serve on http://$(HOST):$(PORT) (NO_SERVE=1 stops before serving)"
	@echo "make test   - install the dev extras and run the whole test suite, in parallel (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make bench  - benchmarks that print figures"
	@echo "make lint   - ruff, import-linter, mypy on the engine, Django checks and makemigrations --check"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (Django 6); none found." >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,postgres]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Browser tests drive Debian's Chromium through Playwright (no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium for the browser tests: sudo apt-get install chromium" >&2; exit 1; fi; }

demo: $(VENV)/.installed
	$(BIN)/bosetting demo --seed $(SEED)
	@if [ -z "$(NO_SERVE)" ]; then $(BIN)/bosetting serve --host $(HOST) --port $(PORT); fi

serve: $(VENV)/.installed
	$(BIN)/bosetting serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev browser
	$(BIN)/pytest

bench: $(VENV)/.installed-dev
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=bosetting.web.settings $(BIN)/django-admin check
	DJANGO_SETTINGS_MODULE=bosetting.web.settings $(BIN)/django-admin makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
