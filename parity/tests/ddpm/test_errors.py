"""Error parity: each invalid input raises in the port what checks.expected_port_exception says, given what the
reference raises; the table records what the reference does, and the test checks it still does (so a fix upstream
shows up here)."""

from __future__ import annotations

import pytest

from parity.entries.common.checks import reference_side
from parity.entries.ddpm import reference
from parity.entries.ddpm.checks import _invalid_action, run_error_case
from parity.entries.ddpm.features import INVALID_VALUES

# invalid kind -> what the reference raises for the value in features.INVALID_VALUES (None: nothing)
REFERENCE_RAISES = {
    "num_inference_steps": ValueError,
    "beta_schedule": NotImplementedError,
    "variance_type": None,  # the reference accepts any name (an unknown one acts as fixed_small)
    "prediction_type": ValueError,
    "timestep_spacing": ValueError,
    "dynamic_thresholding_ratio": RuntimeError,
    "add_noise_timestep": IndexError,
    "timestep_out_of_range": IndexError,
    "timestep_not_in_schedule": IndexError,
    "custom_timesteps": ValueError,
    "both_arguments": ValueError,
    "neither_argument": TypeError,
    "learned_without_variance": TypeError,
}
# Values where the reference crashes with another type, or misbehaves without raising: the port says ValueError.
MORE = {
    "zero steps (leading)": ("num_inference_steps", 0, {}, ZeroDivisionError),
    "zero steps (linspace)": ("num_inference_steps", 0, {"timestep_spacing": "linspace"}, None),
    "negative steps": ("num_inference_steps", -5, {}, None),
    "non-integer steps": ("num_inference_steps", 2.5, {}, None),
    "empty custom timesteps": ("custom_timesteps", [], {}, IndexError),
    "custom timesteps starting at num_train_timesteps": ("custom_timesteps", [1000, 5], {}, ValueError),
    "learned without a doubled output": ("learned_without_variance", "learned", {}, TypeError),
}


def _case(invalid, value, **config):
    return {"check": "error", "config": {"num_train_timesteps": 1000, **config}, "invalid": invalid, "value": value}


def _reference_raises(case):
    act = _invalid_action(case)
    try:
        act(*reference_side(reference.TorchDDPMScheduler))
    except Exception as error:
        return type(error)
    return None


@pytest.mark.parametrize("invalid", INVALID_VALUES)
def test_error_parity(invalid, replay):
    case = _case(invalid, INVALID_VALUES[invalid])
    assert _reference_raises(case) is REFERENCE_RAISES[invalid], "the reference changed: update the table"
    run_error_case(case, replay)


@pytest.mark.parametrize("name", MORE)
def test_error_parity_where_the_reference_misbehaves(name, replay):
    invalid, value, config, raised = MORE[name]
    case = _case(invalid, value, **config)
    assert _reference_raises(case) is raised, "the reference changed: update the table"
    run_error_case(case, replay)
