"""The generator path (eta > 0 without variance_noise). torch's and MLX's RNGs differ, so this is checked
statistically: the noise the port adds has the moments of std_dev_t * N(0, 1), and the same key reproduces it."""

from __future__ import annotations

import mlx.core as mx
import numpy as np

from parity import port
from parity.entries.ddim import reference
from parity.entries.ddim.cases import inputs


def added_noise(scheduler, timestep, sample, model_output, eta, **kwargs):
    with_noise = scheduler.step(model_output, timestep, sample, eta=eta, **kwargs).prev_sample
    zero = scheduler.step(model_output, timestep, sample, eta=eta, variance_noise=mx.zeros_like(sample)).prev_sample
    return port.to_numpy(with_noise) - port.to_numpy(zero)


def test_generator_noise_moments_match_the_reference():
    shape = (4, 4, 32, 32)
    sample, model_output, _ = (port.to_mlx(a, "float32") for a in inputs(shape, 5))
    scheduler = port.scheduler_class()()
    scheduler.set_timesteps(50)
    torch_scheduler = reference.TorchDDIMScheduler()
    torch_scheduler.set_timesteps(50)
    t, eta = 501, 0.8
    noise = added_noise(scheduler, t, sample, model_output, eta, generator=mx.random.key(3))
    std = eta * float(np.sqrt(reference.to_numpy(torch_scheduler._get_variance(t, t - 20))))
    n = noise.size
    # mean within 5 standard errors, std within 5 standard errors of a normal sample's std
    assert abs(noise.mean()) < 5 * std / np.sqrt(n), noise.mean()
    assert abs(noise.std() - std) < 5 * std / np.sqrt(2 * n), (noise.std(), std)
    # and the reference's own generator noise has the same spread
    g = reference.torch.Generator().manual_seed(3)
    tm = reference.to_torch(np.array(model_output), "float32")
    ts = reference.to_torch(np.array(sample), "float32")
    ref_noise = reference.to_numpy(
        torch_scheduler.step(tm, t, ts, eta=eta, generator=g).prev_sample
    ) - reference.to_numpy(torch_scheduler.step(tm, t, ts, eta=0.0).prev_sample)
    assert abs(ref_noise.std() - noise.std()) < 10 * std / np.sqrt(2 * n)


def test_same_key_same_noise_other_key_other_noise():
    sample, model_output, _ = (port.to_mlx(a, "bfloat16") for a in inputs((2, 4, 8, 8), 6))
    scheduler = port.scheduler_class()()
    scheduler.set_timesteps(10)
    first = scheduler.step(model_output, 901, sample, eta=1.0, generator=mx.random.key(7)).prev_sample
    again = scheduler.step(model_output, 901, sample, eta=1.0, generator=mx.random.key(7)).prev_sample
    other = scheduler.step(model_output, 901, sample, eta=1.0, generator=mx.random.key(8)).prev_sample
    assert first.dtype == mx.bfloat16
    assert np.array_equal(port.to_numpy(first), port.to_numpy(again))
    assert not np.array_equal(port.to_numpy(first), port.to_numpy(other))
