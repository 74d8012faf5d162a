"""The reference side: the only module of this entry that imports torch or diffusers.

It builds diffusers' DDIMScheduler from the same config the port gets; arrays move between numpy and torch through
parity.entries.common.torch_arrays (half precision crosses as float32 numpy arrays plus a dtype name).
"""

from __future__ import annotations

from typing import Any

import torch
from diffusers import DDIMScheduler as TorchDDIMScheduler
from diffusers.schedulers import scheduling_ddim as reference_module

from parity.entries.common.torch_arrays import TORCH_DTYPES, dtype_name, timesteps_tensor, to_numpy, to_torch

__all__ = [
    "TORCH_DTYPES",
    "TorchDDIMScheduler",
    "build",
    "dtype_name",
    "reference_module",
    "timesteps_tensor",
    "to_numpy",
    "to_torch",
    "torch",
]


def build(config: dict[str, Any]) -> TorchDDIMScheduler:
    return TorchDDIMScheduler(**config)
