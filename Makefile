# fulian — the two commands a new user runs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export OMP_THREAD_LIMIT := 1

.PHONY: demo test system-deps venv lint bench clean-demo

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

system-deps:
	@bash scripts/system-deps.sh

demo: system-deps $(STAMP)
	$(BIN)/fulian demo

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
	$(BIN)/python bench/packets.py
	$(BIN)/python bench/cli.py
