# Backstride: the two commands are `make run` and `make test`.
# Every target creates .venv and installs what it needs on first use.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
BENCH_STAMP := $(VENV)/.installed-bench-stamp

.PHONY: run demo-cli test test-core lint bench bench-smoke clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[web,dev]"
	touch $(STAMP)

# The benchmarks' peers and tools (fitparse, fitfast, gpxpy, tcxreader, locust, ...).
$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[web,dev,bench]"
	touch $(BENCH_STAMP)

run: $(STAMP)
	mkdir -p var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo
	$(PY) manage.py runserver 127.0.0.1:8000

demo-cli: $(STAMP)
	$(PY) -m backstride.cli.demo

test: $(STAMP)
	$(PY) -m pytest

test-core: $(STAMP)
	$(PY) -m pytest tests/core tests/cli -q

# Issue 7: bandit (medium and high findings; each accepted one has a `# nosec` with its
# reason) and pip-audit (scripts/pip-audit.sh says loudly when it could not audit).
lint: $(STAMP)
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit -ll -q -r src
	bash scripts/pip-audit.sh

# Issue 8: every benchmark, against a throwaway PostgreSQL; prints the ratio tables and
# writes bench/results.md. `bench-smoke` runs each on tiny data (CI: they cannot rot).
bench:
	@started=$$(date +%s); \
	$(MAKE) --no-print-directory $(BENCH_STAMP) && bash bench/needs.sh && \
	BENCH_STARTED=$$started scripts/with-postgres.sh $(PY) -m bench

bench-smoke: $(BENCH_STAMP)
	bash bench/needs.sh
	scripts/with-postgres.sh $(PY) -m bench --smoke

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
