# One command each, nothing to run before them: every target builds .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PROFILE ?= ci

.PHONY: parity test lint mutants clean

$(STAMP): parity/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r parity/requirements.txt
	touch $@

## parity: the parity gate against the torch reference (PROFILE=dev|ci|nightly)
parity: $(STAMP)
	$(PY) -m pytest parity -q -p no:cacheprovider --hypothesis-profile=$(PROFILE)

## test: lint, then everything `parity` runs (this is what CI runs)
test: lint parity

## mutants: apply each catalog bug to a temporary copy of the port; every one must be caught by the gate
mutants: $(STAMP)
	$(PY) -m parity.mutants

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) reports .pytest_cache .hypothesis
