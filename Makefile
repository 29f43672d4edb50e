# Set-up and everyday commands. Everything the project needs is installed from here.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= data

HOST ?= 127.0.0.1
PORT ?= 8000

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
	$(BIN)/hfkg --data $(DATA) serve --host $(HOST) --port $(PORT)

# The UI tests drive Debian's chromium + chromium-driver: installed first (apt-get as root), quick when there.
# The server engines (PostgreSQL, the oxigraph server) are started by scripts/services.sh; the tests run
# the search, store and graph suites on them as well as on the embedded engines.
test: install-test
	sh scripts/install-browser.sh
	sh scripts/install-ocr.sh
	eval "$$(sh scripts/services.sh start)" && $(BIN)/python -m pytest -q

# bench/api.py and bench/search.py measure the server engines beside the embedded ones.
bench: install-test
	sh scripts/install-ocr.sh
	eval "$$(sh scripts/services.sh start)" && $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache
