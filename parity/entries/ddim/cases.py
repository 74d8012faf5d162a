"""Shared vocabulary of the parity tests: build both schedulers from one config, make inputs, size the step scale."""

from __future__ import annotations

from typing import Any

from parity.entries.common.pairs import ODD_TRAIN_STEPS, ZERO_SNR_TRAILING_V, Pair, inputs

__all__ = ["CONFIGS", "NOISE_CONFIGS", "NOISE_SHAPES", "SCHEDULE_OPTIONS", "Pair", "inputs", "make_pair"]


# Named configs of the fixed-case tests: each exercises a different path of the reference (two of them DDIM and
# DDPM share: parity.entries.common.pairs).
CONFIGS = {
    "default": {},
    "sample-noclip": {"prediction_type": "sample", "clip_sample": False},
    "v-clip2.5": {"prediction_type": "v_prediction", "clip_sample_range": 2.5},
    "threshold": {"thresholding": True, "dynamic_thresholding_ratio": 0.9, "sample_max_value": 1.5},
    "threshold-wins-over-clip": {
        "thresholding": True,
        "clip_sample": True,
        "clip_sample_range": 0.5,
        "sample_max_value": 2.0,
        "prediction_type": "v_prediction",
    },
    "sd15": {
        "beta_schedule": "scaled_linear",
        "beta_start": 0.00085,
        "beta_end": 0.012,
        "steps_offset": 1,
        "set_alpha_to_one": False,
        "clip_sample": False,
    },
    "zsnr-trailing-v": ZERO_SNR_TRAILING_V,
    "zsnr-trailing-eps": {"rescale_betas_zero_snr": True, "timestep_spacing": "trailing", "clip_sample": False},
    "cosine-linspace-sample": {
        "beta_schedule": "squaredcos_cap_v2",
        "timestep_spacing": "linspace",
        "prediction_type": "sample",
    },
    "odd-train-steps": ODD_TRAIN_STEPS,
}


# add_noise and get_velocity's fixed cases (parity/tests/test_noise.py): the default config and a zero-SNR one, and
# sample shapes ((5,): one value per sample, nothing to broadcast).
NOISE_CONFIGS = [{}, {"beta_schedule": "squaredcos_cap_v2", "rescale_betas_zero_snr": True}]
NOISE_SHAPES = [(4, 4, 8, 8), (3, 16), (2, 4, 2, 8, 8), (1, 3, 5), (5,)]

# The schedule arrays' fixed cases (parity/tests/test_schedule_arrays.py): every beta schedule, training length and
# rescale, with each value of the constructor options named here.
SCHEDULE_OPTIONS: dict[str, tuple] = {"set_alpha_to_one": (True, False)}


def make_pair(**config: Any) -> Pair:
    """The reference and the port, built from `config` (parity.entries.common.pairs.Pair)."""
    return Pair(config)
