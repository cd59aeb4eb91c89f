# discodiff: `make demo` runs the main job, `make test` runs every test. Both set everything up first.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
FLAGS ?=
# Tests never wait on the Hugging Face hub (its clients retry for minutes without network).
TEST_ENV := HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 MPLBACKEND=Agg

.PHONY: setup demo test test-all sync-check info clean

# A fresh virtual environment with the package (editable) and its development tools. Re-runs when the
# requirements change. torch==2.13.0 is pinned in settings.ini (see the comment there).
$(BIN)/.installed: settings.ini setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e ".[dev]"
	touch $@

setup: $(BIN)/.installed
	$(BIN)/discodiff info

# The main job (an end-to-end smoke run until the full demo exists).
demo: setup
	$(BIN)/discodiff smoke --out out/smoke

# Every notebook's cells as tests (skipping the slow, gpu and weights flags; add them with FLAGS="slow"), after
# checking that the package and the cleaned notebooks are in sync with what is committed.
test: setup sync-check
	$(TEST_ENV) $(BIN)/python .ci/test_notebooks.py --flags "$(FLAGS)"

test-all: FLAGS = slow
test-all: test

# Notebooks are the source: exporting must not change discodiff/, cleaning must not change nbs/.
sync-check: $(BIN)/.installed
	@git rev-parse --git-dir >/dev/null 2>&1 || { echo "not a git checkout: sync check skipped"; exit 0; }; \
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean && \
	if [ -n "$$(git status --porcelain -- discodiff nbs)" ]; then \
	  echo "out of sync: nbdev_export / nbdev_clean changed these files (commit the result):"; \
	  git status --short -- discodiff nbs; git --no-pager diff --stat -- discodiff nbs; exit 1; \
	else echo "sync check: discodiff/ and nbs/ unchanged by nbdev_export and nbdev_clean"; fi

info: setup

clean:
	rm -rf $(VENV) out build *.egg-info
