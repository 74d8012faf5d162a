"""set_timesteps and previous_timestep against the reference: every spacing, offsets, odd step counts, custom
timesteps, and the whole training chain (no set_timesteps)."""

from __future__ import annotations

import numpy as np
import pytest

from parity.entries.ddpm.cases import make_pair
from parity.entries.ddpm.checks import check_previous_timesteps, check_timesteps
from parity.tests.fixed_cases import TIMESTEPS_CONFIGS, fixed_step_counts, timesteps_id


@pytest.mark.parametrize("config", TIMESTEPS_CONFIGS, ids=timesteps_id)
def test_timesteps(config, replay):
    pair = make_pair(**config)
    check_previous_timesteps(pair, replay)
    for steps in fixed_step_counts(config["num_train_timesteps"]):
        pair.set_timesteps(steps)
        check_timesteps(pair, replay, num_inference_steps=steps)
        check_previous_timesteps(pair, replay, limit=40, num_inference_steps=steps)


@pytest.mark.parametrize(
    "custom",
    [[999, 500, 0], [10], [0], [999], [999, 998, 997], [700, 300, 299, 7, 1], list(range(999, -1, -37))],
    ids=lambda c: f"{len(c)}-from-{c[0]}",
)
def test_custom_timesteps(custom, replay):
    pair = make_pair()
    pair.set_timesteps(timesteps=custom)
    check_timesteps(pair, replay, custom_timesteps=custom)
    check_previous_timesteps(pair, replay, limit=40, custom_timesteps=custom)
    pair.set_timesteps(20)  # back to a step count: custom_timesteps is cleared on both sides
    check_timesteps(pair, replay, num_inference_steps=20)


def test_custom_after_a_step_count_keeps_num_inference_steps(replay):
    """The reference leaves num_inference_steps as it was when custom timesteps are set: the port must too."""
    pair = make_pair()
    pair.set_timesteps(10)
    pair.set_timesteps(timesteps=np.array([800, 400, 0]))
    check_timesteps(pair, replay, custom_timesteps=[800, 400, 0])


def test_numpy_integer_step_count(replay):
    pair = make_pair()
    pair.set_timesteps(np.int64(25))
    check_timesteps(pair, replay, num_inference_steps=25)
