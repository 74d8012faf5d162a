"""DDPM's formulas in float64 numpy (Ho et al. 2020): the yardstick both sides' float32 (or half) results are
measured against. Written from the paper's equations, with the reference's choices where the paper leaves one
(the variance types, the clamp of the posterior variance at 1e-20).

- eq. 15, the predicted x_0 from epsilon: x_0 = (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t); from v (Salimans and
  Ho 2022): x_0 = sqrt(abar_t) x_t - sqrt(1 - abar_t) v; or the sample itself;
- eq. 7, the posterior mean: mu = sqrt(abar_prev) beta_t / (1 - abar_t) x_0 + sqrt(alpha_t) (1 - abar_prev) /
  (1 - abar_t) x_t, with alpha_t = abar_t / abar_prev and beta_t = 1 - alpha_t (the step's own beta when the
  schedule skips timesteps), and its variance beta~_t = (1 - abar_prev) / (1 - abar_t) beta_t;
- eq. 6 / sec. 3.2, sigma_t^2 = beta~_t ("fixed_small") or beta_t ("fixed_large"); "_log" variants as the
  reference computes them (fixed_small_log: exp(log(v) / 2), the standard deviation; fixed_large_log: log(beta_t),
  whose square root the step then takes: NaN unless beta_t = 1); "learned": the model's variance;
  "learned_range" (Nichol and Dhariwal 2021, eq. 15): exp(frac log beta_t + (1 - frac) log beta~_t), frac =
  (v + 1) / 2.

Steps are evaluated on a given float32 schedule (the reference's, upcast), so a step's accuracy measures the step's
arithmetic; the schedule's own accuracy is measured by `schedule` (float64 throughout, from the config).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity.entries.common import oracle as common

__all__ = [
    "LOG_VARIANCE_TYPES",
    "coefficients",
    "model_output_shape",
    "schedule",
    "split",
    "standard_deviation",
    "step",
    "variance",
]

LEARNED = ("learned", "learned_range")
# _get_variance returns a logarithm for these (and fixed_small_log a standard deviation through exp and log)
LOG_VARIANCE_TYPES = ("fixed_small_log", "fixed_large_log", "learned_range")


def schedule(config: dict[str, Any]) -> dict[str, np.ndarray]:
    """betas, alphas and alphas_cumprod in float64, from the config alone."""
    return common.alphas_cumprod(config)


def split(variance_type: str, model_output: np.ndarray, sample_channels: int):
    """(model output, predicted variance or None): a learned variance type with twice the sample's channels splits."""
    if np.shape(model_output)[1] == 2 * sample_channels and variance_type in LEARNED:
        return model_output[:, :sample_channels], model_output[:, sample_channels:]
    return model_output, None


def model_output_shape(config: dict[str, Any] | None, shape: list[int], doubled: bool) -> list[int]:
    """The model output's shape: the sample's, or with twice its channels (a model that predicts its variance, as
    DeepFloyd IF's UNet does for variance_type "learned_range")."""
    return [shape[0], shape[1] * 2, *shape[2:]] if doubled else list(shape)


def coefficients(a_t, a_prev) -> dict[str, Any]:
    """The step's scalars in float64: eq. 7's two mean coefficients, beta_t and the posterior variance beta~_t."""
    alpha_t = a_t / a_prev
    beta_t = 1 - alpha_t
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "x0": np.sqrt(a_prev) * beta_t / (1 - a_t),
            "sample": np.sqrt(alpha_t) * (1 - a_prev) / (1 - a_t),
            "beta_t": beta_t,
            "posterior": np.maximum((1 - a_prev) / (1 - a_t) * beta_t, 1e-20),
        }


def variance(variance_type: str, a_t, a_prev, predicted_variance=None):
    """What `_get_variance` returns for each variance type (see the module docstring)."""
    c = coefficients(np.float64(a_t), np.float64(a_prev))
    with np.errstate(divide="ignore", invalid="ignore"):
        if variance_type == "fixed_small_log":
            return np.sqrt(c["posterior"])
        if variance_type == "fixed_large":
            return c["beta_t"]
        if variance_type == "fixed_large_log":
            return np.log(c["beta_t"])
        if variance_type == "learned":
            return None if predicted_variance is None else np.asarray(predicted_variance, np.float64)
        if variance_type == "learned_range":
            frac = (np.asarray(predicted_variance, np.float64) + 1) / 2
            return frac * np.log(c["beta_t"]) + (1 - frac) * np.log(c["posterior"])
        return c["posterior"]  # fixed_small, and (as in the reference) any other name


def standard_deviation(variance_type: str, a_t, a_prev, predicted_variance=None):
    """sigma_t, the factor of the step's unit noise: what the step makes of `variance`."""
    value = variance(variance_type, a_t, a_prev, predicted_variance)
    with np.errstate(invalid="ignore", over="ignore"):
        if variance_type == "fixed_small_log":
            return value
        if variance_type == "learned_range":
            return np.exp(0.5 * value)
        return np.sqrt(value)


def step(
    config: dict[str, Any],
    alphas_cumprod: np.ndarray,
    timestep: int,
    prev_timestep: int,
    model_output: np.ndarray,
    sample: np.ndarray,
    noise: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """(prev_sample, pred_original_sample) of one DDPM step in float64: eq. 15, clipping or thresholding, eq. 7,
    plus sigma_t * noise when timestep > 0."""
    x = np.asarray(sample, np.float64)
    variance_type = config.get("variance_type", "fixed_small")
    out, predicted = split(variance_type, np.asarray(model_output, np.float64), x.shape[1])
    a = np.asarray(alphas_cumprod, np.float64)
    a_t = a[timestep]
    a_prev = a[prev_timestep] if prev_timestep >= 0 else np.float64(1.0)
    root_a, root_b = np.sqrt(a_t), np.sqrt(1 - a_t)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        kind = config.get("prediction_type", "epsilon")
        if kind == "epsilon":
            x0 = (x - root_b * out) / root_a
        elif kind == "sample":
            x0 = out
        else:
            x0 = root_a * x - root_b * out
        if config.get("thresholding", False):
            x0 = common.threshold(
                x0, config.get("dynamic_thresholding_ratio", 0.995), config.get("sample_max_value", 1.0)
            )
        elif config.get("clip_sample", True):
            r = config.get("clip_sample_range", 1.0)
            x0 = np.clip(x0, -r, r)
        c = coefficients(a_t, a_prev)
        prev_sample = c["x0"] * x0 + c["sample"] * x
        if timestep > 0:
            std = standard_deviation(variance_type, a_t, a_prev, predicted)
            prev_sample = prev_sample + std * np.asarray(noise, np.float64)
    return prev_sample, x0
