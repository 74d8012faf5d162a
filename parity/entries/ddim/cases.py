"""Shared vocabulary of the parity tests: build both schedulers from one config, make inputs, size the step scale."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity import port
from parity.entries.ddim import reference
from parity.surface import Side

__all__ = ["CONFIGS", "Pair", "inputs", "listed_differences", "make_pair", "surface_sides"]


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


class Pair:
    """The reference scheduler and the port, built from the same config."""

    def __init__(self, config: dict[str, Any]):
        self.config = config
        self.torch = reference.build(config)
        self.port = port.scheduler_class()(**config)

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


def surface_sides() -> tuple[Side, Side]:
    """The reference and the port under test, as the API-surface check sees them."""
    reference_side = reference.side()
    return reference_side, port.side(reference_side.output.__name__)


def listed_differences() -> dict[str, str]:
    """The deliberate differences the port declares (this project's table; another port under test has none)."""
    if not port.is_own_port():
        return {}
    from mlx_ddim.differences import surface_reasons

    return surface_reasons()
