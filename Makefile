# Partnerportal — every target explains itself: `make help`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PP := $(BIN)/partnerportal
# The tests use their own settings (pyproject.toml); the exported dev settings must not win.
# Python keeps the compiled modules (and pytest the test modules with their asserts rewritten)
# in __pycache__ even where the environment says otherwise: compiling them again takes each test
# process some 3 s of CPU.
PYTEST := PYTHONDONTWRITEBYTECODE= DJANGO_SETTINGS_MODULE=partnerportal.settings.test $(BIN)/pytest
# Test processes (pytest-xdist): one per core of a small machine; `make test WORKERS=0` runs in one.
WORKERS ?= 2
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= partnerportal.settings.dev

.DEFAULT_GOAL := help

help: ## List every target with what it does
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@echo "==> Creating the virtual environment in $(VENV) with $(PYTHON)"
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "==> Installing Partnerportal and its dependencies (pinned in pyproject.toml)"
	$(BIN)/python -m pip install --quiet --progress-bar on -e ".[dev]"
	@touch $@

install: $(VENV)/.installed ## Create the venv and install the project with its pinned dependencies

node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	@echo "==> Installing front-end assets from the npm registry (package-lock.json)"
	$(BIN)/npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.installed ## Install the front-end assets (KERN UX, htmx, axe-core) from npm

messages: install ## Compile the translations (.po -> .mo)
	@mkdir -p src/partnerportal/locale
	@$(BIN)/python scripts/compile_messages.py

# Every management command runs Django's system checks, which look for the front-end packages in
# node_modules (STATICFILES_DIRS): without them each command warns (staticfiles.W004), so the
# assets come before the first command.
migrate: install messages assets ## Create or update the database (SQLite under var/ unless DATABASE_URL is set): tables, cache table, pages, countries
	@mkdir -p var
	$(PP) migrate --no-input

# The demo says itself that it runs the development server, so Django need not warn about it.
DEMO_SERVER := DJANGO_RUNSERVER_HIDE_WARNING=true $(PP) runserver

demo-data: migrate assets ## Load the demo data and demo logins
	$(PP) demo_data

SHARED_DATA ?= ../shared/data

demo-full: demo-data ## Like demo, plus the full reference data from ../shared/data when it is there
	@if [ -f "$(SHARED_DATA)/gemeindeverzeichnis_destatis.csv" ] && [ -f "$(SHARED_DATA)/twin_cities.csv" ]; then \
		$(PP) import_municipalities "$(SHARED_DATA)/gemeindeverzeichnis_destatis.csv" && \
		$(PP) import_twinnings "$(SHARED_DATA)/twin_cities.csv" --report var/twinnings-report.csv; \
	else \
		echo "No reference data in $(SHARED_DATA): serving the demo data only"; \
	fi
	@echo "==> Serving on http://$(HOST):$(PORT)/ with Django's development server, not for production (Ctrl+C stops)"
	@$(DEMO_SERVER) $(HOST):$(PORT)

demo: demo-data ## Set up everything and serve the demo on http://127.0.0.1:8000
	@echo "==> Serving on http://$(HOST):$(PORT)/ with Django's development server, not for production (Ctrl+C stops)"
	@$(DEMO_SERVER) $(HOST):$(PORT)

test: install assets messages ## Run the whole test suite (SQLite unless DATABASE_URL is set; browser tests in Chromium)
	$(PYTEST) -q -n $(WORKERS)

test-fast: install messages ## Run the suite without the browser tests
	$(PYTEST) -q -n $(WORKERS) -m "not browser"

test-browser: install assets messages ## Run only the browser tests (Debian's /usr/bin/chromium)
	$(PYTEST) -q -m browser

test-pg: install assets messages ## Run the suite on PostgreSQL at 127.0.0.1:5432
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/partnerportal} $(PYTEST) -q -n $(WORKERS) -m "not browser"

lint: install ## ruff lint and format check, and the layers (import-linter, pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

makemessages: install ## Extract the messages into locale/ (needs GNU gettext) and fill the English catalogue
	cd src/partnerportal && ../../$(PP) makemessages -l de -l en -l fr -l es -l ar -l uk --no-obsolete --ignore "*/tests/*"
	$(BIN)/python scripts/po_fill_english.py
	$(BIN)/python scripts/po_fill_headers.py

check-messages: install ## Fail when a message lacks its translation
	$(BIN)/python scripts/check_translations.py

bench: install assets messages ## Run the benchmarks in bench/ and print their figures (imports need ../shared/data)
	$(BIN)/python bench/home.py
	$(BIN)/python bench/registry.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/import.py
	$(BIN)/python bench/atlas.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/events.py --throughput-database-url ''
	$(BIN)/python bench/funding.py
	$(BIN)/python bench/advisory.py

worker: install ## Run the background task worker (production: django-tasks-db)
	$(PP) db_worker

clean-test-db: ## Forget the kept test databases, migrated and on real data (var/test-db-cache/, PostgreSQL's at DATABASE_URL)
	DJANGO_SETTINGS_MODULE=partnerportal.settings.test $(BIN)/python -c 'import django; django.setup(); \
	from django.db import connection; from partnerportal.core import db_template_cache; \
	db_template_cache.clear(connection)'

clean: ## Remove the venv, node_modules and var/
	rm -rf $(VENV) node_modules var

.PHONY: help install assets messages migrate demo-data demo demo-full test test-fast test-browser test-pg lint format makemessages check-messages bench worker clean-test-db clean
