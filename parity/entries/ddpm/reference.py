"""The reference side: the only module of this entry that imports torch or diffusers.

It builds diffusers' DDPMScheduler from the same config the port gets, and draws the reference's step noise.
diffusers' DDPM `step` has no `variance_noise`: it draws `randn_tensor(model_output.shape, generator, dtype)`,
which on the CPU is `torch.randn(shape, generator=generator, dtype=dtype)`. So the reference steps with a
torch.Generator seeded `seed`, and `noise(shape, dtype, seed)` draws the identical values from an identical fresh
generator: those are handed to the port as `variance_noise`, so both sides add the same noise. A port that takes
only a generator (diffusers' API) steps with an MLX key instead, and the reference is handed the port's draw
(`drawing`).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

import torch
from diffusers import DDPMScheduler as TorchDDPMScheduler
from diffusers.schedulers import scheduling_ddpm as reference_module

from parity.entries.common import torch_arrays
from parity.entries.common.torch_arrays import TORCH_DTYPES, to_numpy, to_torch

__all__ = [
    "TorchDDPMScheduler",
    "build",
    "drawing",
    "generator",
    "noise",
    "reference_module",
    "to_numpy",
    "to_torch",
    "torch",
]


def build(config: dict[str, Any]) -> TorchDDPMScheduler:
    return TorchDDPMScheduler(**config)


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def noise(shape: tuple[int, ...], dtype: str, seed: int) -> torch.Tensor:
    """The noise the reference's step draws from `generator(seed)` for a model output of `shape` and `dtype`."""
    return torch.randn(tuple(shape), generator=generator(seed), dtype=TORCH_DTYPES[dtype])


def drawing(noise: torch.Tensor) -> AbstractContextManager[None]:
    """Inside the block, the reference's step draws `noise` (its `randn_tensor`, whatever the generator): how a
    port that takes only an MLX key is fed the same noise as the reference (checks.check_step;
    parity.entries.common.torch_arrays.drawing)."""
    return torch_arrays.drawing(reference_module, noise)
