"""Hypothesis properties for DDPM: drawn configs and inputs, every quantity compared with the reference.

Each failure report ends with `python -m parity.replay '<case>'` (with PARITY_ENTRY=ddpm), which reruns exactly that
(shrunk) example; the ci profile also prints Hypothesis' @reproduce_failure blob.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings

from parity.entries.ddpm.strategies import (
    ENUMS,
    coverage,
    generator_cases,
    invalid_cases,
    noise_cases,
    schedule_cases,
    step_cases,
)
from parity.record import active
from parity.running import run

# Each property's share of the examples, scaled by the profile's max_examples (ci: 100 -> 1,100 in all;
# dev: 20 -> 220; nightly: 2000 -> 22,000).
SCALE = settings.default.max_examples / 100


def examples(share: int) -> settings:
    return settings(max_examples=max(1, int(share * SCALE)))


@given(step_cases())
@examples(650)
def test_step_parity(case):
    run(case)


@given(schedule_cases())
@examples(120)
def test_schedule_timesteps_and_variance_parity(case):
    run(case)


@given(noise_cases())
@examples(120)
def test_add_noise_and_velocity_parity(case):
    run(case)


@given(invalid_cases())
@examples(150)
def test_error_parity_on_invalid_inputs(case):
    run(case)


@given(generator_cases())
@examples(60)
def test_generator_path(case):
    run(case)


def _is_ddpm(case: dict) -> bool:
    """A DDPM property case (the session's recorder also holds DDIM's): DDPM configs always carry variance_type."""
    return "variance_type" in case.get("config", {}) and case.get("check") in ("step", "generator", "noise",
                                                                                 "schedule", "error")  # fmt: skip


def test_coverage_ledger():
    """Every value of every enum-like DDPM parameter was drawn at least once by the properties above (counted over
    the cases this session's recorder holds)."""
    ledger = Counter(pair for case in active().cases if _is_ddpm(case) for pair in coverage(case))
    if not ledger:
        pytest.skip("the properties did not run in this session")
    if SCALE < 1:
        pytest.skip("the dev profile draws too few examples to cover every value; ci and nightly enforce it")
    missing = [(name, value) for name, values in ENUMS.items() for value in values if ledger[(name, value)] == 0]
    assert not missing, f"never exercised: {missing}; ledger: {dict(ledger)}"
