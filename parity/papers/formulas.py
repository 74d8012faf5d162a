"""The papers' equations in float64 numpy, written from the papers (not from diffusers' code): the yardstick of the
properties in parity.papers.properties.

Notation as in the papers: abar_t (alpha-bar, `alphas_cumprod[t]`), x_t the noisy sample, eps the noise, z a unit
normal draw. Each function names its equation. Every function takes the schedule values it needs as arguments, so
a property can evaluate an equation on a side's own float32 schedule (upcast) and measure that side's step
arithmetic alone, apart from how its schedule was rounded.

- DDPM: Ho, Jain, Abbeel 2020, https://arxiv.org/abs/2006.11239 (section 2 and 4; eq. 4, 6, 7, 15).
- DDIM: Song, Meng, Ermon 2020, https://arxiv.org/abs/2010.02502 (eq. 12, 16).
- Zero terminal SNR: Lin, Liu, Li, Yang 2023, https://arxiv.org/abs/2305.08891 (Algorithm 1).
- v-prediction: Salimans, Ho 2022, https://arxiv.org/abs/2202.00512 (section 4 and appendix D).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "DDPM_BETA_END",
    "DDPM_BETA_START",
    "DDPM_T",
    "alphas_cumprod",
    "ddim_sigma",
    "ddim_step",
    "ddpm_linear_betas",
    "ddpm_posterior",
    "eps_from_v",
    "forward_moments",
    "forward_sample",
    "velocity",
    "x0_from_eps",
    "x0_from_v",
    "zero_terminal_snr",
]

# DDPM section 4: "We set T = 1000 ... forward process variances ... increasing linearly from beta_1 = 1e-4 to
# beta_T = 0.02."
DDPM_T = 1000
DDPM_BETA_START = 1e-4
DDPM_BETA_END = 0.02


def ddpm_linear_betas(T: int = DDPM_T, start: float = DDPM_BETA_START, end: float = DDPM_BETA_END) -> np.ndarray:
    """DDPM section 4: T betas increasing linearly from beta_1 to beta_T."""
    return np.linspace(start, end, T, dtype=np.float64)


def alphas_cumprod(betas: np.ndarray) -> np.ndarray:
    """DDPM section 2: alpha_t = 1 - beta_t, abar_t = prod_{s <= t} alpha_s."""
    return np.cumprod(1.0 - np.asarray(betas, np.float64))


def forward_moments(abar_t: float) -> tuple[float, float]:
    """DDPM eq. 4, q(x_t | x_0) = N(sqrt(abar_t) x_0, (1 - abar_t) I): the coefficient of x_0 in the mean, and the
    variance."""
    return float(np.sqrt(abar_t)), float(1.0 - abar_t)


def forward_sample(x0: np.ndarray, eps: np.ndarray, abar_t) -> np.ndarray:
    """A draw of eq. 4 by reparametrisation (DDPM section 3.2): x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps."""
    return np.sqrt(abar_t) * x0 + np.sqrt(1.0 - abar_t) * eps


def x0_from_eps(x_t: np.ndarray, eps: np.ndarray, abar_t: float) -> np.ndarray:
    """Eq. 4 solved for x_0 (DDPM eq. 15; DDIM eq. 12's "predicted x_0"): (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t)."""
    return (x_t - np.sqrt(1.0 - abar_t) * eps) / np.sqrt(abar_t)


def ddpm_posterior(x0: np.ndarray, x_t: np.ndarray, abar_t: float, abar_prev: float) -> tuple[np.ndarray, float]:
    """DDPM eq. 6 and 7: q(x_{t-1} | x_t, x_0) = N(mu_tilde, beta_tilde I), with
    mu_tilde = sqrt(abar_{t-1}) beta_t / (1 - abar_t) x_0 + sqrt(alpha_t) (1 - abar_{t-1}) / (1 - abar_t) x_t and
    beta_tilde = (1 - abar_{t-1}) / (1 - abar_t) beta_t, where alpha_t = abar_t / abar_{t-1} and beta_t = 1 - alpha_t
    (the definition of abar, so that the equation is evaluated on one schedule, abar, alone)."""
    alpha_t = abar_t / abar_prev
    beta_t = 1.0 - alpha_t
    mean = (
        np.sqrt(abar_prev) * beta_t / (1.0 - abar_t) * x0 + np.sqrt(alpha_t) * (1.0 - abar_prev) / (1.0 - abar_t) * x_t
    )
    return mean, (1.0 - abar_prev) / (1.0 - abar_t) * beta_t


def ddim_sigma(abar_t: float, abar_prev: float, eta: float) -> float:
    """DDIM eq. 16: sigma_t(eta) = eta sqrt((1 - abar_{t-1}) / (1 - abar_t)) sqrt(1 - abar_t / abar_{t-1})."""
    return eta * np.sqrt((1.0 - abar_prev) / (1.0 - abar_t)) * np.sqrt(1.0 - abar_t / abar_prev)


def ddim_step(x0: np.ndarray, eps: np.ndarray, abar_prev: float, sigma: float, z: np.ndarray) -> np.ndarray:
    """DDIM eq. 12: x_{t-1} = sqrt(abar_{t-1}) x_0 + sqrt(1 - abar_{t-1} - sigma_t^2) eps + sigma_t z, with x_0
    and eps the model's predictions at t."""
    return np.sqrt(abar_prev) * x0 + np.sqrt(1.0 - abar_prev - sigma**2) * eps + sigma * z


def zero_terminal_snr(betas: np.ndarray) -> np.ndarray:
    """Lin et al. Algorithm 1: shift sqrt(abar) so that its last value is 0, scale it so that its first value is
    kept, and convert back to betas."""
    abar_sqrt = np.sqrt(alphas_cumprod(betas))
    first, last = abar_sqrt[0], abar_sqrt[-1]
    abar_sqrt = (abar_sqrt - last) * first / (first - last)
    abar = abar_sqrt**2
    alphas = np.concatenate([abar[:1], abar[1:] / abar[:-1]])
    return 1.0 - alphas


def velocity(x0: np.ndarray, eps: np.ndarray, abar_t) -> np.ndarray:
    """Salimans and Ho section 4: v = alpha_t eps - sigma_t x_0, with alpha_t = sqrt(abar_t) and
    sigma_t = sqrt(1 - abar_t) in the variance-preserving process."""
    return np.sqrt(abar_t) * eps - np.sqrt(1.0 - abar_t) * x0


def x0_from_v(x_t: np.ndarray, v: np.ndarray, abar_t) -> np.ndarray:
    """Salimans and Ho section 4: x_0 = alpha_t x_t - sigma_t v."""
    return np.sqrt(abar_t) * x_t - np.sqrt(1.0 - abar_t) * v


def eps_from_v(x_t: np.ndarray, v: np.ndarray, abar_t) -> np.ndarray:
    """Salimans and Ho appendix D: eps = sigma_t x_t + alpha_t v."""
    return np.sqrt(1.0 - abar_t) * x_t + np.sqrt(abar_t) * v
