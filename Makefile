# One command each, nothing to run before them: every target builds .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PROFILE ?= ci
GENERIC ?= 30

.PHONY: parity meta test lint conformance conformance-mflux mutants fixtures fixtures-check bench clean

$(STAMP): parity/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r parity/requirements.txt
	touch $@

# mflux's schedulers (make conformance-mflux, and the meta-tests of its report), without their dependencies
MFLUX_STAMP := $(VENV)/.mflux-installed
$(MFLUX_STAMP): $(STAMP) parity/requirements-mflux.txt
	$(PY) -m pip install --quiet --no-deps -r parity/requirements-mflux.txt
	touch $@

# The port under test: any importable package.module:Class (PYTHONPATH honoured); default: this project's port.
# ADAPTER: package.module:factory of an adapter for a port that is not a drop-in (parity/adapter.py).
PORT ?=
ADAPTER ?=
XFAILS ?=
export PARITY_PORT := $(PORT)
export PARITY_ADAPTER := $(ADAPTER)

## parity: the parity gate against the torch reference (PROFILE=dev|ci|nightly, PORT=package.module:Class), on
## WORKERS pytest-xdist workers (default 2, this machine's cores; WORKERS=0 runs it in this process); each entry's
## Hypothesis properties and coverage ledger stay on one worker (--dist loadgroup)
WORKERS ?= 2
parity: $(STAMP)
	$(PY) -m pytest parity/tests -q -p no:cacheprovider --hypothesis-profile=$(PROFILE) -n $(WORKERS) --dist loadgroup

## meta: the harness's own tests (parity/meta_tests: the comparator, strategies, fixture storage, surface check,
## conformance and mutant runner, entries, the mflux report), apart from the gate as array-api-tests keeps its
## meta_tests
meta: $(STAMP) $(MFLUX_STAMP)
	$(PY) -m pytest parity/meta_tests -q -p no:cacheprovider -n $(WORKERS)

## test: lint, the parity gate, the harness's own tests, and the conformance report of the project's port, which
## must pass every row (this is what CI runs)
test: lint parity meta conformance

## conformance: every feature of the port under test checked to the end, one row each (PORT=package.module:Class,
## ADAPTER=package.module:factory, XFAILS=known-differences file); writes reports/conformance.md, .json, .xml (JUnit)
## and conformance-summary.md; exits non-zero if a row fails or is blocked that XFAILS does not list
conformance: $(STAMP)
	$(PY) -m parity.conformance $(if $(XFAILS),--xfails $(XFAILS))

## conformance-mflux: mflux's own FlowMatchEulerDiscreteScheduler and LinearScheduler (mflux 0.24.0, installed into
## .venv without its dependencies) through their adapters (parity/adapters/mflux.py): reports/conformance-mflux.md,
## .json and .xml. mflux's differences are findings: exits 0 when the report is written, 1 only when the harness fails
## (a crash, an mflux row masked by an API reason)
conformance-mflux: $(MFLUX_STAMP)
	$(PY) -m parity.adapters.mflux

## fixtures: re-record fixtures/ from the torch reference (then: python -m parity.fixtures diff)
fixtures: $(STAMP)
	$(PY) -m parity.fixtures record

## fixtures-check: replay fixtures/ in a venv holding only mlx, numpy and safetensors (no torch)
REPLAY_VENV := .venv-replay
$(REPLAY_VENV)/.installed: parity/requirements-replay.txt
	$(PYTHON) -m venv $(REPLAY_VENV)
	$(REPLAY_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(REPLAY_VENV)/bin/python -m pip install --quiet -r parity/requirements-replay.txt
	touch $@

fixtures-check: $(REPLAY_VENV)/.installed
	$(REPLAY_VENV)/bin/python -m parity.fixtures check

## mutants: apply each catalog bug (and GENERIC sampled operator mutants) to a temporary copy of the port;
## every catalog bug must be caught by the gate
mutants: $(STAMP)
	$(PY) -m parity.mutants --generic $(GENERIC)

## bench: the port's step and 50-step loop against diffusers', interleaved, with ratios and roofline figures
## (a benchmark, never a test: nothing fails because a machine is slow; BENCH="--quick" for one round per case)
bench: $(STAMP)
	$(PY) -m parity.tools.bench $(BENCH)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) $(REPLAY_VENV) reports .pytest_cache .hypothesis
