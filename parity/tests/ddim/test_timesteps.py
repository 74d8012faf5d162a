"""set_timesteps against the reference: exact values and integer kind, every spacing, offsets, odd step counts."""

from __future__ import annotations

import pytest

from parity import port
from parity.compare import assert_same
from parity.entries.ddim import reference
from parity.entries.ddim.cases import make_pair

STEP_COUNTS = [1, 2, 3, 7, 37, 50, 999, 1000]


@pytest.mark.parametrize("timestep_spacing", ["leading", "trailing", "linspace"])
@pytest.mark.parametrize("steps_offset", [0, 1, 3])
@pytest.mark.parametrize("num_train_timesteps", [1000, 7, 4000, 1])
def test_timesteps(timestep_spacing, steps_offset, num_train_timesteps, replay):
    pair = make_pair(
        num_train_timesteps=num_train_timesteps, timestep_spacing=timestep_spacing, steps_offset=steps_offset
    )
    for steps in sorted({s for s in [*STEP_COUNTS, num_train_timesteps] if s <= num_train_timesteps}):
        pair.set_timesteps(steps)
        case = pair.describe(num_inference_steps=steps)
        assert_same(
            "timesteps",
            reference.to_numpy(pair.torch.timesteps),
            port.to_numpy(pair.port.timesteps),
            case=case,
            replay=replay,
        )
        assert_same("timesteps.dtype", "int64", port.dtype_name(pair.port.timesteps), case=case, replay=replay)
        assert_same("num_inference_steps", pair.torch.num_inference_steps, pair.port.num_inference_steps, case=case)


def test_numpy_integer_step_count():
    import numpy as np

    pair = make_pair()
    pair.torch.set_timesteps(np.int64(25))
    pair.port.set_timesteps(np.int64(25))
    assert_same("timesteps", reference.to_numpy(pair.torch.timesteps), port.to_numpy(pair.port.timesteps))
