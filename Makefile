# Two commands on a fresh machine: `make html` builds the site, `make test` runs the tests.
# Both create .venv from requirements.txt when it is missing or older than that file.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
SPHINXBUILD := $(BIN)/sphinx-build
BUILDDIR    := _build
SPHINXOPTS  ?=
SPHINXARGS  := -c . -d $(BUILDDIR)/doctrees docs

.PHONY: html check check-offline check-pr linkcheck live new-topic bench bench-quick clean test lint venv
BASE ?= origin/main

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

## check-offline: the strict build without network (pre-commit runs this)
check-offline: venv
	SCLERO_LINKCHECK=offline $(SPHINXBUILD) -b html -W -n -q $(SPHINXARGS) $(BUILDDIR)/html $(SPHINXOPTS)

## check-pr: pull-request mode against BASE (default origin/main): problems on lines the
## change touched fail; the rest are notices. Writes annotations, summary, SARIF, JUnit.
check-pr: venv
	PYTHONPATH=extensions $(BIN)/python -m sclero.pullrequest --base $(BASE)

## linkcheck: every expired external link checked (no budget), then LinkChecker crawls the
## built HTML, its failures mapped back to source lines
linkcheck: venv
	SCLERO_LINKCHECK=full $(SPHINXBUILD) -b html -W -n $(SPHINXARGS) $(BUILDDIR)/html $(SPHINXOPTS)
	PYTHONPATH=extensions $(BIN)/python -m sclero.linkcheck.crawl $(BUILDDIR)/html docs --json $(BUILDDIR)/crawl.json

## live: rebuild and reload the browser on every save (http://127.0.0.1:8000)
live: venv
	$(BIN)/sphinx-autobuild -b html $(SPHINXARGS) $(BUILDDIR)/live --watch extensions

## new-topic: make new-topic SLUG=celiac-disease TITLE="Celiac Disease"
new-topic: venv
	PYTHONPATH=extensions $(BIN)/python -m sclero.scaffold "$(SLUG)" "$(TITLE)"

## bench: the benchmark (500 pages x 40 citations, 3 runs; loopback only); BENCH_ARGS to resize
bench: venv
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## bench-quick: a small corpus, one run (about a minute)
bench-quick: venv
	$(BIN)/python bench/run.py --pages 20 --per-page 10 --runs 1

## lint: ruff and mypy over the extensions, tests, benchmark and conf.py
lint: venv
	$(BIN)/ruff check extensions tests bench conf.py
	$(BIN)/ruff format --check extensions tests bench conf.py
	$(BIN)/mypy

## test: lint, then the test suite
test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(BUILDDIR)
