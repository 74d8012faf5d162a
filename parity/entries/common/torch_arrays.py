"""numpy <-> torch for the reference side of every entry (imported only by the entries' `reference` modules and the
recording of fixtures, never by a torch-free replay).

Half-precision data crosses as float32 numpy arrays (exact for float16 and bfloat16) plus a dtype name.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import numpy as np
import torch
from diffusers.utils import DummyObject

from parity.surface import Side

__all__ = [
    "TORCH_DTYPES",
    "compatible_class",
    "compatible_names",
    "drawing",
    "dtype_name",
    "recorded_noise",
    "reference_side",
    "timesteps_tensor",
    "to_numpy",
    "to_torch",
]

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


def reference_side(reference_class: type) -> Side:
    """A diffusers scheduler as the API-surface check sees it: with its output class (`<class>Output`, in its
    module), torch arrays, and the logger its config warnings go to."""
    output = getattr(sys.modules[reference_class.__module__], reference_class.__name__ + "Output")
    return Side(reference_class, output, torch.from_numpy, to_numpy, "diffusers")


@contextmanager
def drawing(module, noise: torch.Tensor) -> Iterator[None]:
    """Inside the block, the reference scheduler module `module` draws `noise` wherever it calls `randn_tensor`
    (whatever the generator): how a port stepped with an MLX key, or handed the noise, is fed the same noise as the
    reference."""

    def given(shape, **_: Any) -> torch.Tensor:
        if tuple(shape) != tuple(noise.shape):
            raise ValueError(
                f"the reference draws noise of shape {tuple(shape)}, the given noise is {tuple(noise.shape)}"
            )
        return noise

    with mock.patch.object(module, "randn_tensor", given):
        yield


def compatible_names(reference_class: type) -> list[str]:
    """The names of diffusers' schedulers compatible with `reference_class` (itself included, as diffusers'
    `_get_compatibles` has it), without importing them."""
    return sorted({reference_class.__name__, *reference_class._compatibles})


def compatible_class(name: str) -> type:
    """diffusers' scheduler class `name`. A class whose optional package (scipy, torchsde) is missing is a
    placeholder in diffusers: that is an error here, not a smaller check."""
    import diffusers

    cls = getattr(diffusers, name)
    if isinstance(cls, DummyObject):
        raise RuntimeError(f"optional packages missing from the parity venv, {name} is not checkable")
    return cls


def recorded_noise(scheduler, arrays: dict[str, np.ndarray], rng: np.random.Generator, shape, dtype: str) -> None:
    """Add to a fixture's `arrays` the reference `scheduler`'s add_noise and get_velocity at per-sample timesteps
    spanning its schedule (the first, a third in, the last, and the first scheduled one), with their inputs."""
    n = len(arrays["alphas_cumprod"])
    noise_timesteps = np.array([0, n // 3, n - 1, int(arrays["timesteps"][0]) % n], np.int64)
    original = rng.standard_normal((4, *shape[1:])).astype(np.float32)
    noise = rng.standard_normal((4, *shape[1:])).astype(np.float32)
    original_d, noise_d = to_torch(original, dtype), to_torch(noise, dtype)
    t = timesteps_tensor(noise_timesteps)
    arrays.update(
        noise_original=to_numpy(original_d),
        noise_noise=to_numpy(noise_d),
        noise_timesteps=noise_timesteps,
        add_noise=to_numpy(scheduler.add_noise(original_d, noise_d, t)),
        get_velocity=to_numpy(scheduler.get_velocity(original_d, noise_d, t)),
    )
