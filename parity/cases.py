"""Shared vocabulary of the parity tests: build both schedulers from one config, make inputs, size the step scale."""

from __future__ import annotations

from typing import Any

import numpy as np

import mlx_ddim

from . import port, reference
from .judge import Schedule

__all__ = ["Pair", "inputs", "make_pair", "schedules"]


class Pair:
    """The reference scheduler and the port, built from the same config."""

    def __init__(self, config: dict[str, Any]):
        self.config = config
        self.torch = reference.build(config)
        self.port = mlx_ddim.DDIMScheduler(**config)

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


def schedules(pair: Pair) -> tuple[Schedule, Schedule]:
    """The reference's and the port's alphas_cumprod and final_alpha_cumprod, as numpy values."""
    return (
        Schedule(
            reference.to_numpy(pair.torch.alphas_cumprod), float(reference.to_numpy(pair.torch.final_alpha_cumprod))
        ),
        Schedule(port.to_numpy(pair.port.alphas_cumprod), float(port.to_numpy(pair.port.final_alpha_cumprod))),
    )
