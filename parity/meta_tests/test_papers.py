"""Each paper property can fail: run on a side holding a deliberately wrong scheduler (a subclass with one realistic
mistake), it reports a failing figure, and the right one. (The unmodified classes pass the same properties:
parity/tests/test_papers.py.)"""

from __future__ import annotations

import inspect

import mlx.core as mx
import numpy as np
import pytest
import torch
from diffusers import DDIMScheduler, DDPMScheduler

import mlx_ddim
from parity.papers.properties import PROPERTIES
from parity.papers.reference import reference_side
from parity.papers.sides import port_side


class BetaVarianceDDIM(DDIMScheduler):
    """sigma_t^2 = beta_t (DDPM's fixed_large) instead of eq. 16's beta_tilde_t."""

    def _get_variance(self, timestep, prev_timestep):
        alpha_prod_t_prev = self.alphas_cumprod[prev_timestep] if prev_timestep >= 0 else self.final_alpha_cumprod
        return 1 - self.alphas_cumprod[timestep] / alpha_prod_t_prev


class AlwaysDrawingDDIM(DDIMScheduler):
    """Draws its noise before looking at eta (and then multiplies it by zero)."""

    def step(self, model_output, timestep, sample, eta=0.0, use_clipped_model_output=False, generator=None,
             variance_noise=None, return_dict=True):  # fmt: skip
        if variance_noise is None:
            torch.randn(model_output.shape, generator=generator)
        return super().step(model_output, timestep, sample, eta, use_clipped_model_output, generator, None, return_dict)


class AlwaysDrawingPortDDIM(mlx_ddim.DDIMScheduler):
    """The port's version: a draw from MLX's global key whatever eta."""

    def step(self, model_output, timestep, sample, eta=0.0, use_clipped_model_output=False, generator=None,
             variance_noise=None, return_dict=True):  # fmt: skip
        mx.eval(mx.random.normal(model_output.shape, key=generator))
        return super().step(model_output, timestep, sample, eta, use_clipped_model_output, generator, None, return_dict)


class VarianceAsStdDDPM(DDPMScheduler):
    """add_noise scales the noise by 1 - abar_t (the variance) instead of its square root."""

    def add_noise(self, original_samples, noise, timesteps):
        abar = self.alphas_cumprod[timesteps].flatten()
        while abar.ndim < original_samples.ndim:
            abar = abar.unsqueeze(-1)
        return abar**0.5 * original_samples + (1 - abar) * noise


class ShiftOnlyZeroSnrDDIM(DDIMScheduler):
    """Zero SNR by shifting sqrt(abar) alone, without Algorithm 1's rescaling to keep the first value."""

    def __init__(self, **config):
        super().__init__(**config)
        if config.get("rescale_betas_zero_snr"):
            plain = DDIMScheduler(**{**config, "rescale_betas_zero_snr": False})
            root = plain.alphas_cumprod.sqrt()
            self.alphas_cumprod = (root - root[-1]) ** 2


class SwappedVelocityDDPM(DDPMScheduler):
    """v = sqrt(1 - abar) eps - sqrt(abar) x_0: the coefficients swapped."""

    def get_velocity(self, sample, noise, timesteps):
        abar = self.alphas_cumprod[timesteps].flatten()
        while abar.ndim < sample.ndim:
            abar = abar.unsqueeze(-1)
        return (1 - abar) ** 0.5 * noise - abar**0.5 * sample


def _with_default(cls, name, value):
    """A subclass of `cls` whose constructor default for `name` is `value` (as another codebase might ship)."""

    def __init__(self, **config):
        cls.__init__(self, **{name: value, **config})

    parameters = inspect.signature(cls.__init__).parameters
    __init__.__signature__ = inspect.Signature(
        [p.replace(default=value) if p.name == name else p for p in parameters.values()]
    )
    return type(f"{cls.__name__}With{name}", (cls,), {"__init__": __init__})


WRONG = {
    "1: DDIM with beta_t as its eta = 1 variance": (1, lambda: reference_side(ddim=BetaVarianceDDIM), "DDIM step - DDPM step"),
    "2: DDIM that draws noise at eta = 0 (torch)": (2, lambda: reference_side(ddim=AlwaysDrawingDDIM), "state changed"),
    "2: DDIM that draws noise at eta = 0 (MLX)": (2, lambda: port_side(ddim=AlwaysDrawingPortDDIM), "state changed"),
    "3: add_noise with the variance for the std": (3, lambda: reference_side(ddpm=VarianceAsStdDDPM), "sqrt(1 - abar_t)"),
    "4: zero SNR by shifting alone": (4, lambda: reference_side(ddim=ShiftOnlyZeroSnrDDIM), "first sqrt(alphas_cumprod)"),
    "5: get_velocity with swapped coefficients": (5, lambda: reference_side(ddpm=SwappedVelocityDDPM), "get_velocity"),
    "6: Stable Diffusion's beta_end as the default (torch)": (
        6, lambda: reference_side(ddim=_with_default(DDIMScheduler, "beta_end", 0.012)), "betas",
    ),
    "6: 500 training steps as the default (MLX DDPM)": (
        6, lambda: port_side(ddpm=_with_default(mlx_ddim.DDPMScheduler, "num_train_timesteps", 500)), "defaults",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(WRONG))
def test_each_property_fails_on_a_wrong_side(name):
    number, side, expected = WRONG[name]
    failed = [f for f in PROPERTIES[number].measure(side()) if not f.ok]
    assert failed, f"papers {number} passed a side with the bug: {name}"
    assert any(expected in f.what for f in failed), [f.describe() for f in failed]


def test_figure_judgement():
    from parity.papers.findings import Figure

    assert Figure("s", "w", 1.0, 1.0).ok and not Figure("s", "w", 1.5, 1.0).ok
    assert Figure("s", "w", 2.0, 1.0, at_least=True).ok and not Figure("s", "w", 1.0, 1.0, at_least=True).ok
    assert not Figure("s", "w", float(np.nan), 1.0).ok and not Figure("s", "w", float(np.nan), 1.0, at_least=True).ok
    assert Figure("s", "w", 123.0).ok  # reported, not judged
