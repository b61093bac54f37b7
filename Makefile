# Two commands on a fresh machine: `make html` builds the site, `make test` runs the tests.
# Both create .venv from requirements.txt when it is missing or older than that file.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
SPHINXBUILD := $(BIN)/sphinx-build
BUILDDIR    := _build
SPHINXOPTS  ?=
SPHINXARGS  := -c . -d $(BUILDDIR)/doctrees docs

.PHONY: html check linkcheck clean test lint venv

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

## html: build the site into _build/html (warnings are shown, the build still finishes)
html: venv
	$(SPHINXBUILD) -b html $(SPHINXARGS) $(BUILDDIR)/html $(SPHINXOPTS)

## check: the strict build (any warning fails it, after all are listed); new or expired
## external links are checked within a time budget, the rest comes from the link cache
check: venv
	SCLERO_LINKCHECK=budget $(SPHINXBUILD) -b html -W -n $(SPHINXARGS) $(BUILDDIR)/html $(SPHINXOPTS)

## linkcheck: every expired external link checked (no budget), then LinkChecker crawls the
## built HTML, its failures mapped back to source lines
linkcheck: venv
	SCLERO_LINKCHECK=full $(SPHINXBUILD) -b html -W -n $(SPHINXARGS) $(BUILDDIR)/html $(SPHINXOPTS)
	PYTHONPATH=extensions $(BIN)/python -m sclero.linkcheck.crawl $(BUILDDIR)/html docs --json $(BUILDDIR)/crawl.json

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
