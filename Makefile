# Every target builds the project-local virtual environment first when it is missing or stale.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501
# pytest-xdist workers for make test (0: one process). Two: a PostgreSQL database each, the
# browser tests together on one of them (tests/fixtures_browser.py), every browser wait bounded at
# 120 s for a page state.
TEST_WORKERS ?= 2

.PHONY: install run test bench lint browser demo clean help

help:
	@echo "make run    - set up, load the demo corpus, start the poller and open the dashboard"
	@echo "make test   - set up (incl. Chromium for the browser test), lint, and run the whole suite"
	@echo "make bench  - run the benchmarks in bench/ and print measured ratios"
	@echo "make lint   - ruff and mypy"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser test; Playwright drives it through executable_path.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: install Debian's chromium package (the browser test will fail)"; fi; }

demo: install
	$(PY) -m core demo

run: install demo
	@echo "starting the poller in the background (log: data/poller.log) and the dashboard on http://localhost:$(PORT)"
	@$(PY) -m core poll --every 15m > data/poller.log 2>&1 & poller=$$!; \
	  trap 'kill $$poller 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.address localhost

test: install browser lint
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
