# Thin targets over the ethicskit CLI. Needs only Python 3.11 and pip.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8888

.PHONY: setup start test check build data bench dashboard workshop clean-venv

## setup: create .venv, install the kit, prepare the course (reused when run again)
setup: $(VENV)/.installed
	$(BIN)/ethicskit prepare

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11, or run make PYTHON=python3"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

## start: set up, then open JupyterLab on START_HERE (localhost only, token auth)
start: setup
	$(BIN)/ethicskit start --host $(HOST) --port $(PORT)

## test: install the test tools (scripts/test-tools), then the whole suite (unit, notebooks, nbgrader, Voila, browser)
test: $(VENV)/.installed
	ENV_FILE=$(VENV)/test-tools.env scripts/test-tools
	set -a; . ./$(VENV)/test-tools.env; set +a; $(BIN)/python -m pytest -n 2

## check: the course integrity gate on every module
check: $(VENV)/.installed
	$(BIN)/ethicskit check

build: $(VENV)/.installed
	$(BIN)/ethicskit build

data: $(VENV)/.installed
	$(BIN)/ethicskit data

## bench: every benchmark, printed as a table of figures and ratios
bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run_all.py

dashboard: setup
	$(BIN)/ethicskit dashboard

workshop: setup
	$(BIN)/ethicskit workshop $(MODULE)
