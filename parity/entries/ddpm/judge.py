"""The DDPM judge: scale rules and the judgement of a step and of `_get_variance`, torch-free, so the live gate and
the fixture replay (which has only numbers) judge alike. Both sides' outputs arrive as numpy values; the scales the
policy multiplies by (parity.tolerances) are computed here from those and the inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity.compare import assert_close, assert_no_less_accurate
from parity.entries.common import judge as common
from parity.entries.common.judge import Schedule, judge_noise
from parity.entries.ddpm import oracle
from parity.tolerances import tolerance

__all__ = [
    "SCHEDULE_ARRAYS",
    "Schedule",
    "judge_noise",
    "judge_schedule",
    "judge_step",
    "judge_variance",
    "schedule_quantity",
    "step_gap",
    "step_scale",
    "variance_scale",
]

SCHEDULE_ARRAYS = ("betas", "alphas", "alphas_cumprod")


def schedule_quantity(config: dict[str, Any]) -> str:
    """The policy entry of a config's schedule arrays: zero-SNR rescaled, sigmoid (torch's float32 sigmoid is not
    correctly rounded, so its betas are not reproducible bit for bit), or the exactly emulated rest."""
    if config.get("rescale_betas_zero_snr", False):
        return "schedule_zero_snr"
    if config.get("trained_betas") is None and config.get("beta_schedule", "linear") == "sigmoid":
        return "schedule_sigmoid"
    return "schedule"


def judge_schedule(config: dict[str, Any], **arrays: Any) -> None:
    """Judge betas, alphas and alphas_cumprod of both sides against each other and against the float64 schedule of
    the config (parity.entries.common.judge.judge_schedule)."""
    common.judge_schedule(config, exact=oracle.schedule(config), quantity=schedule_quantity(config), **arrays)


def _step_coefficients(prev: int):
    """A step's float64 coefficients from a side's alphas_cumprod at t: divisors sqrt(abar_t), multipliers
    sqrt(1 - abar_t), eq. 7's two and the two standard deviations."""

    def coefficients(a_t: np.ndarray, schedule: Schedule) -> tuple[list, list]:
        c = oracle.coefficients(a_t, schedule.alpha_prev(prev))
        return [np.sqrt(a_t)], [np.sqrt(1 - a_t), c["x0"], c["sample"], np.sqrt(c["posterior"]), np.sqrt(c["beta_t"])]

    return coefficients


def step_gap(reference: Schedule, port: Schedule, timestep: int, prev: int) -> int:
    """How far apart the two sides' step coefficients are, in eps (1 unless zero-SNR rescaling made the schedules
    differ; see parity.entries.common.judge.coefficient_gap)."""
    return common.coefficient_gap(reference, port, [timestep], _step_coefficients(prev))


def variance_scale(variance_type: str, a_t: float, a_prev: float, predicted_variance=None) -> np.ndarray:
    """The magnitude of `_get_variance`'s computation, per element: the value itself for a plain variance; where a
    logarithm is taken (torch's float32 log and exp are not correctly rounded, 1 to 6% of inputs an ULP off), the
    logarithms' magnitudes, since an error of eps in log v moves the result by eps * |log v|."""
    c = oracle.coefficients(np.float64(a_t), np.float64(a_prev))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_small, log_large = np.abs(np.log(c["posterior"])), np.abs(np.log(c["beta_t"]))
        if variance_type == "fixed_large":
            return np.asarray(c["beta_t"])
        if variance_type == "fixed_small_log":
            return np.sqrt(c["posterior"]) * (1 + log_small)
        if variance_type == "fixed_large_log":
            return np.asarray(1 + log_large)
        if variance_type == "learned":
            return np.abs(np.asarray(predicted_variance, np.float64))
        if variance_type == "learned_range":
            frac = (np.asarray(predicted_variance, np.float64) + 1) / 2
            return 1 + np.abs(frac) * log_large + np.abs(1 - frac) * log_small
        return np.asarray(c["posterior"])


def judge_variance(
    variance_type: str,
    reference_schedule: Schedule,
    port_schedule: Schedule,
    timestep: int,
    prev: int,
    *,
    predicted_variance: np.ndarray | None,
    reference_value: np.ndarray,
    port_value: np.ndarray,
    port_dtype: str,
    dtype: str,
    zero_snr: bool,
    case: dict[str, Any],
    replay: str,
) -> None:
    """Judge `_get_variance(t, predicted_variance, variance_type)` of both sides: parity, and accuracy against the
    float64 formula on the reference's schedule."""
    a_t, a_prev = reference_schedule.alphas_cumprod[timestep], reference_schedule.alpha_prev(prev)
    exact = oracle.variance(variance_type, a_t, a_prev, predicted_variance)
    # the sides' schedules differ under zero-SNR rescaling: the variance's own relative gap (1 - abar_t / abar_prev
    # cancels) counts as well as its coefficients'
    if common.same_schedule(reference_schedule, port_schedule):
        own_gap = 1  # the same variance from the same values
    else:
        values = [
            oracle.variance(variance_type, s.alphas_cumprod[timestep], s.alpha_prev(prev), predicted_variance)
            for s in (reference_schedule, port_schedule)
        ]
        own_gap = common.gap_eps(*values, relative=True) if values[0] is not None else 1
    gap = step_gap(reference_schedule, port_schedule, timestep, prev) + own_gap  # the sources add up, as DDIM's
    scale = variance_scale(variance_type, a_t, a_prev, predicted_variance) * gap
    scale = np.broadcast_to(scale, np.shape(reference_value))
    quantity = "variance_zero_snr" if zero_snr else "variance"
    kwargs = {"dtype": dtype, "scale": scale, "tolerance": tolerance(quantity, dtype), "case": case, "replay": replay}
    assert_close("_get_variance", reference_value, port_value, port_dtype=port_dtype, **kwargs)
    exact = np.broadcast_to(np.asarray(exact, np.float64), np.shape(reference_value))
    assert_no_less_accurate("_get_variance", reference_value, port_value, exact, **kwargs)


def step_scale(config: dict[str, Any], timestep: int, a_t: float, a_prev: float, sample, model_output, noise) -> float:
    """The magnitude of one step's computation: the largest input times the largest coefficient applied to it
    (epsilon divides by sqrt(abar_t); eq. 7's coefficients are at most 1), plus the noise term's magnitude, which
    carries the logarithms' magnitudes where a log variance type takes them (see variance_scale), and for
    "learned_range" the conditioning of exp: exp(v / 2) turns an absolute error in v into a relative one."""
    variance_type = config.get("variance_type", "fixed_small")
    out, predicted = oracle.split(variance_type, model_output, np.shape(sample)[1])
    clip = config.get("clip_sample_range", 1.0) if config.get("clip_sample", True) else 1.0
    finite = [np.abs(a[np.isfinite(a)]) for a in (np.asarray(sample), np.asarray(out))]
    largest = max([float(np.max(a, initial=0.0)) for a in finite] + [abs(float(clip or 0.0)), 1.0])
    root = float(np.sqrt(np.float64(a_t)))
    gain = (1 / root if root > 0 else np.inf) if config.get("prediction_type", "epsilon") == "epsilon" else 1.0
    scale = largest * gain
    if timestep > 0:
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            std = oracle.standard_deviation(variance_type, a_t, a_prev, predicted)
            if variance_type == "learned_range":
                # the term is exp(v / 2) * noise, v the interpolated log variance: an error of eps times v's
                # magnitude (variance_scale, absolute in log space) moves it by half that, relative
                relative = variance_scale(variance_type, a_t, a_prev, predicted) / 2
            else:
                relative = variance_scale(variance_type, a_t, a_prev, predicted) / np.abs(
                    oracle.variance(variance_type, a_t, a_prev, predicted) if variance_type != "learned" else 1.0
                )
            term = np.abs(std * np.asarray(noise, np.float64)) * np.maximum(1.0, np.nan_to_num(relative, nan=1.0))
        scale += float(np.max(term[np.isfinite(term)], initial=0.0))
    return scale


def judge_step(
    config: dict[str, Any], timestep: int, prev_timestep: int, *,
    reference_schedule: Schedule, port_schedule: Schedule, dtype_inputs: tuple[np.ndarray, np.ndarray, np.ndarray],
    reference_outputs: tuple[np.ndarray, np.ndarray], port_outputs: tuple[np.ndarray, ...], port_dtypes: tuple[str, ...],
    dtype: str, case: dict[str, Any], replay: str,
) -> None:  # fmt: skip
    """Judge one step: (prev_sample, pred_original_sample) of both sides, for parity and against float64.

    `dtype_inputs` are (sample, model_output, noise) rounded to `dtype` (what both sides received), from which the
    float64 oracle steps on the reference's schedule.
    """
    sample, model_output, noise = dtype_inputs
    a_t = float(reference_schedule.alphas_cumprod[timestep])
    a_prev = float(reference_schedule.alpha_prev(prev_timestep))
    gap = step_gap(reference_schedule, port_schedule, timestep, prev_timestep)
    scale = step_scale(config, timestep, a_t, a_prev, sample, model_output, noise) * gap
    exact = oracle.step(config, reference_schedule.alphas_cumprod, timestep, prev_timestep, model_output, sample, noise)
    common.judge_step_outputs(
        reference_outputs,
        port_outputs,
        port_dtypes,
        exact,
        config=config,
        scale=scale,
        dtype=dtype,
        case=case,
        replay=replay,
    )
