# bplab: every target creates or reuses the virtual environment and installs what it needs.
#   make book     build the website into _build/html (warnings are errors)
#   make test     build the book, then run every test (package, notebooks, grader, browser)
#   make lab      open the notebooks in JupyterLab with bplab installed
#   make execute  re-execute every notebook in place, refreshing its stored outputs

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
PYTEST_ARGS ?=

NOTEBOOKS := $(shell find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -not -path '*/_build/*' | sort)

.PHONY: book test lab execute clean help

help:
	@sed -n '2,6p' Makefile | sed 's/^# *//'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# One stamp per set of extras; re-installs when pyproject.toml changes.
$(VENV)/.book: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[book]"
	@touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[test]"
	@touch $@ $(VENV)/.book

$(VENV)/.lab: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[lab]"
	@touch $@ $(VENV)/.book

book: $(VENV)/.book
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@echo "The website is in _build/html (open _build/html/index.html)."

test: $(VENV)/.test
	$(MAKE) --no-print-directory book
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval --nbval-current-env \
		--nbval-sanitize-with tests/sanitize.cfg $(PYTEST_ARGS)

lab: $(VENV)/.lab
	$(BIN)/python -m ipykernel install --user --name bplab --display-name "Python (bplab)"
	$(BIN)/jupyter lab book/

execute: $(VENV)/.test
	$(BIN)/python -m tests.execute_notebooks $(NOTEBOOKS)

clean:
	rm -rf _build .pytest_cache
