"""Hypothesis properties: drawn configs and inputs, every quantity compared with the reference.

A failure prints the case and `@reproduce_failure` blob (ci profile: print_blob); shrinking keeps it minimal.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from parity import port, reference
from parity.cases import Pair, inputs
from parity.checks import check_step
from parity.compare import assert_close, assert_same
from parity.strategies import ENUMS, LEDGER, configs, step_cases
from parity.tolerances import tolerance

REPLAY = "python -m pytest -q 'parity/test_properties.py::{test}' --hypothesis-profile=ci  (then @reproduce_failure)"


@given(step_cases())
@settings(max_examples=1500)
def test_step_parity(case):
    pair = Pair(case.config)
    pair.set_timesteps(case.num_inference_steps)
    index = case.step_index % len(pair.port.timesteps)
    size = len(pair.port.alphas_cumprod)
    t = int(reference.to_numpy(pair.torch.timesteps)[index])
    if not -size <= t < size:
        return  # a timestep past the schedule: error parity, test_errors.py
    check_step(
        pair,
        index,
        case.dtype,
        inputs(case.shape, case.seed, magnitude=1.5),
        eta=case.eta,
        use_clipped=case.use_clipped_model_output,
        kind=case.timestep_kind,
        shape=case.shape,
        replay=REPLAY.format(test="test_step_parity") + " case: " + json.dumps(case.__dict__, default=str),
    )


@given(configs())
@settings(max_examples=300)
def test_schedule_and_timesteps_parity(config):
    pair = Pair(config)
    replay = REPLAY.format(test="test_schedule_and_timesteps_parity")
    case = pair.describe()
    if not config["rescale_betas_zero_snr"]:
        for name in ("betas", "alphas", "alphas_cumprod", "final_alpha_cumprod"):
            assert_close(
                name,
                reference.to_numpy(getattr(pair.torch, name)),
                port.to_numpy(getattr(pair.port, name)),
                dtype="float32",
                tolerance=tolerance("schedule", "float32"),
                case=case,
                replay=replay,
            )
    n = config["num_train_timesteps"]
    for steps in {1, n, max(1, n // 3), max(1, n // 7), min(n, 50)}:
        pair.set_timesteps(steps)
        assert_same(
            "timesteps",
            reference.to_numpy(pair.torch.timesteps),
            port.to_numpy(pair.port.timesteps),
            case={**case, "num_inference_steps": steps},
            replay=replay,
        )


def test_coverage_ledger():
    """Every value of every enum-like parameter was drawn at least once by the properties above."""
    if not LEDGER:
        pytest.skip("the properties did not run in this session")
    missing = [(name, value) for name, values in ENUMS.items() for value in values if LEDGER[(name, value)] == 0]
    assert not missing, f"never exercised: {missing}; ledger: {dict(LEDGER)}"
