# One entry point for people and CI. `make serve` and `make test` set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Where the books, figures, pages and caches are: mkdocs.yml's extra.qa and QA_* (scripts/settings.py).
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build pdf test test-fast lint bench clean browser urls split propose lighthouse

setup: $(VENV)/.installed scripts/js/node_modules/.installed

$(VENV)/.installed: pyproject.toml scripts/requirements.lock
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c scripts/requirements.lock -e '.[test]'
	touch $@

scripts/js/node_modules/.installed: scripts/js/package.json scripts/js/package-lock.json
	npm ci --prefix scripts/js --no-audit --no-fund --loglevel=error
	touch $@

serve: setup
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(PORT)

# The splitter alone: `make split` validates the books; `make split ARGS="--out DIR"` writes pages.
split: setup
	$(BIN)/python -m scripts split --strict $(or $(ARGS),--check)

build: setup
	$(BIN)/mkdocs build --strict

# The site with each book's PDF printed into it (downloads/), as the deploy builds it: needs make browser.
pdf: setup browser
	QA_PDF=1 $(BIN)/mkdocs build --strict

test: setup browser lint
	$(BIN)/python -m pytest

# The quick loop while editing: unit and command-line tests, no browser and no full build.
test-fast: setup lint
	$(BIN)/python -m pytest -q tests/unit tests/cli

lint: setup
	$(BIN)/ruff check scripts tests

# Browser tests and the PDFs drive Debian's Chromium (Playwright's own browser download is not
# used), with CJK fonts to print Chinese; the PDF tests read the PDFs with poppler's pdftotext.
BROWSER_PACKAGES := chromium fonts-noto-cjk poppler-utils
browser:
	@{ command -v chromium && command -v pdftotext && fc-list | grep -q "Noto Sans CJK"; } >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	  else echo "browser tests and PDFs need: sudo apt-get install $(BROWSER_PACKAGES)" >&2; fi; }

bench: setup browser
	$(BIN)/python -m scripts bench split
	$(BIN)/python -m scripts bench site
	$(BIN)/python -m scripts bench search
	$(BIN)/python -m scripts bench related
	$(BIN)/python -m scripts bench offline
	$(BIN)/python -m scripts bench pdf
	$(MAKE) lighthouse

# Lighthouse (mobile) on three pages, this checkout against a baseline revision, in one run:
# `make lighthouse ARGS="--baseline REV"`, or ARGS="SITE_DIR --before OLD_SITE_DIR" for two builds.
# Lighthouse is installed here only, on first use; make setup does not need it.
lighthouse: setup browser scripts/lighthouse/node_modules/.installed
	$(BIN)/python -m scripts bench lighthouse $(ARGS)

scripts/lighthouse/node_modules/.installed: scripts/lighthouse/package.json scripts/lighthouse/package-lock.json
	npm ci --prefix scripts/lighthouse --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site build

# After adding questions: record their URLs in the lock next to each book (commit it).
urls: setup
	$(BIN)/python -m scripts urls --update

# After adding questions: add the registry entries they lack (review them), then make urls.
# `python -m scripts propose` alone shows them as a diff without writing.
propose: setup
	$(BIN)/python -m scripts propose --write
