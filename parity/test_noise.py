"""add_noise and get_velocity against the reference: per-sample timesteps, broadcasting, dtypes."""

from __future__ import annotations

import mlx.core as mx
import numpy as np
import pytest

from parity import port, reference
from parity.cases import inputs, make_pair, schedule_mismatch_ulp
from parity.compare import assert_close
from parity.tolerances import tolerance

TIMESTEPS = {
    "per-sample": lambda batch: np.array([999, 0, 500, 1, 250, 777][:batch], np.int64),
    "one-element": lambda batch: np.array([437], np.int64),
    "0-dim": lambda batch: np.array(12, np.int64),
    "negative": lambda batch: np.array([-1, -1000, 3, 999][:batch] * 2, np.int64)[:batch],
}
SHAPES = [(4, 4, 8, 8), (3, 16), (2, 4, 2, 8, 8), (1, 3, 5)]


@pytest.mark.parametrize("method", ["add_noise", "get_velocity"])
@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
@pytest.mark.parametrize("timesteps", TIMESTEPS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("config", [{}, {"beta_schedule": "squaredcos_cap_v2", "rescale_betas_zero_snr": True}])
def test_noise(method, dtype, timesteps, shape, config, replay):
    pair = make_pair(**config)
    values = TIMESTEPS[timesteps](shape[0])
    a, b = inputs(shape, 11, count=2)
    ref = getattr(pair.torch, method)(
        reference.to_torch(a, dtype), reference.to_torch(b, dtype), reference.timesteps_tensor(values)
    )
    for given in (mx.array(values), values):  # an mx.array or host data
        got = getattr(pair.port, method)(port.to_mlx(a, dtype), port.to_mlx(b, dtype), given)
        quantity = "noise" if not config else "noise_zero_snr"
        assert_close(
            method,
            reference.to_numpy(ref),
            port.to_numpy(got),
            dtype=dtype,
            port_dtype=port.dtype_name(got),
            tolerance=tolerance(quantity, dtype),
            scale=max(np.abs(a).max(), np.abs(b).max()) * max(1, schedule_mismatch_ulp(pair, values)),
            case=pair.describe(dtype=dtype, shape=shape, timesteps=values.tolist(), method=method),
            replay=replay,
        )
