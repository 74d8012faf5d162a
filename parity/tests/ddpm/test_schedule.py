"""Schedule arrays and attributes against the reference, for every beta schedule and option that shapes them."""

from __future__ import annotations

import numpy as np
import pytest

from parity.entries.ddpm.cases import make_pair
from parity.entries.ddpm.checks import check_schedule

SCHEDULES = {
    "linear": {},
    "scaled_linear": {"beta_start": 0.00085, "beta_end": 0.012},
    "squaredcos_cap_v2": {},
    "sigmoid": {},
    "laplace": {},
}


@pytest.mark.parametrize("num_train_timesteps", [1, 2, 7, 1000, 4000])
@pytest.mark.parametrize("beta_schedule", SCHEDULES)
@pytest.mark.parametrize("rescale_betas_zero_snr", [False, True])
def test_schedule_arrays(num_train_timesteps, beta_schedule, rescale_betas_zero_snr, replay):
    pair = make_pair(
        num_train_timesteps=num_train_timesteps,
        beta_schedule=beta_schedule,
        rescale_betas_zero_snr=rescale_betas_zero_snr,
        **SCHEDULES[beta_schedule],
    )
    check_schedule(pair, replay)


@pytest.mark.parametrize(
    "beta_start, beta_end", [(0.0001, 0.02), (0.00085, 0.012), (1e-6, 0.5), (0.3, 0.01), (0.02, 0.02)]
)
@pytest.mark.parametrize("beta_schedule", ["linear", "scaled_linear", "sigmoid"])
def test_beta_ranges(beta_start, beta_end, beta_schedule, replay):
    pair = make_pair(beta_start=beta_start, beta_end=beta_end, beta_schedule=beta_schedule, num_train_timesteps=999)
    check_schedule(pair, replay)


@pytest.mark.parametrize(
    "trained_betas",
    [[0.1, 0.2, 0.3], np.linspace(1e-4, 0.02, 1000, dtype=np.float64), np.linspace(1e-4, 0.02, 50).tolist()],
    ids=["list3", "float64-1000", "list50"],
)
@pytest.mark.parametrize("rescale_betas_zero_snr", [False, True])
def test_trained_betas(trained_betas, rescale_betas_zero_snr, replay):
    # num_train_timesteps stays at its default: the reference does not check it against len(trained_betas).
    check_schedule(make_pair(trained_betas=trained_betas, rescale_betas_zero_snr=rescale_betas_zero_snr), replay)


@pytest.mark.parametrize("variance_type", ["fixed_small", "learned_range"])
def test_attributes_after_set_timesteps(variance_type, replay):
    pair = make_pair(variance_type=variance_type)
    pair.set_timesteps(25)
    check_schedule(pair, replay)
    pair.set_timesteps(timesteps=[900, 500, 3])
    check_schedule(pair, replay)
