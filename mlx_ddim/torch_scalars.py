"""The reference's float32 0-dim torch tensors (alpha_prod_t ** 0.5 and the like) in MLX: how they combine with a
sample of any float dtype, and their logs and exps.

torch's CPU kernels treat the two operand positions differently, and MLX promotes differently from both:
- `scalar * x`: the scalar is rounded to x's dtype first, and the product has x's dtype;
- `x * scalar` and `x / scalar`: a half-precision x is multiplied or divided by the float32 value itself, then
  rounded to x's dtype (the scalar in the second position is read at the kernel's float32 "opmath" precision);
- `x.clamp(low, high)` with Python numbers: the bounds are float32 values rounded to x's dtype.
The scalars' own +, -, *, / and square roots are float32 in MLX as in torch, and round the same (correctly), but
for torch 2.13's sqrt (see README, "Numerics"). torch's float32 log and exp of a 0-dim tensor are glibc's logf
and expf, correctly rounded on all but rare inputs; MLX's are approximations (its float32 log differed on 1,382
of 200,000 inputs, its exp by up to 57 ULP, float64 exp included), so `log` and `exp` compute in float64 and round
once to float32.
"""

from __future__ import annotations

import math

import mlx.core as mx
import numpy as np

__all__ = ["clamp", "divide", "exp", "log", "scale", "times"]

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


def clamp(x: mx.array, low: float, high: float) -> mx.array:
    """`x.clamp(low, high)` with Python-number bounds: torch.clamp's min(max(x, low), high), NaN kept, with the
    bounds as float32 values rounded to x's dtype."""
    return mx.clip(x, mx.array(low, mx.float32).astype(x.dtype), mx.array(high, mx.float32).astype(x.dtype))


def log(value: mx.array) -> mx.array:
    """`torch.log` of a 0-dim float32 tensor: the float64 log (MLX's is accurate), rounded once to float32."""
    return mx.log(value.astype(mx.float64)).astype(mx.float32)


_LN2_HIGH = 0.693145751953125  # ln 2 in 16 bits, so that k * _LN2_HIGH is exact (Cody and Waite)
_LN2_LOW = 1.42860682030941723212e-6  # ln 2 - _LN2_HIGH
_EXP_TAYLOR = [1 / math.factorial(n) for n in range(12, -1, -1)]  # exp(r) for |r| <= ln2 / 2, to 7e-15


def exp(value: mx.array) -> mx.array:
    """`torch.exp` of a 0-dim float32 tensor: exp(x) = 2**k * exp(r), r = x - k ln 2 reduced exactly in float64,
    exp(r) by its Taylor series, rounded once to float32 (0 of 700,000 float32 inputs differ from numpy's float64
    exp rounded; MLX's own exp computes in float32 whatever the dtype)."""
    x = mx.clip(value.astype(mx.float64), -200.0, 200.0)  # beyond, the float32 result is 0 or inf either way
    k = mx.round(x * (1 / math.log(2)))
    r = (x - k * _LN2_HIGH) - k * _LN2_LOW
    exp_r = _EXP_TAYLOR[0]
    for coefficient in _EXP_TAYLOR[1:]:
        exp_r = exp_r * r + coefficient
    return (exp_r * mx.power(2.0, k)).astype(mx.float32)
