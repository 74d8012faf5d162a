"""The reference side: the only module of this entry that imports torch or diffusers.

It builds diffusers' DDIMScheduler from the same config the port gets; arrays move between numpy and torch through
parity.entries.common.torch_arrays (half precision crosses as float32 numpy arrays plus a dtype name).
"""

from __future__ import annotations

from typing import Any

import torch
from diffusers import DDIMScheduler as TorchDDIMScheduler
from diffusers.schedulers import scheduling_ddim as reference_module

from parity.entries.common.torch_arrays import to_numpy, to_torch

__all__ = ["TorchDDIMScheduler", "build", "reference_module", "to_numpy", "to_torch", "torch"]


def build(config: dict[str, Any]) -> TorchDDIMScheduler:
    return TorchDDIMScheduler(**config)
