"""Judging without the reference installed: given the reference's numbers (computed now, or recorded in a fixture)
and the port's, apply the tolerance policy. Nothing here imports torch, diffusers or hypothesis.

A `Schedule` is one side's float32 `alphas_cumprod` and `final_alpha_cumprod` as numpy values; the scales that
the policy multiplies by (parity.tolerances) are computed here from those and the inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity.entries.common import judge as common
from parity.entries.common.judge import EPS32, Schedule, judge_noise, zero_snr_conditioning
from parity.entries.ddim import oracle
from parity.record import Measurement, active

__all__ = [
    "SCHEDULE_ARRAYS",
    "Schedule",
    "coefficient_gap",
    "direction_rounds_across_zero",
    "direction_sensitivity",
    "judge_noise",
    "judge_schedule",
    "judge_step",
    "step_scale",
    "variance_scale",
    "zero_snr_conditioning",
]

SCHEDULE_ARRAYS = ("betas", "alphas", "alphas_cumprod", "final_alpha_cumprod")


def step_scale(
    prediction_type: str,
    alpha_prod_t: float,
    arrays: list[np.ndarray],
    use_clipped_model_output: bool,
    clip_range: float,
) -> float:
    """The magnitude of one step's computation: the largest input times the largest coefficient applied to it.

    epsilon divides by sqrt(alpha_prod_t); sample (and any re-derived epsilon) by sqrt(1 - alpha_prod_t);
    v-prediction only multiplies by coefficients at most 1. Rounding errors scale with this, not with the output.
    """
    largest = max([float(np.max(np.abs(a[np.isfinite(a)]), initial=0.0)) for a in arrays] + [clip_range, 1.0])
    sqrt_a = float(np.sqrt(np.float64(alpha_prod_t)))
    sqrt_b = float(np.sqrt(1 - np.float64(alpha_prod_t)))
    gain = 1.0
    if prediction_type == "epsilon":
        gain = max(gain, 1 / sqrt_a if sqrt_a > 0 else np.inf)
    if prediction_type == "sample" or use_clipped_model_output:
        gain = max(gain, 1 / sqrt_b if sqrt_b > 0 else np.inf)
    return largest * gain


def direction_rounds_across_zero(alpha_prod_t: float, alpha_prod_t_prev: float, eta: float) -> bool:
    """Whether `1 - alpha_prod_t_prev - std_dev_t**2` is so close to 0 that float32 rounding decides its sign.

    Then the reference (whose sqrt is faithful, not correctly rounded) and the port may disagree on whether the
    direction coefficient sqrt(...) is NaN: at zero terminal SNR with eta = 1, for example, std_dev_t**2 equals
    1 - alpha_prod_t_prev exactly in real arithmetic. Such steps are classified, not skipped (see judge_step).
    """
    a_t, a_prev = np.float64(alpha_prod_t), np.float64(alpha_prod_t_prev)
    with np.errstate(divide="ignore", invalid="ignore"):
        noise_part = eta * eta * oracle.variance(a_t, a_prev)
    remainder = 1 - a_prev - noise_part
    return bool(abs(remainder) <= 8 * EPS32 * max(1 - a_prev, abs(noise_part), 1e-30))


def _step_coefficients(a_t: np.ndarray, a_prev: np.float64, eta: float) -> tuple[list, list]:
    """The coefficients one step applies, in float64: those it divides by (sqrt(a_t), sqrt(1 - a_t)), and those
    it only multiplies by (sqrt(a_prev), std_dev_t, the direction coefficient sqrt(1 - a_prev - std_dev_t**2))."""
    std = eta * np.sqrt(oracle.variance(a_t, a_prev))
    return [np.sqrt(a_t), np.sqrt(1 - a_t)], [np.sqrt(a_prev), std, np.sqrt(1 - a_prev - std * std)]


def direction_sensitivity(schedule: Schedule, t: int, prev: int, eta: float) -> float:
    """How much a one-ULP error in std_dev_t (torch's sqrt is faithful, the port's correct) grows in the
    direction coefficient d = sqrt(1 - a_prev - std**2): |delta d| = (std**2 / d) * eps. Returned as a multiple
    of eps (at least 1); large only where 1 - a_prev - std**2 nearly cancels (eta near or above 1)."""
    a_t, a_prev = np.float64(schedule.alphas_cumprod[t]), schedule.alpha_prev(prev)
    with np.errstate(divide="ignore", invalid="ignore"):
        std_squared = eta * eta * oracle.variance(a_t, a_prev)
        ratio = std_squared / np.sqrt(1 - a_prev - std_squared)
    return float(np.nan_to_num(max(1.0, ratio), nan=1.0, posinf=2.0**23))


def variance_scale(reference: Schedule, port: Schedule, t: int, prev: int) -> float:
    """|variance| times the relative gap, in eps (at least 1), between the float64 variances of the two sides'
    schedules: 1 unless zero-SNR rescaling made the schedules differ (then cancellation in 1 - a_t / a_prev can
    widen that gap)."""
    same = common.same_schedule(reference, port)  # then the same variance from the same values: a gap of 1
    variances = []
    for schedule in (reference,) if same else (reference, port):
        a = np.asarray(schedule.alphas_cumprod, np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            variances.append(oracle.variance(a[t], schedule.alpha_prev(prev)))
    gap = 1 if same else common.gap_eps(variances[0], variances[1], relative=True)
    return abs(float(variances[0])) * gap


def _tipped_direction(alpha_t, alpha_prev, eta, ref_prev, port_prev, dtype, case) -> bool:
    """Classify a step whose direction coefficient's sign is decided by rounding (direction_rounds_across_zero).

    Where one side is NaN for that reason and the other is not, the whole prev_sample must be NaN on that side
    (the coefficient multiplies every element) and the step is counted under its own name in the ledger.
    Returns True when the step was classified so (and prev_sample is not compared elementwise).
    """
    if not direction_rounds_across_zero(alpha_t, alpha_prev, eta):
        return False
    ref_nan, port_nan = np.isnan(ref_prev), np.isnan(port_prev)
    if ref_nan.any() == port_nan.any():
        return False  # both agree: compare as usual
    assert ref_nan.all() or port_nan.all(), f"partially NaN prev_sample in a rounding-tipped step: {case}"
    active().add(Measurement("prev_sample: direction sqrt rounds across 0 (classified)", dtype, True))
    return True


def judge_step(
    config: dict[str, Any], num_inference_steps: int, timestep: int, *,
    reference_schedule: Schedule, port_schedule: Schedule,
    inputs: tuple[np.ndarray, np.ndarray, np.ndarray], dtype_inputs: tuple[np.ndarray, np.ndarray, np.ndarray],
    reference_outputs: tuple[np.ndarray, np.ndarray], port_outputs: tuple[np.ndarray, ...], port_dtypes: tuple[str, ...],
    dtype: str, eta: float, use_clipped: bool, case: dict[str, Any], replay: str,
) -> None:  # fmt: skip
    """Judge one step: (prev_sample, pred_original_sample) of both sides, for parity and against float64.

    `inputs` are (sample, model_output, noise) as drawn; `dtype_inputs` the same rounded to `dtype` (what both
    sides actually received), from which the float64 oracle steps on the reference's schedule.
    """
    prev = timestep - config["num_train_timesteps"] // num_inference_steps
    alpha_t = float(reference_schedule.alphas_cumprod[timestep])
    # the sources of difference add up: the schedules' gap (zero SNR) and the direction coefficient's sensitivity
    gap = coefficient_gap(reference_schedule, port_schedule, [timestep], prev=prev, eta=eta)
    sensitivity = direction_sensitivity(reference_schedule, timestep, prev, eta)
    scale = step_scale(config["prediction_type"], alpha_t, list(inputs), use_clipped, config["clip_sample_range"])
    scale *= gap + sensitivity - 1
    sample, model_output, noise = dtype_inputs
    exact = oracle.step(
        config,
        reference_schedule.alphas_cumprod,
        reference_schedule.final_alpha_cumprod,
        num_inference_steps,
        timestep,
        model_output,
        sample,
        noise,
        eta,
        use_clipped,
    )
    # prev_sample, where rounding decides the direction coefficient's sign, is classified instead (_tipped_direction)
    alpha_prev = reference_schedule.alpha_prev(prev)
    tipped = bool(port_outputs) and _tipped_direction(
        alpha_t, alpha_prev, eta, reference_outputs[0], port_outputs[0], dtype, case
    )
    common.judge_step_outputs(
        reference_outputs, port_outputs, port_dtypes, exact, config=config, scale=scale, dtype=dtype, case=case,
        replay=replay, classified=("prev_sample",) if tipped else (),
    )  # fmt: skip


def coefficient_gap(
    reference: Schedule, port: Schedule, timesteps: Any, prev: int | None = None, eta: float = 0.0
) -> int:
    """How far apart the two sides' coefficients are, in float32 eps (at least 1): add_noise's at `timesteps`, or,
    with `prev` given, those of one step (`_step_coefficients`); see parity.entries.common.judge.coefficient_gap."""
    if prev is None:
        return common.coefficient_gap(reference, port, timesteps)
    return common.coefficient_gap(
        reference, port, timesteps, lambda a, schedule: _step_coefficients(a, schedule.alpha_prev(prev), eta)
    )


def judge_schedule(config: dict[str, Any], **arrays: Any) -> None:
    """Judge the schedule arrays (SCHEDULE_ARRAYS) of both sides against each other and the float64 schedule of the
    config (parity.entries.common.judge.judge_schedule)."""
    common.judge_schedule(config, exact=oracle.schedule(config), **arrays)
