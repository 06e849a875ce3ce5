# The BPR workshop kit: two commands for a fresh machine.
#   make demo   set up .venv and render the bundled demo session (one HTML handout per group)
#   make test   set up .venv (with test tools; Debian chromium, CJK fonts, poppler-utils when root) and run the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterHub's proxy (configurable-http-proxy, npm), installed locally into hub/node_modules
HUB_PROXY := hub/node_modules/.bin/configurable-http-proxy
# the BPMN checkers (bpmn-moddle, bpmnlint; npm), installed locally into tests/bpmn/node_modules
BPMN_TOOLS := tests/bpmn/node_modules/.package-lock.json

.PHONY: demo test setup sysdeps lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(HUB_PROXY): hub/package.json hub/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "kit hub needs Node.js and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix hub --no-audit --no-fund --loglevel=error
	touch $(HUB_PROXY)

$(BPMN_TOOLS): tests/bpmn/package.json tests/bpmn/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "the BPMN tests need Node.js and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix tests/bpmn --no-audit --no-fund --loglevel=error
	touch $(BPMN_TOOLS)

setup: $(STAMP) $(HUB_PROXY) $(BPMN_TOOLS)

demo: $(STAMP)          # the demo needs no JupyterHub proxy, so no Node.js either
	$(BIN)/kit demo --out demo_out

sysdeps:
	@if command -v chromium >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "chromium, poppler-utils and CJK fonts present"; \
	elif [ "$$(id -u)" = "0" ]; then \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null; \
	else \
		echo "Browser and print tests need: sudo apt-get install chromium fonts-noto-cjk poppler-utils"; \
	fi

test: setup sysdeps
	$(BIN)/ruff check kit tests benchmarks
	$(BIN)/python -m pytest -q --nbval-lax tests templates workshops; rc=$$?; if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc

lint: setup
	$(BIN)/ruff check kit tests benchmarks

bench: setup
	$(BIN)/python benchmarks/render.py

clean:
	rm -rf demo_out .pytest_cache
