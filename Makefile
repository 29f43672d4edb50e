# Set-up and everyday commands. Everything the project needs is installed from here.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= data

.PHONY: install install-test run test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(VENV)/.installed $@

run: install
	$(BIN)/hfkg --data $(DATA) ingest corpus
	$(BIN)/hfkg --data $(DATA) documents

test: install-test
	$(BIN)/python -m pytest -q

bench: install-test
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache
