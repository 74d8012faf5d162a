"""Shared vocabulary of the parity tests: build both schedulers from one config, make inputs, size the step scale."""

from __future__ import annotations

from typing import Any

import numpy as np

import mlx_ddim

from . import oracle, port, reference

__all__ = [
    "Pair",
    "direction_rounds_across_zero",
    "inputs",
    "make_pair",
    "schedule_mismatch_ulp",
    "step_scale",
    "zero_snr_conditioning",
]


class Pair:
    """The reference scheduler and the port, built from the same config."""

    def __init__(self, config: dict[str, Any]):
        self.config = config
        self.torch = reference.build(config)
        self.port = mlx_ddim.DDIMScheduler(**config)

    def set_timesteps(self, num_inference_steps: int) -> None:
        self.torch.set_timesteps(num_inference_steps)
        self.port.set_timesteps(num_inference_steps)

    def describe(self, **extra: Any) -> dict[str, Any]:
        config = {
            k: (np.asarray(v).tolist() if k == "trained_betas" and v is not None else v) for k, v in self.config.items()
        }
        return {"config": config, **extra}


def make_pair(**config: Any) -> Pair:
    return Pair(config)


def inputs(shape: tuple[int, ...], seed: int, count: int = 3, magnitude: float = 1.0) -> list[np.ndarray]:
    """`count` float32 standard-normal arrays of `shape`, reproducible from `seed`."""
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(shape) * magnitude).astype(np.float32) for _ in range(count)]


def step_scale(
    prediction_type: str,
    alpha_prod_t: float,
    arrays: list[np.ndarray],
    use_clipped_model_output: bool,
    clip_range: float,
) -> float:
    """The magnitude of one step's computation: the largest input times the largest coefficient applied to it.

    epsilon divides by sqrt(alpha_prod_t); sample (and any re-derived epsilon) by sqrt(1 - alpha_prod_t);
    v-prediction only multiplies by coefficients at most 1. Rounding errors scale with this, not with the output.
    """
    largest = max([float(np.max(np.abs(a[np.isfinite(a)]), initial=0.0)) for a in arrays] + [clip_range, 1.0])
    sqrt_a = float(np.sqrt(np.float64(alpha_prod_t)))
    sqrt_b = float(np.sqrt(1 - np.float64(alpha_prod_t)))
    gain = 1.0
    if prediction_type == "epsilon":
        gain = max(gain, 1 / sqrt_a if sqrt_a > 0 else np.inf)
    if prediction_type == "sample" or use_clipped_model_output:
        gain = max(gain, 1 / sqrt_b if sqrt_b > 0 else np.inf)
    return largest * gain


def zero_snr_conditioning(betas: np.ndarray) -> tuple[float, np.ndarray]:
    """How much zero-SNR rescaling amplifies one-ULP errors of its square roots (in float64, from the betas).

    The rescale maps s = sqrt(alphas_cumprod) to r = (s - s_T) * A with A = s_0 / (s_0 - s_T). Counting one ULP
    for each of the two square roots (torch's are faithful, not correctly rounded) and half an ULP for each of the
    subtraction, the factor A and the product, r is off by up to 4 eps A (s <= 1), hence alphas_cumprod = r**2 by
    up to 8 eps A (the first returned scale), and alpha_i = r_i**2 / r_{i-1}**2, so beta_i, by up to
    16 eps A / r_{i-1} (the per-element second one; r_i <= r_{i-1}).
    """
    s = np.sqrt(np.cumprod(1 - np.asarray(betas, np.float64)))
    with np.errstate(divide="ignore", invalid="ignore"):  # a one-step schedule cannot be rescaled: infinite
        amplification = s[0] / (s[0] - s[-1])
        r = (s - s[-1]) * amplification
        per_beta = np.concatenate([[8 * amplification], 16 * amplification / r[:-1]])
    return 8 * amplification, per_beta


def direction_rounds_across_zero(alpha_prod_t: float, alpha_prod_t_prev: float, eta: float) -> bool:
    """Whether `1 - alpha_prod_t_prev - std_dev_t**2` is so close to 0 that float32 rounding decides its sign.

    Then the reference (whose sqrt is faithful, not correctly rounded) and the port may disagree on whether the
    direction coefficient sqrt(...) is NaN: at zero terminal SNR with eta = 1, for example, std_dev_t**2 equals
    1 - alpha_prod_t_prev exactly in real arithmetic. Such steps are classified, not skipped: see test_step.py.
    """
    a_t, a_prev = np.float64(alpha_prod_t), np.float64(alpha_prod_t_prev)
    with np.errstate(divide="ignore", invalid="ignore"):
        noise_part = eta * eta * oracle.variance(a_t, a_prev)
    remainder = 1 - a_prev - noise_part
    return bool(abs(remainder) <= 8 * 2.0**-23 * max(1 - a_prev, abs(noise_part), 1e-30))


def _step_coefficients(a_t: np.ndarray, a_prev: np.ndarray, eta: float) -> list[np.ndarray]:
    """The coefficients one step applies, in float64: sqrt(a_t), sqrt(1 - a_t), sqrt(a_prev), std_dev_t and the
    direction coefficient sqrt(1 - a_prev - std_dev_t**2)."""
    std = eta * np.sqrt(oracle.variance(a_t, a_prev))
    return [np.sqrt(a_t), np.sqrt(1 - a_t), np.sqrt(a_prev), std, np.sqrt(1 - a_prev - std * std)]


def schedule_mismatch_ulp(
    pair: Pair, timesteps: list[int] | np.ndarray, prev: int | None = None, eta: float = 0.0
) -> int:
    """How far apart the two sides' coefficients are, relative to the coefficient, in float32 eps (at least 1).

    The coefficients are computed in float64 from each side's float32 alphas_cumprod: for add_noise at
    `timesteps`, sqrt(a) and sqrt(1 - a); for one step (`prev` given), those of `_step_coefficients`. They agree
    except under zero-SNR rescaling, whose schedules already differ (schedule_zero_snr), and where a coefficient
    cancels (1 - a_t / a_prev, 1 - a_prev - std**2) the gap grows. A quantity computed from them inherits it, so
    its scale is multiplied by this number (tolerances.py). Timesteps outside the schedule are left out.
    """
    size = len(pair.port.alphas_cumprod)
    indices = [int(t) for t in np.ravel(timesteps) if -size <= int(t) < size]
    sides = []
    for alphas, final in (
        (reference.to_numpy(pair.torch.alphas_cumprod), reference.to_numpy(pair.torch.final_alpha_cumprod)),
        (port.to_numpy(pair.port.alphas_cumprod), port.to_numpy(pair.port.final_alpha_cumprod)),
    ):
        a = alphas[indices].astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            if prev is None:
                sides.append([np.sqrt(a), np.sqrt(1 - a)])
            else:
                a_prev = np.float64(alphas[prev] if prev >= 0 else final)
                sides.append(_step_coefficients(a, a_prev, eta))
    with np.errstate(invalid="ignore", divide="ignore"):
        gaps = [np.abs(r - g) / np.abs(r) for r, g in zip(*sides, strict=True)]
    return max(1, int(np.ceil(np.nanmax(np.concatenate([np.ravel(x) for x in gaps]), initial=0.0) / 2.0**-23)))
