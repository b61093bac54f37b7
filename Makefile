# Two commands on a fresh machine: `make html` builds the site, `make test` runs the tests.
# Both create .venv from requirements.txt when it is missing or older than that file.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
SPHINXBUILD := $(BIN)/sphinx-build
BUILDDIR    := _build
SPHINXOPTS  ?=
SPHINXARGS  := -c . -d $(BUILDDIR)/doctrees docs

.PHONY: html check clean test lint venv

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

## html: build the site into _build/html (warnings are shown, the build still finishes)
html: venv
	$(SPHINXBUILD) -b html $(SPHINXARGS) $(BUILDDIR)/html $(SPHINXOPTS)

## check: the strict build: every warning is an error (exit 1), after reporting them all
check: venv
	$(SPHINXBUILD) -b html -W -n $(SPHINXARGS) $(BUILDDIR)/html $(SPHINXOPTS)

## lint: ruff and mypy over the extensions, tests and conf.py
lint: venv
	$(BIN)/ruff check extensions tests conf.py
	$(BIN)/ruff format --check extensions tests conf.py
	$(BIN)/mypy

## test: lint, then the test suite
test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(BUILDDIR)
