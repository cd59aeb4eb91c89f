# discodiff: `make demo` runs the main job, `make test` runs every test. Both set everything up first.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
FLAGS ?=
# notebooks for `make outputs` (default: all), e.g. NBS="nbs/03_diffusion.ipynb"
NBS ?=
# Tests never wait on the Hugging Face hub (its clients retry for minutes without network).
TEST_ENV := HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 MPLBACKEND=Agg

.PHONY: setup system-deps demo test test-all sync-check info clean outputs docs

# libfluidsynth renders the offline music corpus (MIDI + soundfont). Installed with apt-get when it is missing
# and we are root on a Debian/Ubuntu machine; otherwise a note (the corpus then uses its fallback synthesis).
system-deps:
	@if ldconfig -p 2>/dev/null | grep -q libfluidsynth; then echo "libfluidsynth: found"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing libfluidsynth3 with apt-get"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libfluidsynth3 >/dev/null) \
	  || echo "could not install libfluidsynth3: the corpus renderer will use its fallback synthesis"; \
	else echo "libfluidsynth not found: install it (e.g. apt-get install libfluidsynth3, brew install fluid-synth) for soundfont rendering"; fi

# A fresh virtual environment with the package (editable) and its development tools. Re-runs when the
# requirements change. torch==2.13.0 is pinned in settings.ini (see the comment there).
$(BIN)/.installed: settings.ini setup.py
	@$(MAKE) --no-print-directory system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e ".[dev]"
	touch $@

setup: $(BIN)/.installed
	$(BIN)/discodiff info

# The main job: corpus -> DAC latents -> training -> generation -> evaluation, offline, into out/demo
# (re-running continues where an interrupted run stopped). DEMO_ARGS adds options, e.g. DEMO_ARGS="--steps 1500".
DEMO_ARGS ?=
demo: setup
	$(BIN)/discodiff demo --out out/demo $(DEMO_ARGS)

# Every notebook's cells as tests (skipping the slow, gpu and weights flags; add them with FLAGS="slow"), after
# checking that the package and the cleaned notebooks are in sync with what is committed.
test: $(BIN)/.installed sync-check
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

# The notebooks as readers see them: execute them in place (the cells the tests run), keeping compact outputs
# (figures, tables, printed checks; no machine paths), then clean their metadata. Commit the result.
outputs: $(BIN)/.installed
	$(BIN)/python .ci/execute_notebooks.py $(NBS)
	$(BIN)/nbdev_clean

# A static HTML site of the executed notebooks, built offline with nbconvert: _docs/index.html lists them in order.
docs: $(BIN)/.installed
	$(BIN)/python .ci/build_docs.py --out _docs

info: setup

clean:
	rm -rf $(VENV) out build _docs *.egg-info
