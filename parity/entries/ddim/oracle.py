"""The reference's formulas in float64 numpy: the yardstick that both sides' float32 (or half) results are
measured against, so the report can say not only that they agree but which of them is closer to the exact value.

Steps are evaluated on a given float32 schedule (the reference's, upcast), so a step's accuracy measures the
step's arithmetic; the schedule's own accuracy is measured by `schedule` (float64 throughout, from the config).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity.entries.common import oracle as common
from parity.entries.common.oracle import threshold

__all__ = ["schedule", "step", "threshold", "variance"]


def schedule(config: dict[str, Any]) -> dict[str, np.ndarray]:
    """betas, alphas, alphas_cumprod and final_alpha_cumprod in float64, from the config alone."""
    arrays = common.alphas_cumprod(config)
    final = np.float64(1.0) if config.get("set_alpha_to_one", True) else arrays["alphas_cumprod"][0]
    return {**arrays, "final_alpha_cumprod": np.array(final)}


def variance(a_t, a_prev):
    """The DDIM variance, formula (16): (1 - a_prev) / (1 - a_t) * (1 - a_t / a_prev)."""
    return ((1 - a_prev) / (1 - a_t)) * (1 - a_t / a_prev)


def step(
    config: dict[str, Any],
    alphas_cumprod: np.ndarray,
    final_alpha_cumprod: float,
    num_inference_steps: int,
    timestep: int,
    model_output: np.ndarray,
    sample: np.ndarray,
    noise: np.ndarray,
    eta: float,
    use_clipped_model_output: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """(prev_sample, pred_original_sample) of DDIM formulas (12) and (16) in float64."""
    e, x, z = (np.asarray(a, np.float64) for a in (model_output, sample, noise))
    a = np.float64(alphas_cumprod)
    prev = timestep - config.get("num_train_timesteps", 1000) // num_inference_steps
    a_t = a[timestep]
    a_prev = a[prev] if prev >= 0 else np.float64(final_alpha_cumprod)
    b_t = 1 - a_t
    with np.errstate(divide="ignore", invalid="ignore"):
        kind = config.get("prediction_type", "epsilon")
        if kind == "epsilon":
            x0, eps = (x - np.sqrt(b_t) * e) / np.sqrt(a_t), e
        elif kind == "sample":
            x0, eps = e, (x - np.sqrt(a_t) * e) / np.sqrt(b_t)
        else:
            x0, eps = np.sqrt(a_t) * x - np.sqrt(b_t) * e, np.sqrt(a_t) * e + np.sqrt(b_t) * x
        if config.get("thresholding", False):
            x0 = threshold(x0, config.get("dynamic_thresholding_ratio", 0.995), config.get("sample_max_value", 1.0))
        elif config.get("clip_sample", True):
            r = config.get("clip_sample_range", 1.0)
            x0 = np.clip(x0, -r, r)
        std = eta * np.sqrt(variance(a_t, a_prev))
        if use_clipped_model_output:
            eps = (x - np.sqrt(a_t) * x0) / np.sqrt(b_t)
        prev_sample = np.sqrt(a_prev) * x0 + np.sqrt(1 - a_prev - std**2) * eps
        if eta > 0:
            prev_sample = prev_sample + std * z
    return prev_sample, x0
