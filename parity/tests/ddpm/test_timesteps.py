"""set_timesteps and previous_timestep against the reference: every spacing, offsets, odd step counts, custom
timesteps, and the whole training chain (no set_timesteps)."""

from __future__ import annotations

import numpy as np
import pytest

from parity.entries.ddpm.cases import make_pair
from parity.entries.ddpm.checks import check_previous_timesteps, check_timesteps

STEP_COUNTS = [1, 2, 3, 7, 37, 50, 999, 1000]


@pytest.mark.parametrize("timestep_spacing", ["leading", "trailing", "linspace"])
@pytest.mark.parametrize("steps_offset", [0, 1, 3])
@pytest.mark.parametrize("num_train_timesteps", [1000, 7, 4000, 1])
def test_timesteps(timestep_spacing, steps_offset, num_train_timesteps, replay):
    pair = make_pair(
        num_train_timesteps=num_train_timesteps, timestep_spacing=timestep_spacing, steps_offset=steps_offset
    )
    check_previous_timesteps(pair, replay)
    for steps in sorted({s for s in [*STEP_COUNTS, num_train_timesteps] if s <= num_train_timesteps}):
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
