"""set_timesteps against the reference: exact values and integer kind, every spacing, offsets, odd step counts."""

from __future__ import annotations

import pytest

from parity import port
from parity.compare import assert_same
from parity.entries.ddim import reference
from parity.entries.ddim.cases import make_pair
from parity.tests.fixed_cases import TIMESTEPS_CONFIGS, fixed_step_counts, timesteps_id


@pytest.mark.parametrize("config", TIMESTEPS_CONFIGS, ids=timesteps_id)
def test_timesteps(config, replay):
    pair = make_pair(**config)
    for steps in fixed_step_counts(config["num_train_timesteps"]):
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
