# Both `make demo` and `make test` build .venv on first use (Python 3.11, pip, make).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench bench-coref train-coref train-claims clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev,ray]"
	$(BIN)/storylens models build
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/storylens demo

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

test: install lint
	bash scripts/install_browser.sh || echo "warning: chromium not installed; the browser tests will be skipped"
	$(BIN)/pytest

bench: install
	$(BIN)/python benchmarks/bench_resolve.py
	$(BIN)/python benchmarks/bench_compare.py
	$(BIN)/python benchmarks/bench_encoder.py
	$(BIN)/python benchmarks/bench_attribute_ruler.py
	$(BIN)/python benchmarks/bench_quotes.py
	$(BIN)/python benchmarks/claim_precision.py
	$(BIN)/python benchmarks/claim_pairs.py --pairs ../shared/benchmarks/mrpc/dev.tsv
	$(BIN)/python benchmarks/prefilter_sweep.py
	$(BIN)/python benchmarks/story_eval.py --split dev
	$(BIN)/python benchmarks/fact_eval.py --split dev
	$(BIN)/python benchmarks/entity_eval.py --split dev
	$(BIN)/python benchmarks/bench_ingest.py --engine ray
	$(BIN)/python benchmarks/bench_store_memory.py
	$(BIN)/python benchmarks/bench_driver_memory.py
	$(BIN)/python benchmarks/bench_stored_compare.py
	$(BIN)/python benchmarks/bench_serve.py

clean-venv:
	rm -rf $(VENV)

bench-coref: install
	$(BIN)/python benchmarks/coref_eval.py --json benchmarks/results/coref_eval.json

train-coref: install
	$(BIN)/python scripts/train_coref.py

train-claims: install
	$(BIN)/python scripts/train_claims.py
	$(BIN)/python scripts/train_claim_encoder.py
