# Two commands on a fresh machine: `make html` builds the site, `make test` runs every test.
# Each installs its own locked group into .venv (hashes checked) when it is missing or older
# than its lock: `make html` only the site group, `make test` the test/dev group.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
SPHINXBUILD := $(BIN)/sphinx-build
BUILDDIR    := _build
SPHINXOPTS  ?=
SPHINXARGS  := -c . -d $(BUILDDIR)/doctrees docs
PIP         := $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes
SITE        := $(VENV)/.site-installed
DEV         := $(VENV)/.dev-installed
BENCH       := $(VENV)/.bench-installed
# Named so that no editor's variable (ID, PAGE, SECTION, SUMMARY, FORCE, SRC, SLUG, TITLE,
# LEGACY_URL, BASE) can replace a command: recipes read those from the environment only.
REPORT_LINE := PYTHONPATH=extensions $(BIN)/python -m sclero.reporting.summary $(BUILDDIR)/html

.PHONY: html check check-offline check-pr linkcheck live new-topic import suggest-ids cite cite-fill bench \
        bench-quick clean test test-deps lint lock venv hooks
BASE ?= origin/main
export BASE

venv: $(SITE)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(SITE): requirements.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	touch $@

$(DEV): requirements/dev.txt | $(BIN)/python
	$(PIP) -r requirements/dev.txt
	touch $@

$(BENCH): requirements/bench.txt | $(BIN)/python
	$(PIP) -r requirements/bench.txt
	touch $@

## html: build the site into _build/html; prints what needs fixing, then one summary line
html: $(SITE)
	$(SPHINXBUILD) -q -b html $(SPHINXARGS) $(BUILDDIR)/html $(SPHINXOPTS)
	@$(REPORT_LINE)

## check: the strict build (any warning fails it, after all are listed); new or expired
## external links and identifiers are checked within a time budget, the rest from the cache
check: $(SITE)
	@SCLERO_LINKCHECK=budget $(SPHINXBUILD) -q -b html -W -n $(SPHINXARGS) $(BUILDDIR)/html \
	  $(SPHINXOPTS); status=$$?; $(REPORT_LINE); exit $$status

## check-offline: the strict build without network (pre-commit runs this)
check-offline: $(SITE)
	@SCLERO_LINKCHECK=offline $(SPHINXBUILD) -b html -W -n -q $(SPHINXARGS) $(BUILDDIR)/html \
	  $(SPHINXOPTS); status=$$?; $(REPORT_LINE); exit $$status

## check-pr: pull-request mode against BASE (default origin/main): problems on lines the
## change touched fail; the rest are notices. Writes annotations, summary, SARIF, JUnit.
check-pr: $(SITE)
	PYTHONPATH=extensions $(BIN)/python -m sclero.reporting.pullrequest --base "$$BASE"

## linkcheck: every expired external link checked (no budget), then LinkChecker crawls the
## built HTML, its failures mapped back to source lines
linkcheck: $(DEV)
	SCLERO_LINKCHECK=full $(SPHINXBUILD) -q -b html -W -n $(SPHINXARGS) $(BUILDDIR)/html $(SPHINXOPTS)
	PYTHONPATH=extensions $(BIN)/python -m sclero.linkcheck.crawl $(BUILDDIR)/html docs --json $(BUILDDIR)/crawl.json

## suggest-ids: look up candidate PMIDs for articles without identifiers, list them for review
suggest-ids: $(SITE)
	SCLERO_LINKCHECK=full $(SPHINXBUILD) -q -b html $(SPHINXARGS) $(BUILDDIR)/html $(SPHINXOPTS) 2>/dev/null || true
	@PYTHONPATH=extensions $(BIN)/python -m sclero.reporting.summary $(BUILDDIR)/html --rule id_candidate

## cite: make cite ID=29898932 [PAGE=docs/topics/x.md] [SECTION="Bone Density"]
## [SUMMARY="One sentence."] [FORCE=1]: a citation written from its record, then the page's
## findings. Several papers: ID=1,2,3; one paper's identifiers together: ID=29898932+PMC5999247
cite: $(SITE)
	@PYTHONPATH=extensions $(BIN)/python -m sclero.editor.cite
	@if [ -n "$$PAGE" ]; then \
	  SCLERO_LINKCHECK=offline $(SPHINXBUILD) -q -b html $(SPHINXARGS) $(BUILDDIR)/html \
	    $(SPHINXOPTS) 2>/dev/null; \
	  $(REPORT_LINE) --file "$$PAGE"; fi

## cite-fill: make cite-fill PAGE=docs/topics/x.md: each entry's empty fields filled from
## its record (never a field a person wrote); each filled field shown as a diff
cite-fill: $(SITE)
	@PYTHONPATH=extensions $(BIN)/python -m sclero.editor.fill

## live: rebuild and reload the browser on every save (http://127.0.0.1:8000)
live: $(DEV)
	$(BIN)/sphinx-autobuild -b html $(SPHINXARGS) $(BUILDDIR)/live --watch extensions

## new-topic: make new-topic SLUG=celiac-disease TITLE="Celiac Disease"
new-topic: $(SITE)
	PYTHONPATH=extensions $(BIN)/python -m sclero.importer.new_topic "$$SLUG" "$$TITLE"

## import: make import SRC=legacy/page.txt SLUG=osteoporosis [LEGACY_URL=…] [FORCE=1] (a
## legacy page as a topic page; FORCE=1 overwrites an existing one)
import: $(DEV)
	PYTHONPATH=extensions $(BIN)/python -m sclero.importer "$$SRC" "$$SLUG" \
	  $$(case "$$FORCE" in ""|0) ;; *) echo --force;; esac) \
	  $${LEGACY_URL:+--legacy-url "$$LEGACY_URL"}

## bench: the benchmark (100 pages x 20 citations, 3 runs; loopback only; BENCH_ARGS to
## resize), then its scale run (1,000 pages x 20 citations against 100; SCALE_ARGS)
bench: $(BENCH)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/scale.py $(SCALE_ARGS)

## bench-quick: a small corpus, one run (a few minutes: the peers are slow to check links)
bench-quick: $(BENCH)
	$(BIN)/python bench/run.py --pages 20 --per-page 10 --runs 1

## lint: ruff, mypy, the layers' import contracts (lint-imports), and the workflows' security
## lint (zizmor) and lint (actionlint)
lint: $(DEV)
	$(BIN)/ruff check extensions tests bench conf.py
	$(BIN)/ruff format --check extensions tests bench conf.py
	$(BIN)/mypy
	PYTHONPATH=extensions $(BIN)/lint-imports --no-cache
	$(BIN)/zizmor --offline --quiet .github/workflows
	$(BIN)/actionlint

## hooks: git runs the fast checks (ruff, the offline strict build) before each commit
hooks: $(DEV)
	$(BIN)/pre-commit install

## test-deps: what the tests need that pip cannot install (Debian's chromium, npm test tools)
test-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	npm ci --no-audit --no-fund --silent

## test: lint, then every test (stops at once, naming `make test-deps`, if chromium or the npm
## tools are missing: no test is ever skipped)
test: lint
	@missing=""; test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -d node_modules/axe-core || missing="$$missing node_modules"; \
	if [ -n "$$missing" ]; then \
	  echo "make test: missing$$missing; install them with: make test-deps" >&2; exit 2; fi
	$(BIN)/python -m pytest

## lock: regenerate the three locks (with hashes) from requirements/*.in
lock: $(DEV)
	$(BIN)/pip-compile --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --quiet -o requirements.txt requirements/site.in
	$(BIN)/pip-compile --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --quiet -o requirements/dev.txt requirements/dev.in
	$(BIN)/pip-compile --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --quiet -o requirements/bench.txt requirements/bench.in

clean:
	rm -rf $(BUILDDIR)
