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

from parity.tolerances import Tolerance

__all__ = ["EXACT", "POLICY"]

EXACT = Tolerance(0, 0.0, "no square root on the path: the port reproduces torch's float32 arithmetic bit for bit")

POLICY: dict[tuple[str, str], Tolerance] = {
    # Schedule arrays without zero-SNR rescaling: linspace, cumprod and the cosine schedule are emulated exactly.
    # Measured: 0 ULP for every schedule, N from 1 to 4000 (parity/tests/ddim/test_schedule.py).
    ("schedule", "float32"): EXACT,
    # Zero terminal SNR rescaling takes sqrt(alphas_cumprod) and subtracts the last from the rest: the cancellation
    # amplifies torch's one-ULP sqrt error by A = s_0 / (s_0 - s_T), and betas near the end by a further 1/r_{i-1}
    # (parity.judge.zero_snr_conditioning gives the per-element scale, computed in float64 from the betas).
    # Both sides are equally far from the float64 result. Measured worst over test_schedule.py: see the note.
    ("schedule_zero_snr", "float32"): Tolerance(0, 1.0, "torch's 1-ULP sqrt error, amplified by cancellation"),
    # _get_variance: float32 divisions and products only. Measured: 0 ULP.
    ("variance", "float32"): EXACT,
    # Under zero-SNR rescaling the inputs (alphas_cumprod) differ already: the scale carries that gap.
    ("variance_zero_snr", "float32"): Tolerance(2, 4.0, "the schedule's own mismatch, propagated"),
    # Dynamic thresholding: quantile (with torch's FMA lerp), clamps and a division, all reproduced. Measured: 0 ULP.
    ("threshold", "float32"): EXACT,
    ("threshold", "float16"): EXACT,
    ("threshold", "bfloat16"): EXACT,
    # One step: every coefficient goes through a sqrt. Measured worst over the fixed cases (test_step.py):
    # float32 3.0 eps of the step scale (fixed cases and 1,500 Hypothesis examples).
    ("step", "float32"): Tolerance(2, 4.0, "one ULP in up to three sqrt coefficients"),
    # In half precision a coefficient that differs (by its sqrt ULP, or by the zero-SNR schedule gap that the
    # scale carries) can flip the rounding of an intermediate whose magnitude is the step scale: one half-precision
    # eps of that scale. Measured: exact on the fixed cases; over the properties, worst 0.11 eps (bfloat16) and
    # 0.0001 eps (float16) of the scale; Hypothesis found 2-ULP cases under zero SNR, which a 0 floor failed.
    ("step", "float16"): Tolerance(1, 1.0, "a differing coefficient flips one rounding of an intermediate"),
    ("step", "bfloat16"): Tolerance(1, 1.0, "a differing coefficient flips one rounding of an intermediate"),
    # A free-running loop: each side feeds its own output back, so step errors compound; the scale is the
    # trajectory's magnitude times the number of steps taken, and the per-step allowance is the step's.
    ("trajectory", "float32"): Tolerance(2, 4.0, "the step's allowance, once per step taken"),
    ("trajectory", "float16"): Tolerance(1, 1.0, "the step's allowance, once per step taken"),
    ("trajectory", "bfloat16"): Tolerance(1, 1.0, "the step's allowance, once per step taken"),
    # add_noise / get_velocity: sqrt of the (dtype-cast) schedule, then two products and a sum. float32 uses torch's
    # vector sqrt (1 ULP); half precision computes sqrt in float32 and rounds, as the port does. Measured:
    # float32 1.0 eps of the scale (1024 ULP on a near-zero element); float16 and bfloat16 exact.
    ("noise", "float32"): Tolerance(2, 2.0, "one ULP in each of the two sqrt coefficients"),
    ("noise", "float16"): EXACT,
    ("noise", "bfloat16"): EXACT,
    # Under zero-SNR rescaling the two sides' alphas_cumprod already differ (see schedule_zero_snr): the scale is
    # multiplied by the resulting gap between their sqrt coefficients, in eps (parity.judge.coefficient_gap).
    # In half precision the gap can move the schedule's cast to half by one ULP, and with it the output: seen by
    # Hypothesis (float16 add_noise, a 25-step zero-SNR schedule: 1 ULP) after the fixed cases had measured 0.
    # Measured worst: float32 1.2e-7 of that scale.
    ("noise_zero_snr", "float32"): Tolerance(2, 2.0, "the schedule's own mismatch, propagated"),
    ("noise_zero_snr", "float16"): Tolerance(1, 1.0, "the schedule gap can move the cast to half by one ULP"),
    ("noise_zero_snr", "bfloat16"): Tolerance(1, 1.0, "the schedule gap can move the cast to half by one ULP"),
}
