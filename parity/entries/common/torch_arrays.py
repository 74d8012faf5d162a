"""numpy <-> torch for the reference side of every entry (imported only by the entries' `reference` modules and the
recording of fixtures, never by a torch-free replay).

Half-precision data crosses as float32 numpy arrays (exact for float16 and bfloat16) plus a dtype name.
"""

from __future__ import annotations

import numpy as np
import torch
from diffusers.utils import DummyObject

__all__ = ["TORCH_DTYPES", "compatible_classes", "dtype_name", "timesteps_tensor", "to_numpy", "to_torch"]

TORCH_DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


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


def compatible_classes(reference_class: type) -> list[type]:
    """diffusers' schedulers compatible with `reference_class`, by name. A class whose optional package (scipy,
    torchsde) is missing is a placeholder in diffusers: that is an error here, not a smaller check."""
    classes = reference_class._get_compatibles()
    placeholders = [c.__name__ for c in classes if isinstance(c, DummyObject)]
    if placeholders:
        raise RuntimeError(f"optional packages missing from the parity venv, compatibles not checkable: {placeholders}")
    return sorted(classes, key=lambda c: c.__name__)
