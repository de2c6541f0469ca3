# Everything runs from the project root with the project's own virtual environment.
# Two commands do all set-up on a fresh clone: `make demo` and `make test`.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the Spark extra (dbt-spark, pyspark): for `make test` and `make spark` only
SPARK_STAMP := $(VENV)/.installed-spark
# Spark needs Java 17: where `java` is missing, Debian's is installed (like chromium below)
JAVA := $(or $(shell command -v java 2>/dev/null),/usr/bin/java)

# The database every command reads and writes (the dbt profile reads the same variable).
SPOTIFY_DB ?= spotify.duckdb
export SPOTIFY_DB
# What report, export and docs make from it goes next to it, named after it:
# spotify.duckdb → spotify-report.html, spotify-exports/, spotify-docs.html.
# dbt reads profiles.yml from here, never from ~/.dbt.
export DBT_PROFILES_DIR := $(CURDIR)

# The demo's own database: the sample never goes into yours.
DEMO_DB ?= demo.duckdb
export DEMO_DB
SAMPLE_DIR := sample/build
TEST_DB := target/test.duckdb
N ?= 10
CHROMIUM := /usr/bin/chromium
# make run EXPORT=… LISTENER=…, make explain ARTIST=… TRACK=…, make remove EXPORT_ID=…: passed
# through the environment and never pasted into a shell line, so any name or path is safe.
export EXPORT LISTENER ARTIST TRACK EXPORT_ID
# Your settings and rules: my/*.csv, created from the examples in seeds/ when missing.
USER_FILES := $(BIN)/python -m spotify_history.user_files

.DEFAULT_GOAL := help
.PHONY: help setup sample demo run build remove top explain export report docs test test-sample-db test-pytest lint lint-changed bench spark clean

help:  ## list the commands
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

setup: $(STAMP)  ## create .venv, install the pinned dependencies, create my/*.csv
	@$(USER_FILES)

$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,spark]'
	touch $@

sample: $(STAMP)  ## write the synthetic sample export (sample/build/*.zip)
	$(BIN)/python -m sample.generate --out $(SAMPLE_DIR)

demo: sample  ## the whole pipeline on a synthetic sample, in its own demo.duckdb; prints the tops
	$(BIN)/python -m spotify_history.check_demo_db "$$DEMO_DB" $(SAMPLE_DIR)/*.zip
	$(BIN)/python ingest.py --db "$$DEMO_DB" $(SAMPLE_DIR)/*.zip
	$(BIN)/python -m spotify_history.build --db "$$DEMO_DB" --quiet
	$(BIN)/python -m spotify_history.top --db "$$DEMO_DB" -n $(N)
	@echo
	$(BIN)/python -m spotify_history.report --db "$$DEMO_DB"
	@echo "Built $$DEMO_DB (the sample only; your own data goes into $$SPOTIFY_DB with make run)."
	@echo "Open $${DEMO_DB%.*}-report.html in a browser, or query the database read-only:"
	@echo "  $(BIN)/duckdb -readonly $$DEMO_DB -c 'from top_tracks limit 10'"

run: $(STAMP)  ## your export(s): make run EXPORT="~/Downloads/my_spotify_data.zip" [LISTENER=name]
	@if [ -z "$$EXPORT" ]; then \
	  echo "usage: make run EXPORT=path/to/my_spotify_data.zip [LISTENER=name]" >&2; \
	  echo "  several exports, oldest first: EXPORT=\"old.zip ~/Downloads/my_spotify_data(1).zip\"" >&2; \
	  echo "  a path with spaces among several goes in quotes: EXPORT=\"'my data.zip' new.zip\"" >&2; \
	  exit 2; fi
	$(BIN)/python ingest.py $${LISTENER:+--listener "$$LISTENER"} --export-list "$$EXPORT"
	$(BIN)/python -m spotify_history.build --quiet
	$(BIN)/python -m spotify_history.top -n $(N) $${LISTENER:+--listener "$$LISTENER"}

build: $(STAMP)  ## rebuild the marts, safely; skipped when nothing changed (FORCE=1 rebuilds)
	$(BIN)/python -m spotify_history.build $(if $(FORCE),--force)

remove: $(STAMP)  ## remove one export, then rebuild: make remove EXPORT_ID=3 (no id: the list)
	@if [ -z "$$EXPORT_ID" ]; then $(BIN)/python -m spotify_history.remove_export; else \
	  $(BIN)/python -m spotify_history.remove_export "$$EXPORT_ID" && \
	  $(BIN)/python -m spotify_history.build --quiet; fi

top: $(STAMP)  ## print the top N tracks and artists: make top N=25 [LISTENER=name]
	$(BIN)/python -m spotify_history.top -n $(N) $${LISTENER:+--listener "$$LISTENER"}

explain: $(STAMP)  ## every stream behind a number: make explain ARTIST="…" [TRACK="…"]
	@if [ -z "$$ARTIST" ]; then echo 'usage: make explain ARTIST="name" [TRACK="title"]' >&2; exit 2; fi
	$(BIN)/python -m spotify_history.explain --artist "$$ARTIST" $${TRACK:+--track "$$TRACK"}

export: $(STAMP)  ## every mart as Parquet (or FORMAT=csv) to <db name>-exports/ beside the database
	$(BIN)/python -m spotify_history.export --format $(or $(FORMAT),parquet)

report: $(STAMP)  ## one offline HTML file with charts, <db name>-report.html beside the database
	$(BIN)/python -m spotify_history.report $${LISTENER:+--listener "$$LISTENER"}

docs: $(STAMP)  ## dbt's documentation site with the lineage graph, one offline file beside the database
	$(BIN)/python -m spotify_history.docs

lint: $(STAMP)  ## ruff and sqlfluff (sqlfluff on every core)
	@rm -f $(SQL_LINTED)
	@$(MAKE) --no-print-directory lint-changed

# What sqlfluff's verdict depends on: the SQL it lints, the macros its templater loads, its
# config and its pinned version (the venv's stamp). make test lints the SQL again only when one
# of them is newer than the last clean lint (ruff keeps a cache of its own); `make lint` always.
SQL_LINTED := target/.sql-linted
SQL_INPUTS := $(shell find models tests macros -name '*.sql' 2>/dev/null) .sqlfluff $(STAMP)

$(SQL_LINTED): $(SQL_INPUTS)
	$(BIN)/sqlfluff lint --processes 0 models tests
	@mkdir -p $(dir $@) && touch $@

lint-changed: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(MAKE) --no-print-directory $(SQL_LINTED)

# The tests build on the committed examples (seeds/), never on your own my/*.csv.
# Lint (sqlfluff only if the SQL changed since its last clean lint), the sample's build and
# pytest (one module per core) run side by side; the tests that read the built sample wait for
# it (SPOTIFY_TEST_SAMPLE_WAIT), the others start at once.
test: export SPOTIFY_SETTINGS_DIR := seeds
test: $(CHROMIUM) $(SPARK_STAMP) $(JAVA)  ## lint, the sample built with every dbt test and pytest, side by side (strict; with the Spark comparison)
	rm -f $(TEST_DB).built $(TEST_DB).failed
	$(MAKE) --no-print-directory -j3 --output-sync=line lint-changed test-sample-db test-pytest

test-pytest: export SPOTIFY_SETTINGS_DIR := seeds
test-pytest: sample
	SPOTIFY_TESTS_STRICT=1 SPOTIFY_TEST_SAMPLE_DB=$(TEST_DB) SPOTIFY_TEST_SAMPLE_WAIT=1 \
	  SPOTIFY_TEST_SAMPLE_DIR=$(SAMPLE_DIR) $(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder

# The sample, ingested and built with every model, unit test and data test, for pytest to share;
# `<db>.built` (or `.failed`) says when it is done.
test-sample-db: export SPOTIFY_SETTINGS_DIR := seeds
test-sample-db: sample
	rm -rf $(TEST_DB) $(TEST_DB).wal $(TEST_DB).built $(TEST_DB).failed
	mkdir -p $(dir $(TEST_DB))
# (unit tests read their inputs' column types from the database: internal models as views)
	if SPOTIFY_DB=$(TEST_DB) $(BIN)/python ingest.py --quiet $(SAMPLE_DIR)/*.zip && \
	  SPOTIFY_INTERNAL_MATERIALIZATION=view SPOTIFY_DB=$(TEST_DB) \
	  $(BIN)/python -m spotify_history.build --quiet --selector everything; \
	then touch $(TEST_DB).built; else touch $(TEST_DB).failed; exit 1; fi

# The report's test opens it in a real browser: Debian's chromium, installed once.
$(CHROMIUM):
	@echo "installing Debian's chromium for the report's browser test"
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium

# Spark writes under SPOTIFY_SPARK_DIR (default target/spark): raw/ (Parquet), warehouse/, metastore
spark: $(SPARK_STAMP) $(JAVA)  ## the marts on Apache Spark (local) from what is ingested: Parquet, then dbt build --target spark
	$(BIN)/python -m spotify_history.raw_parquet
	$(BIN)/dbt build --target spark

$(JAVA):
	@echo "installing Debian's Java 17 for Spark"
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq openjdk-17-jre-headless

# make bench [SIZES="100000 1000000"] [REPEAT=3]
#            [COMPARE_WITH=<commit> [COMPARE_SIZE=1000000] [COMPARE_SPEC=file.json]]
# The benchmark builds on the committed examples (seeds/), never on your own my/*.csv.
bench: export SPOTIFY_SETTINGS_DIR := seeds
bench: $(STAMP)  ## benchmark at 100k, 1M and 5M streams → bench/results.md (takes a while)
	$(BIN)/python -m bench.run $(if $(SIZES),--sizes $(SIZES)) $(if $(REPEAT),--repeat $(REPEAT)) \
	  $(if $(COMPARE_WITH),--compare-with $(COMPARE_WITH)) \
	  $(if $(COMPARE_SIZE),--compare-size $(COMPARE_SIZE)) \
	  $(if $(COMPARE_SPEC),--compare-spec $(COMPARE_SPEC))

clean:  ## remove build output (never your database)
	rm -rf target logs $(SAMPLE_DIR) .pytest_cache
