"""Host-side numpy helpers that reproduce torch's float32 arithmetic for the schedule arrays.

Why not `mx.linspace` and `mx.cumprod`? Because the reference's numbers come from two torch kernels whose
rounding differs from the textbook one, and a faithful port must match the reference's bits, not the
mathematically nicer ones. Both facts were measured against torch 2.13 on x86-64:

* `torch.linspace(start, end, steps)` (CPU, float32) computes `step = (end - start) / (steps - 1)` in float32,
  then the first half of the points as `fma(step, i, start)` and the second half *from the far end* as
  `fma(-step, steps - 1 - i, end)`, each a single fused multiply-add. `mx.linspace` and `np.linspace` round
  differently and land up to 245 float32 ULP away after the cumulative product.
* `torch.cumprod` on a float32 tensor accumulates in float64 and rounds each partial product to float32.

The schedule is built once per scheduler, so doing this on the host in numpy costs nothing at step time.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cumprod_float32", "fma_float32", "linspace_float32"]


def fma_float32(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Correctly rounded float32 `a * b + c` (one rounding), like a hardware FMA.

    The float32 product is exact in float64; the float64 sum is then rounded *to odd* (TwoSum gives the exact
    error; an inexact result with an even last bit is nudged one ULP towards the exact value), after which the
    final rounding to float32 is correct: round-to-odd at 53 bits is innocuous for a 24-bit target.
    """
    a64 = np.asarray(a, np.float32).astype(np.float64)
    b64 = np.asarray(b, np.float32).astype(np.float64)
    c64 = np.asarray(c, np.float32).astype(np.float64)
    product = a64 * b64  # exact: 24 + 24 bits fit in 53
    with np.errstate(invalid="ignore", over="ignore"):
        total = product + c64
        virtual_product = total - c64
        error = (product - virtual_product) + (c64 - (total - virtual_product))
    inexact = np.isfinite(total) & (error != 0) & ((total.view(np.int64) & 1) == 0)
    towards = np.where(error > 0, np.inf, -np.inf)
    total = np.where(inexact, np.nextafter(total, towards), total)
    return total.astype(np.float32)


def linspace_float32(start: float, end: float, steps: int) -> np.ndarray:
    """`torch.linspace(start, end, steps, dtype=torch.float32)` bit for bit (CPU kernel, see module docstring)."""
    if steps == 0:
        return np.zeros(0, np.float32)
    start32, end32 = np.float32(start), np.float32(end)
    if steps == 1:
        return np.array([start32], np.float32)
    step = np.float32(end32 - start32) / np.float32(steps - 1)
    index = np.arange(steps)
    from_start = fma_float32(step, index.astype(np.float32), start32)
    from_end = fma_float32(-step, (steps - 1 - index).astype(np.float32), end32)
    return np.where(index < steps // 2, from_start, from_end).astype(np.float32)


def cumprod_float32(values: np.ndarray) -> np.ndarray:
    """`torch.cumprod` of a float32 tensor: float64 accumulation, each partial product rounded to float32."""
    return np.cumprod(np.asarray(values, np.float32).astype(np.float64)).astype(np.float32)
