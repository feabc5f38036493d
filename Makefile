# `make run` and `make test` do all set-up: each checks the Python, creates (or repairs) .venv
# and installs what it needs, once: stamps in .venv record what is installed, and a change to
# pyproject.toml or the constraints file installs again.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/dev-constraints.txt
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
# --quiet twice: pip prints only errors. Recent pips pass on setuptools' many-line notices
# (about editable installs, for one) even with a single --quiet.
PIP := $(BIN)/python -m pip --quiet --quiet --disable-pip-version-check --no-input
# Prints the version and exits 1 below 3.11; works on any Python, even 2.7, to say which it is.
VERSION_CHECK := import sys, platform; print(platform.python_version()); sys.exit(sys.version_info < (3, 11))

# Refuse an unsuitable Python while the Makefile is read, so the refusal is one line (a failing
# recipe would add make's own "Error 1" line). A working .venv is kept whatever $(PYTHON) is.
ifeq ($(filter clean,$(MAKECMDGOALS)),)
ifneq ($(shell $(BIN)/python -c 'import sys, pip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo ok),ok)
FOUND := $(shell $(PYTHON) -c '$(VERSION_CHECK)' 2>/dev/null; echo "exit=$$?")
ifeq ($(filter exit=0,$(FOUND)),)
GET := Install it (e.g. apt install python3.11 python3.11-venv) and run: make $(or $(MAKECMDGOALS),run) PYTHON=python3.11
ifeq ($(words $(FOUND)),1)
$(error Watchparty needs Python 3.11 or newer, and '$(PYTHON)' was not found. $(GET))
else
$(error Watchparty needs Python 3.11 or newer; $(PYTHON) is $(firstword $(FOUND)). $(GET))
endif
endif
endif
endif

.DEFAULT_GOAL := run
.PHONY: run install test unit lint bench clean postgres messages FORCE

# Checked before anything that uses .venv (FORCE: every time). A .venv whose Python is missing,
# older than 3.11 or without pip (an interrupted or failed creation) is rebuilt; without this,
# a bad .venv stays bad until `make clean`. pyvenv.cfg is only rewritten by a rebuild, which
# makes it newer than the stamps and so reinstalls.
$(VENV)/pyvenv.cfg: FORCE
	@if $(BIN)/python -c 'import sys, pip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
		exit 0; \
	fi; \
	version=$$($(PYTHON) -c '$(VERSION_CHECK)' 2>/dev/null); status=$$?; \
	if [ $$status -gt 1 ] || [ -z "$$version" ]; then \
		echo "error: Watchparty needs Python 3.11 or newer, and '$(PYTHON)' was not found. Install it (e.g. apt install python3.11 python3.11-venv) and run: make $(or $(MAKECMDGOALS),run) PYTHON=python3.11" >&2; \
		exit 1; \
	fi; \
	if [ $$status -ne 0 ]; then \
		echo "error: Watchparty needs Python 3.11 or newer; $(PYTHON) is $$version. Install it (e.g. apt install python3.11 python3.11-venv) and run: make $(or $(MAKECMDGOALS),run) PYTHON=python3.11" >&2; \
		exit 1; \
	fi; \
	if [ -e $(VENV) ]; then echo "Rebuilding $(VENV): its Python is missing, broken or older than 3.11."; fi; \
	rm -rf $(VENV); \
	echo "Creating $(VENV) with $(PYTHON) $$version."; \
	$(PYTHON) -m venv $(VENV) || { \
		rm -rf $(VENV); \
		echo "error: '$(PYTHON) -m venv' failed: on Debian or Ubuntu, install python$${version%.*}-venv." >&2; \
		exit 1; \
	}

$(RUN_STAMP): pyproject.toml $(VENV)/pyvenv.cfg
	@echo "Installing the bot into $(VENV)..."
	@$(PIP) install -e .
	@touch $@

# The dev install includes everything `run` needs, so it brings the run stamp up to date too.
$(DEV_STAMP): pyproject.toml $(CONSTRAINTS) $(VENV)/pyvenv.cfg
	@echo "Installing the bot and its dev tools into $(VENV)..."
	@$(PIP) install -c $(CONSTRAINTS) -e '.[dev]'
	@touch $@ $(RUN_STAMP)

# The compiled gettext catalogues the bot replies from (bot/i18n.py): built from the .po files
# by Babel (a runtime dependency, so `make run` can build them too), never committed.
LOCALE_MO := $(patsubst %.po,%.mo,$(wildcard bot/locales/*/LC_MESSAGES/watchparty.po))
$(LOCALE_MO): %.mo: %.po | $(RUN_STAMP)
	@$(BIN)/python -m bot.i18n_build compile

run: $(RUN_STAMP) $(LOCALE_MO)
	@$(BIN)/python -m bot

# What `run` does before starting the bot; for a bot run by systemd (docs/operations.md).
install: $(RUN_STAMP) $(LOCALE_MO)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot cogs tests bench harness

# The whole suite twice: on SQLite, then with every test's bot on a fresh PostgreSQL database
# (WATCHPARTY_TEST_DATABASE; the store tests run on both stores in the first run already).
# Without PostgreSQL's server binaries its tests are skipped, with the reason.
# TEST_WORKERS pytest-xdist worker processes share the tests: the emulator tests mostly wait
# on timers and the loopback emulator, so on CI's two cores several run at once; four keep both
# cores busy without starving an interaction of its 3 seconds (tests/README.md, "In parallel";
# fewer on a slower machine: make test TEST_WORKERS=2). loadgroup keeps the files whose
# tests share one bot (an `xdist_group` mark) in one worker; every other test goes to whichever
# worker is free.
TEST_WORKERS ?= 4
PYTEST_PARALLEL = $(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup
test: lint postgres $(LOCALE_MO)
	$(PYTEST_PARALLEL)
	WATCHPARTY_TEST_DATABASE=postgresql $(PYTEST_PARALLEL)

# The PostgreSQL tests start a throwaway server (harness/postgres.py) from the machine's server
# binaries. Where they are missing and we are root with apt (CI on a fresh machine), Debian's
# package is installed, once and quietly; elsewhere those tests are skipped with the reason.
PG_FOUND = ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null
PG_INSTALL = DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1
postgres:
	@if ! { $(PG_FOUND); } && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing PostgreSQL's server for the store tests..."; \
		$(PG_INSTALL) || { apt-get update -qq >/dev/null 2>&1 && $(PG_INSTALL); } \
			|| echo "warning: could not install postgresql; its tests will be skipped" >&2; \
	fi

# The fast loop: everything but the tests that start the bot against the Discord emulator.
unit: $(DEV_STAMP) $(LOCALE_MO)
	$(PYTEST_PARALLEL) -m "not emulator"

# Every benchmark against a bare discord.py bot as the floor (docs/benchmarks.md);
# `make bench BENCH_ARGS=--quick` for a short run.
bench: $(DEV_STAMP) $(LOCALE_MO)
	$(BIN)/python -m bench $(BENCH_ARGS)

# After changing a reply or a command: extract every string into bot/locales/watchparty.pot and
# add the new ones, untranslated, to each language's .po (README.md, "Languages").
messages: $(DEV_STAMP)
	$(BIN)/python -m bot.i18n_build messages

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
