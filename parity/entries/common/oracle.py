"""The formulas diffusers' schedulers share, in float64 numpy: the beta schedules, zero terminal SNR rescaling,
dynamic thresholding, the forward process (add_noise, DDPM eq. 4) with its velocity, and the k-diffusion sigma
conversions (Karras, exponential, beta) that diffusers' sigma-based schedulers share. Written from the equations;
each entry's oracle adds its own step."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "alphas_cumprod",
    "beta_sigmas",
    "betas",
    "exponential_sigmas",
    "karras_sigmas",
    "noise_formula",
    "rescale_zero_terminal_snr",
    "threshold",
]

RHO = 7.0  # Karras et al., sec. 3 and Table 1: "rho = 7"
BETA_ALPHA = BETA_BETA = 0.6  # Lee et al.'s alpha = beta = 0.6 (the reference's defaults)


def _alpha_bar_betas(n: int, alpha_bar, max_beta: float = 0.999) -> np.ndarray:
    return np.array([min(1 - alpha_bar((i + 1) / n) / alpha_bar(i / n), max_beta) for i in range(n)])


def _cosine(t: float) -> float:
    return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2


def _laplace(t: float) -> float:
    lmb = -0.5 * math.copysign(1, 0.5 - t) * math.log(1 - 2 * math.fabs(0.5 - t) + 1e-6)
    snr = math.exp(lmb)
    return math.sqrt(snr / (1 + snr))


def betas(config: dict[str, Any]) -> np.ndarray:
    """The betas a config asks for, in float64 (before any zero-SNR rescale)."""
    n = config.get("num_train_timesteps", 1000)
    start, end = config.get("beta_start", 0.0001), config.get("beta_end", 0.02)
    kind = config.get("beta_schedule", "linear")
    if config.get("trained_betas") is not None:
        return np.asarray(config["trained_betas"], np.float64)
    if kind == "linear":
        return np.linspace(start, end, n)
    if kind == "scaled_linear":
        return np.linspace(start**0.5, end**0.5, n) ** 2
    if kind == "squaredcos_cap_v2":
        return _alpha_bar_betas(n, _cosine)
    if kind == "laplace":
        return _alpha_bar_betas(n, _laplace)
    if kind == "sigmoid":  # GeoDiff: sigmoid over [-6, 6], scaled into [beta_start, beta_end]
        return 1 / (1 + np.exp(-np.linspace(-6, 6, n))) * (end - start) + start
    raise NotImplementedError(kind)


def rescale_zero_terminal_snr(betas: np.ndarray) -> np.ndarray:
    """Lin et al. 2023, Algorithm 1: shift sqrt(alphas_cumprod) so the last is 0, scale so the first is kept."""
    root = np.sqrt(np.cumprod(1 - betas))
    with np.errstate(divide="ignore", invalid="ignore"):
        root = (root - root[-1]) * (root[0] / (root[0] - root[-1]))
        bar = root**2
        return 1 - np.concatenate([bar[:1], bar[1:] / bar[:-1]])


def alphas_cumprod(config: dict[str, Any]) -> dict[str, np.ndarray]:
    """betas, alphas and alphas_cumprod in float64, from the config alone."""
    values = betas(config)
    if config.get("rescale_betas_zero_snr", False):
        values = rescale_zero_terminal_snr(values)
    alphas = 1 - values
    return {"betas": values, "alphas": alphas, "alphas_cumprod": np.cumprod(alphas)}


def threshold(x0: np.ndarray, ratio: float, max_value: float) -> np.ndarray:
    """Dynamic thresholding in float64 (np.quantile's "linear" method is torch.quantile's definition)."""
    rows = x0.reshape(x0.shape[0], -1)
    s = np.quantile(np.abs(rows), ratio, axis=1, method="linear")
    s = np.minimum(np.maximum(s, 1.0), max_value)[:, None]
    return (np.minimum(np.maximum(rows, -s), s) / s).reshape(x0.shape)


def noise_formula(method: str, alphas: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """add_noise, DDPM eq. 4: sqrt(a) * x_0 + sqrt(1 - a) * noise; get_velocity: sqrt(a) * noise - sqrt(1 - a) * x;
    one alphas_cumprod value per sample (`alphas`), broadcast along the batch axis."""
    shape = np.shape(np.ravel(alphas)) + (1,) * (np.ndim(a) - 1)
    root, root_one_minus = (np.sqrt(v).reshape(shape) for v in (alphas, 1 - alphas))
    a64, b64 = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return root * a64 + root_one_minus * b64 if method == "add_noise" else root * b64 - root_one_minus * a64


def karras_sigmas(sigma_min: float, sigma_max: float, n: int, rho: float = RHO) -> np.ndarray:
    """Karras et al. (arXiv:2206.00364), eq. 5: (sigma_max^(1/rho) + i/(n-1) (sigma_min^(1/rho) -
    sigma_max^(1/rho)))^rho for i = 0..n-1 (n = 1: sigma_max)."""
    ramp = np.linspace(0.0, 1.0, n)
    low, high = sigma_min ** (1 / rho), sigma_max ** (1 / rho)
    return (high + ramp * (low - high)) ** rho


def exponential_sigmas(sigma_min: float, sigma_max: float, n: int) -> np.ndarray:
    """Log-linear sigmas: exp of n points evenly spaced from log(sigma_max) to log(sigma_min)."""
    with np.errstate(divide="ignore"):
        return np.exp(np.linspace(np.log(np.float64(sigma_max)), np.log(np.float64(sigma_min)), n))


def beta_sigmas(
    sigma_min: float, sigma_max: float, n: int, alpha: float = BETA_ALPHA, beta: float = BETA_BETA
) -> np.ndarray:
    """Lee et al. (arXiv:2407.12173): sigma_min + ppf(1 - linspace(0, 1, n); alpha, beta) * (sigma_max -
    sigma_min), ppf the Beta(alpha, beta) quantile function (scipy, imported only here)."""
    import scipy.stats

    return sigma_min + scipy.stats.beta.ppf(1 - np.linspace(0.0, 1.0, n), alpha, beta) * (sigma_max - sigma_min)
