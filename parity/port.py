"""The port side: moves numpy data in and out of MLX with the same conventions as parity.reference."""

from __future__ import annotations

import mlx.core as mx
import numpy as np

import mlx_ddim

from .surface import Side

__all__ = ["MLX_DTYPES", "dtype_name", "side", "to_mlx", "to_numpy"]

MLX_DTYPES = {"float32": mx.float32, "float16": mx.float16, "bfloat16": mx.bfloat16}


def to_mlx(values: np.ndarray, dtype: str) -> mx.array:
    return mx.array(np.ascontiguousarray(values, dtype=np.float32)).astype(MLX_DTYPES[dtype])


def to_numpy(array: mx.array) -> np.ndarray:
    """float32 (exact for half precision) or int64 numpy copy of an MLX array."""
    if mx.issubdtype(array.dtype, mx.floating):
        return np.array(array.astype(mx.float32))
    return np.array(array)


def dtype_name(array: mx.array) -> str:
    return str(array.dtype).removeprefix("mlx.core.")


def side() -> Side:
    """The port as the API-surface check sees it."""
    return Side(mlx_ddim.DDIMScheduler, mlx_ddim.DDIMSchedulerOutput, mx.array, to_numpy, "mlx_ddim")
