# Two commands for a fresh machine: `make build` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: build test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/kg build

test: $(STAMP)
	$(BIN)/ruff check kg tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	  exit $$status

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf out $(VENV)
