"""The reference side: the only module that imports torch or diffusers.

It builds diffusers' DDIMScheduler from the same config the port gets, and moves arrays between numpy and torch.
Half-precision data crosses as float32 numpy arrays (exact for float16 and bfloat16) plus a dtype name.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from diffusers import DDIMScheduler as TorchDDIMScheduler
from diffusers.schedulers import scheduling_ddim as reference_module
from diffusers.utils import DummyObject

from parity.surface import Side

__all__ = [
    "TORCH_DTYPES",
    "TorchDDIMScheduler",
    "build",
    "compatible_classes",
    "reference_module",
    "side",
    "to_numpy",
    "to_torch",
]

TORCH_DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


def build(config: dict[str, Any]) -> TorchDDIMScheduler:
    return TorchDDIMScheduler(**config)


def to_torch(values: np.ndarray, dtype: str) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(values, dtype=np.float32)).to(TORCH_DTYPES[dtype])


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    """float32 (exact for half precision) or int64 numpy copy of a tensor."""
    if tensor.is_floating_point():
        return tensor.detach().to(torch.float32).numpy().copy()
    return tensor.detach().numpy().copy()


def dtype_name(tensor: torch.Tensor) -> str:
    return str(tensor.dtype).removeprefix("torch.")


def timesteps_tensor(values: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.asarray(values, np.int64).copy())


def compatible_classes() -> list[type]:
    """diffusers' schedulers compatible with DDIMScheduler, by name. A class whose optional package (scipy,
    torchsde) is missing is a placeholder in diffusers: that is an error here, not a smaller check."""
    classes = TorchDDIMScheduler._get_compatibles()
    placeholders = [c.__name__ for c in classes if isinstance(c, DummyObject)]
    if placeholders:
        raise RuntimeError(f"optional packages missing from the parity venv, compatibles not checkable: {placeholders}")
    return sorted(classes, key=lambda c: c.__name__)


def side() -> Side:
    """The reference as the API-surface check sees it."""
    return Side(TorchDDIMScheduler, reference_module.DDIMSchedulerOutput, torch.from_numpy, to_numpy, "diffusers")
