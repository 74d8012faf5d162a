"""The flow-matching tolerance policy: one place, per quantity and dtype, each bound with the measurement behind it.
(The mechanism is the engine's: parity/tolerances.py; the scales are judge.py's.)

Every bound is exact: the reference's schedule is host arithmetic (numpy float64 from set_timesteps' linspace, or
numpy float32 from custom sigmas and timesteps, the time shift, the terminal stretch, Karras, exponential and beta
sigmas, then float32 torch ops that are single correctly rounded operations), which the port runs as the same
expressions on the same types; its step and scale_noise are elementwise products and sums of float32 scalars with
the sample, rounded the way torch rounds a 0-dim tensor meeting a half-precision array. Measured when the port was
written (about 50,600 random configs, 1 to 1000 steps, every set_timesteps path; steps, whole loops and scale_noise
in float32, float16 and bfloat16, deterministic and stochastic with the same noise, per-token): 0 ULP everywhere;
the gate measures it again on every run (reports/parity.md).
"""

from __future__ import annotations

from parity.tolerances import Tolerance

__all__ = ["POLICY"]

EXACT = Tolerance(0, 0.0, "the reference's host arithmetic and elementwise float32 ops, reproduced op for op")

POLICY: dict[tuple[str, str], Tolerance] = {
    ("sigmas", "float32"): EXACT,
    ("timesteps", "float32"): EXACT,
    **{("step", dtype): EXACT for dtype in ("float32", "float16", "bfloat16")},
    **{("noise", dtype): EXACT for dtype in ("float32", "float16", "bfloat16")},
}
