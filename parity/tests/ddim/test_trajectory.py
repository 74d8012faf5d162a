"""Free-running denoising loops: each side runs its own loop from the same initial noise, so errors compound.

The stand-in model predicts 0.5 * sample: a multiplication by a power of two is exact in every dtype on both sides
(a real network would add its own framework differences), and the loop it makes stays bounded, where a chaotic
model would amplify float noise into meaningless differences. Every step of both loops is compared with the other
side and with a float64 loop of the oracle; the per-step errors feed the trajectory plot (reports/trajectory.png).
"""

from __future__ import annotations

import numpy as np
import pytest

from parity import port
from parity.compare import assert_close, assert_no_less_accurate
from parity.entries.ddim import oracle, reference
from parity.entries.ddim.cases import CONFIGS as STEP_CONFIGS
from parity.entries.ddim.cases import inputs, make_pair
from parity.record import active
from parity.tolerances import tolerance

CONFIGS = {
    **{name: STEP_CONFIGS[name] for name in ("default", "sd15", "zsnr-trailing-v")},
    "pixel-threshold": {"thresholding": True, "sample_max_value": 1.5, "beta_schedule": "squaredcos_cap_v2"},
    "sample-linspace": {"prediction_type": "sample", "timestep_spacing": "linspace", "clip_sample": False},
}


def model(x):
    return x * 0.5


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
@pytest.mark.parametrize("name", CONFIGS)
@pytest.mark.parametrize("steps, eta", [(50, 0.0), (20, 1.0)])
def test_free_running_trajectory(name, dtype, steps, eta, replay):
    pair = make_pair(**CONFIGS[name])
    pair.set_timesteps(steps)
    (start,) = inputs((2, 4, 16, 16), 0, count=1)
    noises = inputs((2, 4, 16, 16), 1, count=steps)
    x_ref, x_port = reference.to_torch(start, dtype), port.to_mlx(start, dtype)
    x_exact = port.to_numpy(x_port).astype(np.float64)
    config = dict(pair.port.config)
    alphas = reference.to_numpy(pair.torch.alphas_cumprod)
    final = float(reference.to_numpy(pair.torch.final_alpha_cumprod))
    errors = {"port": [], "reference": []}
    for index, t in enumerate(reference.to_numpy(pair.torch.timesteps)):
        noise = port.to_numpy(port.to_mlx(noises[index], dtype))
        x_ref = pair.torch.step(
            model(x_ref), pair.torch.timesteps[index], x_ref, eta=eta, variance_noise=reference.to_torch(noise, dtype)
        ).prev_sample
        x_port = pair.port.step(
            model(x_port), pair.port.timesteps[index], x_port, eta=eta, variance_noise=port.to_mlx(noise, dtype)
        ).prev_sample
        x_exact, _ = oracle.step(config, alphas, final, steps, int(t), model(x_exact), x_exact, noise, eta, False)
        r, p = reference.to_numpy(x_ref), port.to_numpy(x_port)
        scale = float(np.max(np.abs(x_exact)))
        errors["port"].append(float(np.max(np.abs(p - x_exact)) / scale))
        errors["reference"].append(float(np.max(np.abs(r - x_exact)) / scale))
        case = {"config": config, "dtype": dtype, "steps": steps, "eta": eta, "after_step": index, "timestep": int(t)}
        # errors compound: the step tolerance, applied to the trajectory's scale once per step taken so far
        assert_close(
            "trajectory",
            r,
            p,
            dtype=dtype,
            port_dtype=port.dtype_name(x_port),
            tolerance=tolerance("trajectory", dtype),
            scale=scale * (index + 1),
            case=case,
            replay=replay,
        )
        assert_no_less_accurate(
            "trajectory",
            r,
            p,
            x_exact,
            dtype=dtype,
            scale=scale * (index + 1),
            tolerance=tolerance("trajectory", dtype),
            case=case,
            replay=replay,
        )
    active().trajectories[f"{name} {dtype} {steps} steps eta={eta:g}"] = errors
