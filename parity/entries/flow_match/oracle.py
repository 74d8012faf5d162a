"""Flow matching's formulas in float64 numpy: the yardstick both sides' float32 (or half) results are measured
against. Written from the papers' equations, with the reference's choices where the papers leave one.

Convention: sigma in [0, 1] is the noise level (1 pure noise, 0 data); the timestep is t = sigma * N, N =
num_train_timesteps. The model predicts the velocity v = noise - x_0 (the papers' u_t, time running from data to
noise, as SD3 writes it).

- The forward process (Liu et al. 2022, arXiv:2209.03003, sec. 2, X_t = t X_1 + (1 - t) X_0; Lipman et al. 2022,
  arXiv:2210.02747, the optimal-transport path of eq. 20-22 with sigma_min = 0; SD3, Esser et al. 2024,
  arXiv:2403.03206, sec. 3.1, z_t = (1 - t) x_0 + t eps): x_sigma = sigma * noise + (1 - sigma) * x_0.
- The sampler: Euler's method on dx/dsigma = v (Lipman eq. 1, Liu's dZ_t = v(Z_t, t) dt):
  x_next = x + (sigma_next - sigma) * v. Stochastic: x_0 = x - sigma * v (the forward process solved for x_0),
  then a fresh draw of the forward process at sigma_next: (1 - sigma_next) * x_0 + sigma_next * noise.
- SD3's timestep shift (Esser et al., sec. 5.3.2, t_m = alpha t_n / (1 + (alpha - 1) t_n), alpha = sqrt(m / n)):
  sigma' = shift * sigma / (1 + (shift - 1) * sigma).
- The dynamic shifts, mu from the image's sequence length (Flux's and LTX-Video's time_shift; no paper gives them a
  number): exponential exp(mu) / (exp(mu) + 1 / t - 1), linear mu / (mu + 1 / t - 1): SD3's shift with
  shift = exp(mu) or mu (set_timesteps uses the exponent 1 only).
- The terminal stretch (LTX-Video, HaCohen et al. 2024, arXiv:2501.00103, rf.py's stretch_shift_to_terminal):
  1 - (1 - t) / ((1 - t[-1]) / (1 - terminal)), an affine map of 1 - t sending the last sigma to `terminal`.
- Karras, exponential and beta sigmas: parity.entries.common.oracle (diffusers' k-diffusion conversions).

The reference's choices kept here (its behaviour, which the port must reproduce, not the papers'):
- `__init__`'s schedule is t = N, ..., 1 (sigma = t / N, never 0), shifted statically unless the shift is dynamic;
  its first and last sigmas are sigma_max and sigma_min.
- `set_timesteps` without sigmas or timesteps spaces n timesteps linearly from sigma_max * N to sigma_min * N, from
  `__init__`'s already shifted sigmas, and shifts them again (the last sigma is shifted twice; shift = 1 changes
  nothing), with the current shift (`set_shift`'s; `__init__` uses the config's).
- Custom timesteps give sigmas t / N, shifted like the default ones, the timesteps kept as given (unless
  invert_sigmas); custom sigmas are shifted too. Then the stretch, then Karras, exponential or beta sigmas over
  [last, first] of the result.
- An appended terminal sigma 0; under invert_sigmas (Mochi) sigmas become 1 - sigma, timesteps (1 - sigma) * N,
  and the appended sigma is 1.

Inputs are taken as exact: to measure a side's arithmetic, give it float32-representable sigmas and timesteps (the
reference rounds custom ones to float32 first), and evaluate steps on that side's own float32 schedule, upcast.

Measured (diffusers 0.42.1, torch 2.13.0 CPU; 3,000 drawn schedule cases of the ci strategies, 2,834 valid;
worst |reference - oracle| over eps * max|oracle|, eps = 2**-23): within 2.5 eps on the plain, Karras, exponential
and beta paths, static or dynamic; larger only where the problem is ill-conditioned in float32: the terminal
stretch, which divides by 1 - t[-1] (up to 58 eps), a dynamic shift of drawn custom sigmas that float32 does not
hold (up to 2,287 eps: the reference rounds them first), and invert_sigmas at sigma = 1, where 1 - sigma cancels
(-6e-4 timesteps against the oracle's -2e-12). So the policy holds the port to the reference (tolerances.py) and
to no worse than the reference against this oracle, never to a fixed distance from it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from parity.entries.common.oracle import beta_sigmas, exponential_sigmas, karras_sigmas

__all__ = [
    "euler_step",
    "forward",
    "initial",
    "schedule",
    "static_shift",
    "stochastic_step",
    "stretch_to_terminal",
    "time_shift",
]


def _f64(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)


def static_shift(sigma: Any, shift: float) -> np.ndarray:
    """SD3 (arXiv:2403.03206), sec. 5.3.2: sigma' = shift * sigma / (1 + (shift - 1) * sigma)."""
    sigma = _f64(sigma)
    with np.errstate(divide="ignore", invalid="ignore"):
        return shift * sigma / (1 + (shift - 1) * sigma)


def time_shift(kind: str, mu: float, t: Any) -> np.ndarray:
    """The dynamic shift of `time_shift_type` (exponent 1, set_timesteps' only): exponential exp(mu) / (exp(mu) +
    1 / t - 1), linear mu / (mu + 1 / t - 1); SD3's shift with shift = exp(mu) or mu."""
    alpha = {"exponential": math.exp(mu), "linear": mu}[kind]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return alpha / (alpha + (1 / _f64(t) - 1))


def stretch_to_terminal(t: Any, terminal: float) -> np.ndarray:
    """LTX-Video (arXiv:2501.00103) rf.py: 1 - (1 - t) / ((1 - t[-1]) / (1 - terminal)), so t[-1] becomes
    `terminal` (1 - t is scaled, 1 stays 1)."""
    one_minus = 1 - _f64(t)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1 - one_minus / (one_minus[-1] / (1 - terminal))


def initial(config: dict[str, Any]) -> dict[str, Any]:
    """`__init__`'s schedule in float64: sigma = t / N for t = N, ..., 1, statically shifted unless the shift is
    dynamic; timesteps sigma * N; and its sigma_max (first) and sigma_min (last), which set_timesteps spans."""
    n = int(config.get("num_train_timesteps", 1000))
    sigmas = np.arange(n, 0, -1, dtype=np.float64) / n
    if not config.get("use_dynamic_shifting", False):
        sigmas = static_shift(sigmas, config.get("shift", 1.0))
    return {
        "sigmas": sigmas,
        "timesteps": sigmas * n,
        "sigma_min": float(sigmas[-1]),
        "sigma_max": float(sigmas[0]),
    }


def schedule(
    config: dict[str, Any],
    num_inference_steps: int | None = None,
    sigmas: Sequence[float] | None = None,
    mu: float | None = None,
    timesteps: Sequence[float] | None = None,
    shift: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(sigmas, timesteps) in float64 of set_timesteps(num_inference_steps, sigmas=, mu=, timesteps=) on a
    scheduler made from `config`; `shift` is the current shift (set_shift's; default the config's). sigmas has
    one element more than timesteps: the appended terminal sigma (0, or 1 under invert_sigmas). The argument
    checks are the reference's to make, not the oracle's: the inputs are assumed valid."""
    n_train = int(config.get("num_train_timesteps", 1000))
    shift = config.get("shift", 1.0) if shift is None else shift
    given_timesteps = None if timesteps is None else _f64(timesteps)
    if sigmas is not None:
        s = _f64(sigmas)
    elif given_timesteps is not None:
        s = given_timesteps / n_train
    else:
        start = initial(config)
        s = np.linspace(start["sigma_max"] * n_train, start["sigma_min"] * n_train, num_inference_steps) / n_train
    if config.get("use_dynamic_shifting", False):
        s = time_shift(config.get("time_shift_type", "exponential"), mu, s)
    else:
        s = static_shift(s, shift)
    if config.get("shift_terminal"):
        s = stretch_to_terminal(s, config["shift_terminal"])
    span = (float(s[-1]), float(s[0]), len(s))  # the config holds no sigma_min or sigma_max: the sigmas' own
    if config.get("use_karras_sigmas", False):
        s = karras_sigmas(*span)
    elif config.get("use_exponential_sigmas", False):
        s = exponential_sigmas(*span)
    elif config.get("use_beta_sigmas", False):
        s = beta_sigmas(*span)
    t = given_timesteps if given_timesteps is not None else s * n_train
    if config.get("invert_sigmas", False):
        s = 1 - s
        t = s * n_train
        s = np.concatenate([s, [1.0]])
    else:
        s = np.concatenate([s, [0.0]])
    return s, t


def forward(sigma: Any, sample: Any, noise: Any) -> np.ndarray:
    """scale_noise, the forward process: x_sigma = sigma * noise + (1 - sigma) * x_0, one sigma per sample
    (broadcast along the batch axis)."""
    x0, z = _f64(sample), _f64(noise)
    sigma = _f64(sigma).reshape(np.shape(np.ravel(sigma)) + (1,) * (x0.ndim - 1))
    return sigma * z + (1 - sigma) * x0


def euler_step(sigma: float, sigma_next: float, model_output: Any, sample: Any) -> np.ndarray:
    """Euler's method on dx/dsigma = v: x + (sigma_next - sigma) * v."""
    return _f64(sample) + (np.float64(sigma_next) - np.float64(sigma)) * _f64(model_output)


def stochastic_step(sigma: float, sigma_next: float, model_output: Any, sample: Any, noise: Any) -> np.ndarray:
    """x_0 = x - sigma * v, then the forward process at sigma_next: (1 - sigma_next) * x_0 + sigma_next * noise."""
    sigma, sigma_next = np.float64(sigma), np.float64(sigma_next)
    x0 = _f64(sample) - sigma * _f64(model_output)
    return (1 - sigma_next) * x0 + sigma_next * _f64(noise)
