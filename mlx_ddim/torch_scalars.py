"""A float32 0-dim torch tensor meeting an array, in MLX: how the reference's step scalars (alpha_prod_t ** 0.5
and the like, 0-dim float32 tensors) combine with a sample of any float dtype.

torch's CPU kernels treat the two operand positions differently, and MLX promotes differently from both:
- `scalar * x`: the scalar is rounded to x's dtype first, and the product has x's dtype;
- `x * scalar` and `x / scalar`: a half-precision x is multiplied or divided by the float32 value itself, then
  rounded to x's dtype (the scalar in the second position is read at the kernel's float32 "opmath" precision).
"""

from __future__ import annotations

import mlx.core as mx
import numpy as np

__all__ = ["divide", "scale", "times"]

_REDUCED_FLOATS = (mx.float16, mx.bfloat16)


def _cast(value: np.float32 | mx.array, dtype: mx.Dtype) -> mx.array:
    """A float32 scalar as an MLX scalar of `dtype` (rounded once, as torch casts a 0-dim tensor)."""
    return value.astype(dtype) if isinstance(value, mx.array) else mx.array(value, dtype=dtype)


def scale(coefficient: np.float32 | mx.array, x: mx.array) -> mx.array:
    """`coefficient * x` with a 0-dim float32 torch tensor on the left: rounded to x's dtype first."""
    return _cast(coefficient, x.dtype) * x


def divide(x: mx.array, coefficient: np.float32 | mx.array) -> mx.array:
    """`x / coefficient` with a 0-dim float32 torch tensor on the right."""
    return _on_the_right(mx.divide, x, coefficient)


def times(x: mx.array, coefficient: np.float32 | mx.array) -> mx.array:
    """`x * coefficient` with a 0-dim float32 torch tensor on the right."""
    return _on_the_right(mx.multiply, x, coefficient)


def _on_the_right(operation, x: mx.array, coefficient: np.float32 | mx.array) -> mx.array:
    """torch applies a half-precision x and a float32 scalar in the second position at float32 (the kernel's
    "opmath"), then rounds to x's dtype."""
    if x.dtype in _REDUCED_FLOATS:
        return operation(x, _cast(coefficient, mx.float32)).astype(x.dtype)
    return operation(x, _cast(coefficient, x.dtype))
