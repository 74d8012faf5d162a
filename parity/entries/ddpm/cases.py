"""Shared vocabulary of the DDPM tests: named configs, a pair of schedulers, and the inputs of one step."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity.entries.common.pairs import ODD_TRAIN_STEPS, ZERO_SNR_TRAILING_V, Pair, inputs
from parity.entries.ddpm.oracle import model_output_shape

__all__ = [
    "CONFIGS",
    "NOISE_CONFIGS",
    "NOISE_SHAPES",
    "SCHEDULE_OPTIONS",
    "Pair",
    "inputs",
    "make_pair",
    "model_output_shape",
    "set_schedule",
    "step_inputs",
]

# Named configs of the fixed-case tests: each exercises a different path of the reference (two of them DDIM and
# DDPM share: parity.entries.common.pairs).
CONFIGS = {
    "default": {},
    "fixed_small_log": {"variance_type": "fixed_small_log"},
    "fixed_large": {"variance_type": "fixed_large", "clip_sample_range": 2.0},
    "fixed_large_log": {"variance_type": "fixed_large_log"},
    "learned": {"variance_type": "learned", "prediction_type": "sample", "clip_sample": False},
    "learned_range-if": {  # DeepFloyd IF stage I: squaredcos, learned_range, dynamic thresholding
        "beta_schedule": "squaredcos_cap_v2",
        "variance_type": "learned_range",
        "thresholding": True,
        "dynamic_thresholding_ratio": 0.95,
        "sample_max_value": 1.5,
    },
    "sigmoid": {"beta_schedule": "sigmoid", "beta_start": 0.0001, "beta_end": 0.02},
    "laplace-v": {"beta_schedule": "laplace", "prediction_type": "v_prediction", "clip_sample": False},
    "sd-scaled-linear": {
        "beta_schedule": "scaled_linear",
        "beta_start": 0.00085,
        "beta_end": 0.012,
        "steps_offset": 1,
        "clip_sample": False,
    },
    "zsnr-trailing-v": ZERO_SNR_TRAILING_V,
    "linspace-sample": {"timestep_spacing": "linspace", "prediction_type": "sample", "clip_sample_range": 0.5},
    "odd-train-steps": ODD_TRAIN_STEPS,
}


# add_noise and get_velocity's fixed cases (parity/tests/test_noise.py): the default config and a zero-SNR one, and
# sample shapes ((5,): one value per sample, nothing to broadcast).
NOISE_CONFIGS = [{}, {"beta_schedule": "sigmoid", "rescale_betas_zero_snr": True}]
NOISE_SHAPES = [(4, 4, 8, 8), (3, 16), (2, 4, 2, 8, 8), (5,)]

# The schedule arrays' fixed cases (parity/tests/test_schedule_arrays.py): every beta schedule, training length and
# rescale, with each value of the constructor options named here.
SCHEDULE_OPTIONS: dict[str, tuple] = {}


def make_pair(**config: Any) -> Pair:
    """The reference and the port, built from `config` (parity.entries.common.pairs.Pair)."""
    return Pair(config)


def set_schedule(pair: Pair, num_inference_steps: int | None, custom_timesteps: list[int] | None) -> None:
    """set_timesteps(n), set_timesteps(timesteps=[...]), or neither (both None: the whole training chain, where the
    previous timestep is t - 1)."""
    if custom_timesteps is not None:
        pair.set_timesteps(timesteps=list(custom_timesteps))
    elif num_inference_steps is not None:
        pair.set_timesteps(num_inference_steps)


def step_inputs(case: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """(sample, model_output) of a step case, reproducible from its seed. A learned variance half is drawn where
    models put it: a variance near the schedule's betas for "learned" (positive, or its root is NaN), an
    interpolation weight around [-1, 1] for "learned_range"."""
    shape = list(case["shape"])
    sample, model_output = inputs(tuple(shape), case["seed"], count=2, magnitude=1.5)
    if case.get("doubled"):
        (variance_half,) = inputs(tuple(shape), case["seed"] + 1, count=1)
        if case["config"].get("variance_type") == "learned":
            variance_half = np.abs(variance_half) * np.float32(0.02)
        model_output = np.concatenate([model_output, variance_half], axis=1)
    return sample, model_output
