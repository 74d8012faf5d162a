"""The generator path: `generator` is an MLX key, the port's step adds its own draw from it (in value:
checks.run_generator_case), and that draw has the distribution of the reference's (torch's and MLX's bits differ)."""

from __future__ import annotations

import mlx.core as mx
import numpy as np
import pytest

from parity import port
from parity.entries.ddpm import reference
from parity.entries.ddpm.cases import inputs, make_pair
from parity.entries.ddpm.checks import run_generator_case
from parity.entries.ddpm.features import _step


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
@pytest.mark.parametrize("variance_type", ["fixed_small", "fixed_small_log", "learned_range"])
@pytest.mark.parametrize("kind", ["int", "element"])
def test_generator_draws_the_ports_own_noise(dtype, variance_type, kind, replay):
    run_generator_case(_step({"variance_type": variance_type}, dtype=dtype, kind=kind), replay)


def test_generator_noise_moments_match_the_reference():
    shape = (4, 4, 32, 32)
    sample, model_output, _ = inputs(shape, 5)
    pair = make_pair(variance_type="fixed_large")
    pair.set_timesteps(50)
    t = 500
    zero = pair.port.step(port.to_mlx(model_output, "float32"), t, port.to_mlx(sample, "float32"),
                          variance_noise=mx.zeros(shape)).prev_sample  # fmt: skip
    drawn = pair.port.step(port.to_mlx(model_output, "float32"), t, port.to_mlx(sample, "float32"),
                           generator=mx.random.key(3)).prev_sample  # fmt: skip
    noise = port.to_numpy(drawn) - port.to_numpy(zero)
    ref = pair.torch.step(reference.to_torch(model_output, "float32"), t, reference.to_torch(sample, "float32"),
                          generator=reference.generator(3)).prev_sample  # fmt: skip
    ref_noise = reference.to_numpy(ref) - port.to_numpy(zero)
    std = float(np.sqrt(reference.to_numpy(pair.torch._get_variance(t))))
    n = noise.size
    assert abs(noise.mean()) < 5 * std / np.sqrt(n), noise.mean()
    assert abs(noise.std() - std) < 5 * std / np.sqrt(2 * n), (noise.std(), std)
    assert abs(ref_noise.std() - noise.std()) < 10 * std / np.sqrt(2 * n)


def test_same_key_same_noise_other_key_other_noise():
    sample, model_output, _ = (port.to_mlx(a, "bfloat16") for a in inputs((2, 4, 8, 8), 6))
    scheduler = port.scheduler_class()()
    scheduler.set_timesteps(10)
    first = scheduler.step(model_output, 900, sample, generator=mx.random.key(7)).prev_sample
    again = scheduler.step(model_output, 900, sample, generator=mx.random.key(7)).prev_sample
    other = scheduler.step(model_output, 900, sample, generator=mx.random.key(8)).prev_sample
    assert first.dtype == mx.bfloat16
    assert np.array_equal(port.to_numpy(first), port.to_numpy(again))
    assert not np.array_equal(port.to_numpy(first), port.to_numpy(other))
