"""Hypothesis strategies that diffusers' schedulers share: add_noise / get_velocity cases over an entry's configs."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from hypothesis import strategies as st

__all__ = [
    "DTYPES",
    "NOISE_METHODS",
    "TIMESTEPS_LAYOUTS",
    "descending",
    "draw_beta_range",
    "draw_offset_thresholding_rescale",
    "draw_sample_shape",
    "draw_trained_betas",
    "noise_cases",
]

# The strategies that do not depend on a drawn value, built once: Hypothesis validates a strategy object on its
# first draw, and rebuilding these for every example cost about half the time spent drawing (measured: 5.7 ms per
# DDIM step case before, 2.9 after, the same cases drawn).
BOOLEAN = st.booleans()
ONE_IN_EIGHT = st.integers(0, 7)
TRAINED_SIZE = st.integers(2, 64)
TRAINED_BETA = st.floats(1e-5, 0.5)
BETA_START = st.floats(1e-5, 0.01)
STEPS_OFFSET = st.integers(0, 3)
THRESHOLD_RATIO = st.floats(0.5, 1.0)
SAMPLE_MAX = st.sampled_from([1.0, 1.5, 3.0])
STEP_INDEX = st.integers(0, 10**6)
BATCH, CHANNELS, SIDE = st.integers(1, 3), st.integers(1, 4), st.integers(1, 9)
SEED = st.integers(0, 2**31 - 1)

DTYPES = ("float32", "float16", "bfloat16")
TIMESTEPS_LAYOUTS = ("per-sample", "one", "0-dim")
NOISE_METHODS = ("add_noise", "get_velocity")


_NOISE_BATCH, _NOISE_SIDE, _NOISE_NDIM = st.integers(1, 4), st.integers(1, 6), st.integers(1, 4)
_LAYOUT, _METHOD, _DTYPE = st.sampled_from(TIMESTEPS_LAYOUTS), st.sampled_from(NOISE_METHODS), st.sampled_from(DTYPES)


@st.composite
def noise_cases(draw, configs: st.SearchStrategy) -> dict[str, Any]:
    """add_noise or get_velocity with per-sample timesteps (or one for all) over a config drawn from `configs`."""
    config = draw(configs)
    n = config["num_train_timesteps"]
    batch = draw(_NOISE_BATCH)
    shape = [batch, *(draw(_NOISE_SIDE) for _ in range(draw(_NOISE_NDIM)))]
    layout = draw(_LAYOUT)
    timestep = st.integers(-n, n - 1)
    timesteps = {
        "per-sample": lambda: draw(st.lists(timestep, min_size=batch, max_size=batch)),
        "one": lambda: [draw(timestep)],
        "0-dim": lambda: draw(timestep),
    }[layout]()
    method = draw(_METHOD)
    dtype = draw(_DTYPE)
    return {
        "check": "noise",
        "config": config,
        "method": method,
        "dtype": dtype,
        "shape": shape,
        "timesteps": timesteps,
        "timesteps_layout": layout,
        "seed": draw(SEED),
    }


@functools.cache
def _floats(n: int, low: float, high: float) -> st.SearchStrategy:
    return st.lists(st.floats(low, high), min_size=n, max_size=n)


def descending(draw, n: int, low: float, high: float) -> list[float]:
    """n floats in [low, high], sorted from the largest (custom sigmas, timesteps); each list strategy built once
    per (n, low, high)."""
    return sorted(draw(_floats(n, low, high)), reverse=True)


# Parts of a DDPM-family config (DDIM, DDPM) that the entries' `configs` draw alike, each in its place of the
# entry's drawing order (the order of the draws is what makes a seed's cases: keep it).


def draw_trained_betas(draw, config: dict[str, Any]) -> None:
    """One config in eight gets trained betas (and their count as num_train_timesteps), strictly inside (0, 1): a
    beta of 1 zeroes alphas_cumprod from there on."""
    if draw(ONE_IN_EIGHT) == 0:
        size = draw(TRAINED_SIZE)
        betas = draw(st.lists(TRAINED_BETA, min_size=size, max_size=size))
        config["trained_betas"] = np.sort(np.array(betas, np.float64)).tolist()
        config["num_train_timesteps"] = size


def draw_beta_range(draw, config: dict[str, Any]) -> None:
    """beta_start and beta_end, where the config's beta schedule reads them."""
    if config["beta_schedule"] in ("linear", "scaled_linear", "sigmoid"):
        start = draw(BETA_START)
        config["beta_start"], config["beta_end"] = start, draw(st.floats(start, 0.05))


def draw_offset_thresholding_rescale(draw, config: dict[str, Any]) -> None:
    """steps_offset, dynamic thresholding (on or off, its ratio and maximum) and zero-SNR rescaling (on or off)."""
    config["steps_offset"] = draw(STEPS_OFFSET)
    config["thresholding"] = draw(BOOLEAN)
    config["dynamic_thresholding_ratio"] = draw(THRESHOLD_RATIO)
    config["sample_max_value"] = draw(SAMPLE_MAX)
    config["rescale_betas_zero_snr"] = draw(BOOLEAN)


def draw_sample_shape(draw, ndim: int) -> list[int]:
    """A sample's shape of `ndim` dimensions: a batch, channels and small sides."""
    return [draw(BATCH), draw(CHANNELS), *(draw(SIDE) for _ in range(ndim - 2))]
