# Two commands do everything on a fresh machine with Python >= 3.10 and make:
#   make serve   preview the site on http://127.0.0.1:8000 (reloads on edits)
#   make test    lint + the whole test suite
# Each creates .venv and installs the pinned toolchain on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements/requirements.lock | cut -c1-12)
VERSIONS := 3.10 3.11 3.12 3.13

# mkdocs-material prints notices about MkDocs 2.0 and its own end of life on every run.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build test test-all lint format outputs lock clean audit system-deps

$(STAMP): requirements/requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

# The same suite on every supported Python, each in its own .venv-X.Y.
test-all:
	@for v in $(VERSIONS); do \
		py=$$(tools/find-python $$v) || exit 1; \
		echo "== Python $$v ($$py)"; \
		$(MAKE) --no-print-directory test PYTHON=$$py VENV=.venv-$$v || exit 1; \
	done

# The site in headless chromium: Lighthouse, axe-core, network, search, copy, mobile.
# Needs Debian's chromium and nginx (`make system-deps` as root installs them).
# Report: reports/audit.md and reports/audit.json.
AUDIT_NODE := tools/audit/node_modules/.package-lock.json

$(AUDIT_NODE): tools/audit/package.json tools/audit/package-lock.json
	cd tools/audit && npm ci --no-audit --no-fund --loglevel=error
	touch $@

audit: $(STAMP) $(AUDIT_NODE)
	$(BIN)/python -m pytest tests/test_audit.py -m audit -p no:cacheprovider

# What the tests and the audit need from Debian: a browser, a static web server, and a
# PostgreSQL server for the database recipes (their tests start a throwaway cluster).
system-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
		chromium nginx-light postgresql

# Rewrite every snippets/**/*.out from a fresh virtual-time run of its recipe.
outputs: $(STAMP)
	$(BIN)/python -m pytest tests/test_recipes.py -k test_output_matches_page --update-outputs -q

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-resolve requirements/requirements.in on 3.10 and 3.11 and merge the pins.
lock:
	rm -rf /tmp/asyncio-recipes-lock && mkdir -p /tmp/asyncio-recipes-lock
	@for v in 3.10 3.11; do \
		py=$$(tools/find-python $$v) || exit 1; \
		$$py -m venv /tmp/asyncio-recipes-lock/$$v && \
		/tmp/asyncio-recipes-lock/$$v/bin/pip install --quiet -r requirements/requirements.in \
			-c requirements/site-pins.txt && \
		/tmp/asyncio-recipes-lock/$$v/bin/pip freeze > /tmp/asyncio-recipes-lock/$$v.txt || exit 1; \
	done
	$(PYTHON) tools/lock.py /tmp/asyncio-recipes-lock/3.10.txt /tmp/asyncio-recipes-lock/3.11.txt \
		> requirements/requirements.lock

clean:
	rm -rf site .venv .venv-3.* .pytest_cache .ruff_cache
