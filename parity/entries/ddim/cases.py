"""Shared vocabulary of the parity tests: build both schedulers from one config, make inputs, size the step scale."""

from __future__ import annotations

from typing import Any

from parity.entries.common import pairs
from parity.entries.common.pairs import inputs
from parity.entries.ddim import reference

__all__ = ["CONFIGS", "Pair", "inputs", "make_pair"]


# Named configs of the fixed-case tests: each exercises a different path of the reference.
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
    "zsnr-trailing-v": {
        "rescale_betas_zero_snr": True,
        "timestep_spacing": "trailing",
        "prediction_type": "v_prediction",
        "clip_sample": False,
    },
    "zsnr-trailing-eps": {"rescale_betas_zero_snr": True, "timestep_spacing": "trailing", "clip_sample": False},
    "cosine-linspace-sample": {
        "beta_schedule": "squaredcos_cap_v2",
        "timestep_spacing": "linspace",
        "prediction_type": "sample",
    },
    "odd-train-steps": {"num_train_timesteps": 997, "timestep_spacing": "trailing", "steps_offset": 2},
}


class Pair(pairs.Pair):
    """The reference DDIMScheduler and the port, built from the same config."""

    def __init__(self, config: dict[str, Any]):
        super().__init__(config, reference.build)


def make_pair(**config: Any) -> Pair:
    return Pair(config)
