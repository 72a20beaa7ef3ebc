# fulian — the two commands a new user runs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HASH   := $(shell cat pyproject.toml | sha1sum | cut -c1-12)
STAMP  := $(VENV)/.installed-dev-$(HASH)
RUN_STAMP := $(VENV)/.installed-run-$(HASH)
# make demo writes into its own home, never into the archive a user keeps
DEMO_HOME := $(CURDIR)/fulian-demo
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export OMP_THREAD_LIMIT := 1

.PHONY: demo test system-deps venv lint bench clean-demo

venv: $(STAMP)

# the test install (with the dev extras) also serves the demo; the demo alone needs no extras
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@ $(RUN_STAMP)

$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	rm -f $(VENV)/.installed-run-* && touch $@

system-deps:
	@bash scripts/system-deps.sh test

demo: $(RUN_STAMP)
	@bash scripts/system-deps.sh demo
	env -u FULIAN_DATABASE_URL -u FULIAN_INBOX FULIAN_HOME=$(DEMO_HOME) $(BIN)/fulian demo

clean-demo:
	rm -rf $(DEMO_HOME)

test: system-deps $(STAMP)
	@bash scripts/start-postgres.sh
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/completeness.py
	$(BIN)/python bench/ocr.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/fuzz.py
	$(BIN)/python bench/longtext.py
	$(BIN)/python bench/packets.py
	$(BIN)/python bench/cli.py
