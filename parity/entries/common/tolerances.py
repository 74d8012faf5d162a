"""Tolerance entries of what diffusers' DDPM-family schedulers share ("Copied from" in diffusers, `shared.py` in the
port): add_noise and get_velocity, dynamic thresholding and the zero-SNR rescale of the schedule. Each entry's policy
starts from these (`POLICY = {**SHARED, ...}`) and adds its own quantities. The mechanism is parity/tolerances.py.
"""

from __future__ import annotations

from parity.tolerances import Tolerance

__all__ = ["EXACT", "SHARED", "in_half_precision"]

EXACT = Tolerance(0, 0.0, "no square root, log or exp on the path: the port reproduces torch's float32 arithmetic")


def in_half_precision(quantity: str, bound: Tolerance, dtypes: tuple[str, ...] = ("float16", "bfloat16")) -> dict:
    """The policy entries of `quantity` in each of `dtypes` (float16 and bfloat16), all bounded by `bound`."""
    return {(quantity, dtype): bound for dtype in dtypes}


SHARED: dict[tuple[str, str], Tolerance] = {
    # Zero terminal SNR rescaling takes sqrt(alphas_cumprod) and subtracts the last from the rest: the cancellation
    # amplifies torch's one-ULP sqrt error by A = s_0 / (s_0 - s_T), and betas near the end by a further 1/r_{i-1}
    # (parity.entries.common.judge.zero_snr_conditioning gives the per-element scale, computed in float64 from the
    # betas). Both sides are equally far from the float64 result.
    ("schedule_zero_snr", "float32"): Tolerance(0, 1.0, "torch's 1-ULP sqrt error, amplified by cancellation"),
    # Dynamic thresholding: quantile (with torch's FMA lerp), clamps and a division, all reproduced. Measured: 0 ULP.
    **in_half_precision("threshold", EXACT, ("float32", "float16", "bfloat16")),
    # add_noise / get_velocity: sqrt of the (dtype-cast) schedule, then two products and a sum. float32 uses torch's
    # vector sqrt (1 ULP); half precision computes sqrt in float32 and rounds, as the port does. Measured:
    # float32 1.0 eps of the scale (1024 ULP on a near-zero element); float16 and bfloat16 exact.
    ("noise", "float32"): Tolerance(2, 2.0, "one ULP in each of the two sqrt coefficients"),
    **in_half_precision("noise", EXACT),
    # Under zero-SNR rescaling the two sides' alphas_cumprod already differ (see schedule_zero_snr): the scale is
    # multiplied by the resulting gap between their sqrt coefficients, in eps (parity.entries.common.judge).
    # In half precision the gap can move the schedule's cast to half by one ULP, and with it the output: seen by
    # Hypothesis (float16 add_noise, a 25-step zero-SNR schedule: 1 ULP) after the fixed cases had measured 0.
    # Measured worst: float32 1.2e-7 of that scale.
    ("noise_zero_snr", "float32"): Tolerance(2, 2.0, "the schedule's own mismatch, propagated"),
    **in_half_precision("noise_zero_snr", Tolerance(1, 1.0, "the schedule gap can move the cast to half by one ULP")),
    # In half precision a coefficient that differs (by its sqrt ULP, or by the zero-SNR schedule gap that the
    # scale carries) can flip the rounding of an intermediate whose magnitude is the step scale: one half-precision
    # eps of that scale. Measured (DDIM): exact on the fixed cases; over the properties, worst 0.11 eps (bfloat16)
    # and 0.0001 eps (float16) of the scale; Hypothesis found 2-ULP cases under zero SNR, which a 0 floor failed.
    **in_half_precision("step", Tolerance(1, 1.0, "a differing coefficient flips one rounding of an intermediate")),
    # A free-running loop: each side feeds its own output back, so step errors compound; the scale is the
    # trajectory's magnitude times the number of steps taken, and the per-step allowance is the step's.
    **in_half_precision("trajectory", Tolerance(1, 1.0, "the step's allowance, once per step taken")),
}
