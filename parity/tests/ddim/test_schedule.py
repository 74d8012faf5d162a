"""Schedule arrays and attributes against the reference, for every beta schedule and option that shapes them (the
grid of beta schedules, training lengths and beta ranges DDIM and DDPM share: parity/tests/test_schedule_arrays.py)."""

from __future__ import annotations

import numpy as np
import pytest

from parity import port
from parity.compare import assert_close, assert_same
from parity.entries.ddim import reference
from parity.entries.ddim.cases import make_pair
from parity.entries.ddim.checks import check_schedule
from parity.entries.ddim.judge import zero_snr_conditioning
from parity.tolerances import tolerance


@pytest.mark.parametrize(
    "trained_betas",
    [
        [0.1, 0.2, 0.3],
        np.linspace(1e-4, 0.02, 1000, dtype=np.float64),
        np.linspace(1e-4, 0.02, 50, dtype=np.float32).tolist(),
    ],
    ids=["list3", "float64-1000", "list50"],
)
@pytest.mark.parametrize("rescale_betas_zero_snr", [False, True])
def test_trained_betas(trained_betas, rescale_betas_zero_snr, replay):
    # num_train_timesteps stays at its default: the reference does not check it against len(trained_betas).
    pair = make_pair(trained_betas=trained_betas, rescale_betas_zero_snr=rescale_betas_zero_snr)
    check_schedule(pair, replay)


@pytest.mark.parametrize("alpha_transform_type", ["cosine", "exp", "laplace"])
@pytest.mark.parametrize("max_beta", [0.999, 0.5, 0.02])
# 1001: an odd count puts t = 501/1001 just above 0.5, where laplace's copysign(1, 0.5 - t) turns
@pytest.mark.parametrize("num_diffusion_timesteps", [1, 10, 1000, 1001])
def test_betas_for_alpha_bar(alpha_transform_type, max_beta, num_diffusion_timesteps):
    ref = reference.reference_module.betas_for_alpha_bar(num_diffusion_timesteps, max_beta, alpha_transform_type)
    got = port.module().betas_for_alpha_bar(num_diffusion_timesteps, max_beta, alpha_transform_type)
    assert_same("betas_for_alpha_bar", reference.to_numpy(ref), port.to_numpy(got))


def test_rescale_zero_terminal_snr_function():
    betas = np.linspace(0.00085**0.5, 0.012**0.5, 1000, dtype=np.float32) ** 2
    ref = reference.reference_module.rescale_zero_terminal_snr(reference.to_torch(betas, "float32"))
    got = port.module().rescale_zero_terminal_snr(port.to_mlx(betas, "float32"))
    assert_close(
        "rescale_zero_terminal_snr",
        reference.to_numpy(ref),
        port.to_numpy(got),
        dtype="float32",
        tolerance=tolerance("schedule_zero_snr", "float32"),
        scale=zero_snr_conditioning(betas)[1],
    )


@pytest.mark.parametrize("num_train_timesteps", [1, 1000, 37])
def test_attributes(num_train_timesteps):
    pair = make_pair(num_train_timesteps=num_train_timesteps)
    t, m = pair.torch, pair.port
    assert_same("init_noise_sigma", t.init_noise_sigma, m.init_noise_sigma)
    assert_same("order", t.order, m.order)
    assert_same("len", len(t), len(m))
    assert_same("num_inference_steps", t.num_inference_steps, m.num_inference_steps)
    assert_same("initial timesteps", reference.to_numpy(t.timesteps), port.to_numpy(m.timesteps))
    assert_same("timesteps dtype", "int64", port.dtype_name(m.timesteps))
    assert_same("final_alpha_cumprod shape", tuple(t.final_alpha_cumprod.shape), tuple(m.final_alpha_cumprod.shape))
