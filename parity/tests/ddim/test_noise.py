"""add_noise and get_velocity against the reference: per-sample timesteps, broadcasting, dtypes."""

from __future__ import annotations

import numpy as np
import pytest

from parity.entries.ddim.cases import inputs, make_pair
from parity.entries.ddim.checks import check_noise

TIMESTEPS = {
    "per-sample": lambda batch: np.array([999, 0, 500, 1, 250, 777][:batch], np.int64),
    "one-element": lambda batch: np.array([437], np.int64),
    "0-dim": lambda batch: np.array(12, np.int64),
    "negative": lambda batch: np.array([-1, -1000, 3, 999][:batch] * 2, np.int64)[:batch],
}
SHAPES = [(4, 4, 8, 8), (3, 16), (2, 4, 2, 8, 8), (1, 3, 5), (5,)]  # (5,): one value per sample, nothing to broadcast


@pytest.mark.parametrize("method", ["add_noise", "get_velocity"])
@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
@pytest.mark.parametrize("timesteps", TIMESTEPS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("config", [{}, {"beta_schedule": "squaredcos_cap_v2", "rescale_betas_zero_snr": True}])
def test_noise(method, dtype, timesteps, shape, config, replay):
    a, b = inputs(shape, 11, count=2)
    check_noise(make_pair(**config), method, dtype, a, b, TIMESTEPS[timesteps](shape[0]), replay)


@pytest.mark.own_port  # an extension of this project's port, not diffusers' API
@pytest.mark.parametrize("method", ["add_noise", "get_velocity"])
@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
@pytest.mark.parametrize("timesteps", TIMESTEPS)
@pytest.mark.parametrize("config", [{}, {"beta_schedule": "squaredcos_cap_v2", "rescale_betas_zero_snr": True}])
def test_noise_with_numpy_timesteps(method, dtype, timesteps, config, replay):
    a, b = inputs((4, 4, 8, 8), 11, count=2)
    check_noise(make_pair(**config), method, dtype, a, b, TIMESTEPS[timesteps](4), replay, timesteps_as="numpy")
