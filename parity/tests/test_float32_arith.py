"""The port's emulation of a fused multiply-add, against exact rational arithmetic.

torch's linspace and lerp round `a * b + c` once; the port emulates that from float64 with round-to-odd. The hard
cases are the double-rounding ones: a float64 sum that lands exactly on a float32 midpoint although the exact value
does not (found by the generic mutants: flipping the round-to-odd parity survived every parity test, because
schedules rarely hit such a case).
"""

from __future__ import annotations

from fractions import Fraction

import mlx.core as mx
import numpy as np
import pytest

from mlx_ddim.quantile import _fma_float32 as fma_mlx
from mlx_ddim.torch_float32 import fma_float32 as fma_numpy

pytestmark = pytest.mark.own_port  # this project's port itself (skipped when PORT names another)


def correctly_rounded(a: np.float32, b: np.float32, c: np.float32) -> np.float32:
    """float32(a * b + c) with one rounding, ties to even, from exact rationals."""
    exact = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    guess = np.float32(float(exact))
    candidates = [np.nextafter(guess, np.float32(-np.inf)), guess, np.nextafter(guess, np.float32(np.inf))]
    distances = [abs(Fraction(float(v)) - exact) for v in candidates]
    best = min(distances)
    ties = [v for v, d in zip(candidates, distances, strict=True) if d == best]
    return ties[0] if len(ties) == 1 else next(v for v in ties if int(v.view(np.int32)) % 2 == 0)


# (a, b, c) whose float64 sum a*b + c rounds onto a float32 midpoint while the exact value lies off it, and
# exact ties (the float64 sum is exact and on a midpoint: ties to even, no nudge)
DOUBLE_ROUNDING = [
    (2.0**-24, 1.0, 1.0),  # exactly 1 + 2^-24: a tie, rounds to 1
    (3 * 2.0**-24, 1.0, 1.0),  # exactly 1 + 3 * 2^-24: a tie, rounds up to the even 1 + 2^-22
    (-(2.0**-25), 1.0, 1.0),  # exactly 1 - 2^-25: a tie below 1, rounds to 1
    # a product on a midpoint (1 + 2^-11 + 2^-24) plus a c too small for float64: the error sits in c's part
    (1 + 2.0**-12, 1 + 2.0**-12, 2.0**-60),
    (1 + 2.0**-12, 1 + 2.0**-12, -(2.0**-60)),
    (2.0**-24 * (1 + 2.0**-12), 1 - 2.0**-12 + 2.0**-24, 1.0),  # exact: 1 + 2^-24 + 2^-60, above the midpoint
    (-(2.0**-24) * (1 + 2.0**-12), 1 - 2.0**-12 + 2.0**-24, 1.0),  # exact: just below 1 - 2^-25 ... mirrored
    (2.0**-24 * (1 - 2.0**-12), 1 + 2.0**-12, 1.0),  # exact: 1 + 2^-24 - 2^-48, below the midpoint
    (3.0 * 2.0**-25 * (1 + 2.0**-12), 1 - 2.0**-12 + 2.0**-24, 1.0),
    # the c-part cases scaled by 2^-2 into (0, 1), where the nudge's direction comes from the sign of the sum
    (2.0**-2 * (1 + 2.0**-12), 1 + 2.0**-12, 2.0**-62),
    (2.0**-2 * (1 + 2.0**-12), 1 + 2.0**-12, -(2.0**-62)),
    # a * b = 2^-24 * (1 - i^2 * 2^-46): the float64 sum lands 1 or 2 float64 ULPs from a midpoint whose even
    # neighbour is on the wrong side, so a nudge of 2 ULPs (not 1), or a parity read from the wrong bit, rounds
    # wrongly (the generic mutants `_fma_float32 1#1 -> 2` and `1#0 -> 2` survived every other test)
    (2.0**-12 * (1 + 700 * 2.0**-23), 2.0**-12 * (1 - 700 * 2.0**-23), 1 + 2.0**-23),
    (-(2.0**-12) * (1 + 450 * 2.0**-23), 2.0**-12 * (1 - 450 * 2.0**-23), 1 + 3 * 2.0**-23),
]


@pytest.mark.parametrize("fma", [fma_numpy, lambda a, b, c: np.array(fma_mlx(*(mx.array(v) for v in (a, b, c))))])
def test_fma_is_correctly_rounded(fma):
    rng = np.random.default_rng(0)
    cases = [tuple(np.float32(v) for v in case) for case in DOUBLE_ROUNDING]
    cases += [tuple(np.float32(v) for v in rng.standard_normal(3) * 10.0 ** rng.integers(-8, 3, 3)) for _ in range(300)]
    a, b, c = (np.array(column, np.float32) for column in zip(*cases, strict=True))
    got = np.asarray(fma(a, b, c), np.float32)
    expected = np.array([correctly_rounded(*case) for case in cases], np.float32)
    bad = np.flatnonzero(got.view(np.int32) != expected.view(np.int32))
    assert not len(bad), [(cases[i], got[i], expected[i]) for i in bad[:5]]
