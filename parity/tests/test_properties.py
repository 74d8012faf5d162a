"""Hypothesis properties of every entry: drawn configs and inputs, every quantity compared with the reference.

Each entry declares its properties (`properties()`: a strategy and its share of the examples for each), the enum-like
values they must exercise (`ENUMS`) and which ones a case exercises (`coverage`). Each failure report ends with
`python -m parity.replay '<case>'` (the case names its entry), which reruns exactly that (shrunk) example; the ci
profile also prints Hypothesis' @reproduce_failure blob. An entry's properties and its coverage ledger run on one
pytest-xdist worker, in this order (GROUPED_PER_ENTRY in the root conftest.py: their ids start with the entry).
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from hypothesis import given, settings

from parity.entries import ENTRIES, load
from parity.record import active
from parity.running import run

# Each property's share of the examples is per 100 of the profile's max_examples (ci: 100, so DDIM's shares of
# 1300 + 260 + 260 + 180 draw 2,000 examples; dev: 20; nightly: 2000).
SCALE = settings.default.max_examples / 100
PROPERTIES = [(name, kind) for name in ENTRIES for kind in load(name).properties()]


@pytest.mark.parametrize("entry, kind", [pytest.param(n, k, id=f"{n}-{k}") for n, k in PROPERTIES], indirect=["entry"])
def test_property(entry, kind):
    strategy, share = entry.properties()[kind]

    @settings(max_examples=max(1, int(share * SCALE)))
    @given(strategy)
    def run_drawn(case):
        run(case)

    start = time.perf_counter()
    try:
        run_drawn()
    finally:
        seconds = active().property_seconds
        seconds[entry.NAME] = seconds.get(entry.NAME, 0.0) + time.perf_counter() - start


def test_coverage_ledger(entry):
    """Every value of every enum-like parameter was drawn at least once by the entry's properties above (counted
    over the cases this worker's recorder holds for the entry)."""
    ledger = Counter(pair for case in active().cases.get(entry.NAME, []) for pair in entry.coverage(case))
    if not ledger:
        pytest.skip("the properties did not run in this session")
    if SCALE < 1:
        pytest.skip("the dev profile draws too few examples to cover every value; ci and nightly enforce it")
    missing = [(name, value) for name, values in entry.ENUMS.items() for value in values if ledger[(name, value)] == 0]
    assert not missing, f"never exercised: {missing}; ledger: {dict(ledger)}"
