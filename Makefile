# Backstride: the two commands are `make run` and `make test`.
# Every target creates .venv and installs what it needs on first use.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run demo-cli test test-core lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[web,dev]"
	touch $(STAMP)

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

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) -m pytest bench --benchmark-enable --benchmark-columns=min,median,max,rounds -q

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
