"""The reference side: the only module of this entry that imports torch or diffusers.

It builds diffusers' DDPMScheduler from the same config the port gets, and draws the reference's step noise.
diffusers' DDPM `step` has no `variance_noise`: it draws `randn_tensor(model_output.shape, generator, dtype)`,
which on the CPU is `torch.randn(shape, generator=generator, dtype=dtype)`. So the reference steps with a
torch.Generator seeded `seed`, and `noise(shape, dtype, seed)` draws the identical values from an identical fresh
generator: those are handed to the port as `variance_noise`, so both sides add the same noise.
"""

from __future__ import annotations

from typing import Any

import torch
from diffusers import DDPMScheduler as TorchDDPMScheduler
from diffusers.schedulers import scheduling_ddpm as reference_module

from parity.entries.common.torch_arrays import TORCH_DTYPES, dtype_name, timesteps_tensor, to_numpy, to_torch
from parity.surface import Side

__all__ = [
    "TORCH_DTYPES",
    "TorchDDPMScheduler",
    "build",
    "dtype_name",
    "generator",
    "noise",
    "reference_module",
    "side",
    "timesteps_tensor",
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


def side() -> Side:
    """The reference as the API-surface check sees it."""
    return Side(TorchDDPMScheduler, reference_module.DDPMSchedulerOutput, torch.from_numpy, to_numpy, "diffusers")
