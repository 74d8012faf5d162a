"""Schedule arrays and attributes against the reference, for every beta schedule and option that shapes them (the
grid of beta schedules, training lengths and beta ranges DDIM and DDPM share: parity/tests/test_schedule_arrays.py)."""

from __future__ import annotations

import numpy as np
import pytest

from parity.entries.ddpm.cases import make_pair
from parity.entries.ddpm.checks import check_schedule


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
