# The two commands a newcomer types: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)

.PHONY: install run test lint messages totp worker beat clean bench audit

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

# Laptop: SQLite, tasks in-process, SMS and email printed to the console, demo data, and
# the periodic sweeps (reminders, seat offers, outbox) run by the server itself.
# PORT and PUBLIC_BASE_URL follow each other: `make run PORT=8100` puts links to
# http://127.0.0.1:8100 in texts and emails; `make run PUBLIC_BASE_URL=http://127.0.0.1:8100`
# serves on 8100.
URL_PORT := $(shell echo '$(PUBLIC_BASE_URL)' | sed -n 's|^https\{0,1\}://[^/:]*:\([0-9][0-9]*\).*|\1|p')
PORT ?= $(or $(URL_PORT),8000)
PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving on $(PUBLIC_BASE_URL)  (Ctrl-C to stop)"
	PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Every test. Browser tests need /usr/bin/chromium: installed here when we may (root
# with apt-get), otherwise they are skipped with that reason (CI requires them).
test: install
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium for the browser tests"; \
		(apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)); \
	fi
	$(PY) -m pytest $(PYTEST_ARGS)

# Style, formatting and the layer rules (pyproject.toml [tool.importlinter]).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

# Known vulnerabilities in the installed packages (pip-audit, in its own venv so that it
# never changes the app's). It needs to reach its vulnerability database (PyPI's JSON API
# by default; AUDIT_ARGS="-s osv" asks OSV): run it where that is reachable, e.g. a
# laptop or a CI runner with internet. Fails on any known vulnerability.
AUDIT_VENV := .venv-audit
audit: install
	@test -x $(AUDIT_VENV)/bin/pip-audit || ($(PYTHON) -m venv $(AUDIT_VENV) && \
		$(AUDIT_VENV)/bin/pip install --quiet --disable-pip-version-check pip-audit)
	$(PY) -m pip freeze --exclude-editable --disable-pip-version-check > $(AUDIT_VENV)/installed.txt
	$(AUDIT_VENV)/bin/pip-audit --strict --no-deps --disable-pip -r $(AUDIT_VENV)/installed.txt $(AUDIT_ARGS)

# Refresh locale/es after changing strings (needs GNU gettext); the .mo is committed.
messages: install
	$(PY) manage.py makemessages -l es --no-location --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages -l es --ignore=.venv

# Current second-factor code of the demo staff logins.
totp: install
	@$(PY) manage.py demo_totp

# Celery defaults to the production settings, like wsgi; on a laptop use the local ones.
worker: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} \
		$(VENV)/bin/celery -A config worker -Q urgent,default,bulk -l INFO

beat: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} \
		$(VENV)/bin/celery -A config beat -l INFO

clean:
	rm -rf $(VENV) $(AUDIT_VENV) db.sqlite3 staticfiles

# Benchmarks (not part of `make test`): starts its own servers; results in bench/results/latest.md.
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)
