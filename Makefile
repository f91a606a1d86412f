# Samling's chores. The README names two: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BASE_STAMP := $(VENV)/.base-installed
DEV_STAMP := $(VENV)/.dev-installed
NODE_STAMP := node_modules/.package-lock.json

.PHONY: run test setup setup-dev catalogs messages lint chromium bench bench-live bench-cloud bench-export

run: setup
	$(PY) run.py $(ARGS)

test: setup-dev chromium
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(BASE_STAMP) $(NODE_STAMP) catalogs
setup-dev: setup $(DEV_STAMP)

$(BASE_STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Samling needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(DEV_STAMP): $(BASE_STAMP) pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The built-in exercise kinds: each has its own catalog in exercises/<kind>/locale (a
# module of exercises/ without such a folder is a kind's helper, such as poster_print.py;
# the strings of <kind>_*.py are the kind's).
MODULES := $(filter-out __init__,$(notdir $(basename $(wildcard exercises/*.py))))
KINDS := $(strip $(foreach module,$(MODULES),$(if $(wildcard exercises/$(module)/locale),$(module))))
LANGS := nb nn da
EXTRACT := $(VENV)/bin/pybabel extract -k N_ -k Message --no-location --sort-output --project=Samling
UPDATE := --no-fuzzy-matching --ignore-obsolete

# Compiled catalogs (.mo) are built here, never committed.
catalogs: $(BASE_STAMP)
	$(VENV)/bin/pybabel -q compile -d workshop/locale -D messages
	for kind in $(KINDS); do $(VENV)/bin/pybabel -q compile -d exercises/$$kind/locale -D $$kind; done

# Re-extract the translatable strings after changing code or templates.
messages: $(BASE_STAMP)
	$(EXTRACT) -F babel.cfg -o workshop/locale/messages.pot .
	$(VENV)/bin/pybabel update -i workshop/locale/messages.pot -d workshop/locale -D messages $(UPDATE)
	for kind in $(KINDS); do \
		$(EXTRACT) -F babel-kind.cfg -o exercises/$$kind/locale/$$kind.pot exercises/$$kind.py \
			$$(ls exercises/$${kind}_*.py 2>/dev/null) exercises/$$kind \
		&& for lang in $(LANGS); do \
			test -f exercises/$$kind/locale/$$lang/LC_MESSAGES/$$kind.po \
			|| $(VENV)/bin/pybabel init -i exercises/$$kind/locale/$$kind.pot -d exercises/$$kind/locale -D $$kind -l $$lang; \
		done \
		&& $(VENV)/bin/pybabel update -i exercises/$$kind/locale/$$kind.pot -d exercises/$$kind/locale -D $$kind $(UPDATE); \
	done

# Chromium for the browser tests; Pango for WeasyPrint's PDF (checked with ldconfig).
chromium:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@ldconfig -p | grep -q 'libpango-1.0.so.0 ' && ldconfig -p | grep -q 'libpangoft2-1.0.so.0 ' || { \
		echo "Installing Debian's Pango for the PDF summary (WeasyPrint)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libpango-1.0-0 libpangoft2-1.0-0; }

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: setup-dev
	$(PY) bench/store_writes.py

# The live core against the floors in $(FLOORS), in the same run: 2,000 and 5,000
# phones, ROUNDS interleaved rounds; prints a table of ratios and targets (see
# bench/README.md). A quick run: make bench-live PHONES=300 ROUNDS=1.
PHONES ?= 2000,5000
ROUNDS ?= 3
MOVES ?= 20
ANSWERS ?=
CLIENTS ?= 0
FLOORS ?= $(abspath ../shared/floors)
bench-live: setup-dev
	SAMLING_FLOORS=$(FLOORS) $(PY) bench/live_load.py --phones $(PHONES) --rounds $(ROUNDS) \
		--moves $(MOVES) --clients $(CLIENTS) $(if $(ANSWERS),--answers $(ANSWERS))

# A soak: 1,000 phones for 12 minutes, a move every 20 s, storms of dropped sockets,
# one server restart (a short run: make bench-soak MINUTES=2).
.PHONY: bench-soak
SOAK_PHONES ?= 1000
MINUTES ?= 12
bench-soak: setup-dev
	$(PY) bench/soak.py --phones $(SOAK_PHONES) --minutes $(MINUTES)

# A new word-cloud answer on the presenter, and the server's event-loop lag, with
# 30, 300 and 3,000 distinct phrases (set PHRASES=3000 for one size).
PHRASES ?= 30,300,3000
bench-cloud: setup-dev
	$(PY) bench/word_cloud.py --phrases $(PHRASES)

# The summary of a day of 1,000 phones and 20 items, per format, through the server
# (a short run: make bench-export EXPORT_PHONES=200 EXPORT_ROUNDS=1).
EXPORT_PHONES ?= 1000
EXPORT_ROUNDS ?= 2
bench-export: setup-dev
	$(PY) bench/export.py --phones $(EXPORT_PHONES) --rounds $(EXPORT_ROUNDS)
