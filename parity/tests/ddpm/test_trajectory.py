"""Free-running DDPM loops: each side runs its own loop from the same initial noise and the same per-step noise
(the reference's seeded draws, handed to the port), so errors compound. The stand-in model predicts 0.5 * sample
(exact in every dtype; a bounded loop), with a variance half of 0 for the learned types. Every step of both loops is
compared with the other side and with a float64 loop of the oracle."""

from __future__ import annotations

import numpy as np
import pytest

from parity import port
from parity.compare import assert_close, assert_no_less_accurate
from parity.entries.ddpm import oracle, reference
from parity.entries.ddpm.cases import CONFIGS as STEP_CONFIGS
from parity.entries.ddpm.cases import inputs, make_pair
from parity.record import active
from parity.tolerances import tolerance

CONFIGS = {name: STEP_CONFIGS[name] for name in ("default", "learned_range-if", "zsnr-trailing-v", "sigmoid")}


def model(x, learned: bool, stack):
    return stack([x * 0.5, x * 0]) if learned else x * 0.5


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
@pytest.mark.parametrize("name", CONFIGS)
def test_free_running_trajectory(name, dtype, replay):
    import mlx.core as mx

    pair = make_pair(**CONFIGS[name])
    steps = 25
    pair.set_timesteps(steps)
    learned = CONFIGS[name].get("variance_type") in ("learned", "learned_range")
    (start,) = inputs((2, 3, 8, 8), 0, count=1)
    x_ref, x_port = reference.to_torch(start, dtype), port.to_mlx(start, dtype)
    x_exact = port.to_numpy(x_port).astype(np.float64)
    config = dict(pair.port.config)
    alphas = reference.to_numpy(pair.torch.alphas_cumprod)
    errors = {"port": [], "reference": []}
    for index, t in enumerate(reference.to_numpy(pair.torch.timesteps)):
        prev = int(pair.torch.previous_timestep(int(t)))
        noise = reference.to_numpy(reference.noise(start.shape, dtype, index))
        x_ref = pair.torch.step(
            model(x_ref, learned, lambda v: reference.torch.cat(v, 1)),
            pair.torch.timesteps[index],
            x_ref,
            generator=reference.generator(index),
        ).prev_sample
        x_port = pair.port.step(
            model(x_port, learned, lambda v: mx.concatenate(v, 1)),
            pair.port.timesteps[index],
            x_port,
            variance_noise=port.to_mlx(noise, dtype),
        ).prev_sample
        x_exact, _ = oracle.step(
            config, alphas, int(t), prev, model(x_exact, learned, lambda v: np.concatenate(v, 1)), x_exact, noise
        )
        r, p = reference.to_numpy(x_ref), port.to_numpy(x_port)
        scale = float(np.max(np.abs(x_exact)))
        errors["port"].append(float(np.max(np.abs(p - x_exact)) / scale))
        errors["reference"].append(float(np.max(np.abs(r - x_exact)) / scale))
        case = {"config": config, "dtype": dtype, "steps": steps, "after_step": index, "timestep": int(t)}
        kwargs = {"dtype": dtype, "tolerance": tolerance("trajectory", dtype), "case": case, "replay": replay}
        assert_close("trajectory", r, p, port_dtype=port.dtype_name(x_port), scale=scale * (index + 1), **kwargs)
        assert_no_less_accurate("trajectory", r, p, x_exact, scale=scale * (index + 1), **kwargs)
    active().trajectories[f"ddpm {name} {dtype} {steps} steps"] = errors
