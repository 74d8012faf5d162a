"""The DDIM tolerance policy: one place, per dtype and per quantity, each bound with the measurement behind it.
(The mechanism, `Tolerance` and the lookup, is the engine's: parity/tolerances.py.)

The same entry bounds accuracy: against the float64 oracle (parity.oracle) the port's error may exceed the
reference's by at most `floor_eps * EPS[dtype] * scale`, the quantity's own rounding budget. One side can be
exact by luck where the other spends that budget honestly (measured: a 5-step cosine schedule where torch's
x0 was 0.1 eps from the exact value and the port's 1.2 eps), so no tighter margin is sound; a real loss of
accuracy (a float16 cumprod, a naive linspace) costs far more than the budget.

A port element passes if it is within `ulp` units in the last place of the dtype of the reference element, or
within the absolute floor `floor_eps * EPS[dtype] * scale`. `scale` is the magnitude of the computation, not of
the result (a clipped or cancelled result is small while its rounding errors are not): the largest magnitude
among the inputs times the largest coefficient that amplified them (see parity.judge.step_scale); for schedule
arrays it is the largest magnitude of the reference array.

Why anything but zero at all: torch 2.13's float32 sqrt (MKL/vectorised, CPU) is faithfully rounded but not
correctly rounded: it is one ULP off on about 20% of inputs (measured: 989 of 5,000 random 0-dim inputs, and the
same for vectors of 16 or more, against numpy's correctly rounded np.sqrt). The port's square roots are correctly rounded. So
every float32 quantity behind a square root can differ by an ULP in its coefficients; everything else is exact.
In half precision the coefficient is rounded to 11 (float16) or 8 (bfloat16) bits before use, which hides that
ULP almost always: rarely, an output lands one half-precision ULP away.
"""

from __future__ import annotations

from parity.entries.common.tolerances import EXACT, SHARED
from parity.tolerances import Tolerance

__all__ = ["POLICY"]

POLICY: dict[tuple[str, str], Tolerance] = {
    **SHARED,  # add_noise, get_velocity, thresholding, the zero-SNR rescale, half-precision steps
    # Schedule arrays without zero-SNR rescaling: linspace, cumprod and the cosine schedule are emulated exactly.
    # Measured: 0 ULP for every schedule, N from 1 to 4000 (parity/tests/ddim/test_schedule.py).
    ("schedule", "float32"): EXACT,
    # _get_variance: float32 divisions and products only. Measured: 0 ULP.
    ("variance", "float32"): EXACT,
    # Under zero-SNR rescaling the inputs (alphas_cumprod) differ already: the scale carries that gap.
    ("variance_zero_snr", "float32"): Tolerance(2, 4.0, "the schedule's own mismatch, propagated"),
    # One step: every coefficient goes through a sqrt. Measured worst over the fixed cases (test_step.py):
    # float32 3.0 eps of the step scale (fixed cases and 1,500 Hypothesis examples).
    ("step", "float32"): Tolerance(2, 4.0, "one ULP in up to three sqrt coefficients"),
    # A free-running loop: each side feeds its own output back, so step errors compound; the scale is the
    # trajectory's magnitude times the number of steps taken, and the per-step allowance is the step's.
    ("trajectory", "float32"): Tolerance(2, 4.0, "the step's allowance, once per step taken"),
}
