# Quickstart (see README.md): `make html` builds the book, `make test` runs the tests.
# Each sets up .venv from requirements.txt first, if it is missing or out of date.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-requirements

# One thread per process for BLAS/OpenMP; the tests run one notebook per core.
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: setup data html test test-full browser lab bench bench-grading seeds clean

setup: $(STAMP) data

# The human-rated corpora of the VADER paper, fetched once from PyPI with pip into
# .cache/corpora/ and checked by SHA-256 (book/corpora.py); a no-op once they are there.
data: $(STAMP)
	$(BIN)/python -m book.corpora fetch

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

# The build's kernels run offline too (book/offline.py): a network namespace where the
# system allows one, and a guard that refuses the network and shows every warning.
html: $(STAMP) data
	$(BIN)/python -m book.offline -- $(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"

# The tests include a real Jupyter server and headless Chromium on the built site
# (tests/test_site.py builds the book itself, cached); `browser` installs Chromium if missing.
test: $(STAMP) data browser
	$(BIN)/python -m pytest

# Every check on every notebook, as the weekly canary runs them (tests/conftest.py,
# FULL_TESTS): longer than CI's 10 minutes.
test-full: $(STAMP) data browser
	BOOK_FULL_TESTS=1 $(BIN)/python -m pytest

browser: $(STAMP)
	$(BIN)/python tests/browser.py --install

# JupyterLab on the repository, with Binder's defaults (./start): .md notebooks open as
# notebooks, 2 BLAS threads. As root (a container), Jupyter needs --allow-root.
lab: $(STAMP) data
	PATH="$(CURDIR)/$(BIN):$$PATH" ./start $(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" \
		$(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# Per-notebook time and memory, build and test-suite times (medians of 3 runs), and one
# fresh-clone `bash .ci/run` (CI's budget is 10 minutes); writes appendix/benchmark.md.
bench: $(STAMP) data
	$(BIN)/python tests/benchmark.py --ci

# Grading a cohort: 30 copies of homework 1 with --jobs 1 and with one job per core;
# writes appendix/grading-benchmark.md.
bench-grading: $(STAMP) data
	$(BIN)/python tests/grading_benchmark.py

# The seed sweep: every chapter and homework solution at seeds 0..SEEDS-1, and per claim the
# seeds at which it fails (report in _build/seeds.md). `make seeds SEEDS=50 ONLY=01_` narrows it.
SEEDS ?= 20
ONLY ?=
seeds: $(STAMP) data
	$(BIN)/python tests/sweep.py --seeds $(SEEDS) -k "$(ONLY)"

clean:
	rm -rf _build
