"""The judgement of what diffusers' schedulers share: the schedule arrays and add_noise/get_velocity, and the scale
rules behind them (torch-free: the live gate and the fixture replay use the same functions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from parity.compare import assert_close, assert_no_less_accurate
from parity.tolerances import tolerance

from . import oracle

__all__ = [
    "EPS32",
    "Schedule",
    "coefficient_gap",
    "gap_eps",
    "judge_noise",
    "judge_schedule",
    "judge_step_outputs",
    "port_arrays",
    "port_output",
    "port_step_outputs",
    "same_schedule",
    "zero_snr_conditioning",
]

EPS32 = 2.0**-23


@dataclass(frozen=True)
class Schedule:
    """One side's alphas_cumprod and the value a step takes before the first timestep (DDIM's
    final_alpha_cumprod, DDPM's `one`)."""

    alphas_cumprod: np.ndarray
    final_alpha_cumprod: float

    def alpha_prev(self, prev: int) -> np.float64:
        return np.float64(self.alphas_cumprod[prev] if prev >= 0 else self.final_alpha_cumprod)


def zero_snr_conditioning(betas: np.ndarray) -> tuple[float, np.ndarray]:
    """How much zero-SNR rescaling amplifies one-ULP errors of its square roots (in float64, from the betas).

    The rescale maps s = sqrt(alphas_cumprod) to r = (s - s_T) * A with A = s_0 / (s_0 - s_T). Counting one ULP
    for each of the two square roots (torch's are faithful, not correctly rounded) and half an ULP for each of the
    subtraction, the factor A and the product, r is off by up to 4 eps A (s <= 1), hence alphas_cumprod = r**2 by
    up to 8 eps A (the first returned scale), and alpha_i = r_i**2 / r_{i-1}**2, so beta_i, by up to
    16 eps A / r_{i-1} (the per-element second one; r_i <= r_{i-1}).
    """
    s = np.sqrt(np.cumprod(1 - np.asarray(betas, np.float64)))
    with np.errstate(divide="ignore", invalid="ignore"):  # a one-step schedule cannot be rescaled: infinite
        amplification = s[0] / (s[0] - s[-1])
        r = (s - s[-1]) * amplification
        per_beta = np.concatenate([[8 * amplification], 16 * amplification / r[:-1]])
    return 8 * amplification, per_beta


def same_schedule(reference: Schedule, port: Schedule) -> bool:
    """Whether the two sides' schedules are the same bits (every schedule but a zero-SNR rescaled one): then every
    gap between coefficients computed alike from them is 0, and gap_eps and coefficient_gap are 1."""
    ours, theirs = (np.asarray(s.alphas_cumprod) for s in (reference, port))
    return (
        ours.dtype == theirs.dtype
        and ours.shape == theirs.shape
        and ours.tobytes() == theirs.tobytes()
        and np.float64(reference.final_alpha_cumprod).tobytes() == np.float64(port.final_alpha_cumprod).tobytes()
    )


def gap_eps(reference: Any, port: Any, relative: bool) -> int:
    """The largest gap between the two sides' coefficients in float32 eps (at least 1); relative to the
    coefficient for a divisor, absolute (coefficients are at most about 1) for a multiplier. A divisor that is 0 on
    one side only (a step that divides by zero) gives 2**23: no finite tolerance means anything there, and the
    non-finite outputs are still compared position by position."""
    reference, port = np.asarray(reference, np.float64), np.asarray(port, np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.abs(reference - port) / (np.abs(reference) if relative else 1.0)
    gap = np.nan_to_num(gap, nan=0.0, posinf=1.0)
    return max(1, int(np.ceil(float(np.max(np.ravel(gap), initial=0.0)) / EPS32)))


# (alphas_cumprod at the timesteps, the side's schedule) -> (divisors, multipliers), in float64
Coefficients = Callable[[np.ndarray, Schedule], tuple[list, list]]


def _noise_coefficients(a: np.ndarray, schedule: Schedule) -> tuple[list, list]:
    return [], [np.sqrt(a), np.sqrt(1 - a)]


def coefficient_gap(
    reference: Schedule, port: Schedule, timesteps: Any, coefficients: Coefficients = _noise_coefficients
) -> int:
    """How far apart the two sides' coefficients are, in float32 eps (at least 1).

    The coefficients are computed in float64 from each side's float32 alphas_cumprod at `timesteps`: by default
    add_noise's multipliers sqrt(a) and sqrt(1 - a); an entry passes its step's. They agree except under zero-SNR
    rescaling, whose schedules already differ (schedule_zero_snr), and where a coefficient cancels the gap grows. A
    quantity computed from them inherits it, so its scale is multiplied by this number (tolerances.py).
    Timesteps outside the schedule are left out.
    """
    if same_schedule(reference, port):
        return 1  # each coefficient computed alike from the same values: every gap 0
    size = len(port.alphas_cumprod)
    indices = [int(t) for t in np.ravel(timesteps) if -size <= int(t) < size]
    sides = []
    for schedule in (reference, port):
        a = np.asarray(schedule.alphas_cumprod, np.float64)[indices]
        with np.errstate(invalid="ignore", divide="ignore"):
            sides.append(coefficients(a, schedule))
    (ref_divisors, ref_multipliers), (port_divisors, port_multipliers) = sides
    gaps = [gap_eps(r, p, relative=True) for r, p in zip(ref_divisors, port_divisors, strict=True)]
    gaps += [gap_eps(r, p, relative=False) for r, p in zip(ref_multipliers, port_multipliers, strict=True)]
    return max(gaps)


def judge_schedule(
    config: dict[str, Any],
    *,
    exact: dict[str, np.ndarray],
    reference_arrays: dict[str, np.ndarray],
    port_arrays: dict[str, np.ndarray],
    port_dtypes: dict[str, str],
    betas_before_rescale: np.ndarray | None,
    case: dict[str, Any],
    replay: str,
    quantity: str | None = None,
) -> None:
    """Judge the schedule arrays (the keys of `reference_arrays`) of both sides: float32, parity, and accuracy
    against `exact`, the float64 schedule of the config. Under zero-SNR rescaling the scale is the rescale's
    conditioning, computed from the betas before it (`betas_before_rescale`): per element for betas and alphas,
    one number for the cumulative products. `quantity` is the policy entry (default: schedule or
    schedule_zero_snr)."""
    scales: dict[str, Any] = dict.fromkeys(reference_arrays)
    if betas_before_rescale is not None:
        cumprod_scale, beta_scale = zero_snr_conditioning(betas_before_rescale)
        scales = {name: beta_scale if name in ("betas", "alphas") else cumprod_scale for name in reference_arrays}
        # alphas_cumprod is then re-accumulated from the rescaled ratios, whose roundings no longer telescope: each
        # side's error grows like a random walk (measured: 10 eps on laplace betas at N = 4000, where 8 eps A is
        # 9.7 eps). Where the reference's own error against float64 exceeds the conditioning, the parity scale is
        # twice that error (the triangle inequality: the accuracy check below bounds the port's own error by the
        # reference's plus the budget, so this admits nothing the accuracy check would not).
        if "alphas_cumprod" in reference_arrays:
            own = np.abs(np.asarray(reference_arrays["alphas_cumprod"], np.float64) - exact["alphas_cumprod"]) / EPS32
            scales["alphas_cumprod"] = np.maximum(cumprod_scale, 2 * np.nan_to_num(own, nan=0.0))
    quantity = quantity or ("schedule_zero_snr" if betas_before_rescale is not None else "schedule")
    for name, scale in scales.items():
        ref = reference_arrays[name]
        got, exact_values = (np.reshape(values, np.shape(ref)) for values in (port_arrays[name], exact[name]))
        kwargs = {"dtype": "float32", "tolerance": tolerance(quantity, "float32"), "case": case, "replay": replay}
        assert_close(name, ref, got, port_dtype=port_dtypes[name], scale=scale, **kwargs)
        if scale is None:
            scale = np.max(np.abs(exact_values), initial=0.0)
        assert_no_less_accurate(name, ref, got, exact_values, scale=scale, **kwargs)


def judge_noise(
    method: str,
    config: dict[str, Any],
    *,
    reference_schedule: Schedule,
    port_schedule: Schedule,
    inputs: tuple[np.ndarray, np.ndarray],
    timesteps: np.ndarray,
    reference_output: np.ndarray,
    port_output: np.ndarray,
    port_dtype: str,
    dtype: str,
    case: dict[str, Any],
    replay: str,
) -> None:
    """Judge add_noise or get_velocity: parity, and accuracy against the float64 formulas (DDPM eq. 4, and
    v = sqrt(a) * noise - sqrt(1 - a) * sample) on the reference's schedule. `inputs` are (sample or original,
    noise), as both sides received them (rounded to `dtype`)."""
    a, b = inputs
    gap = coefficient_gap(reference_schedule, port_schedule, timesteps)
    scale = max(np.abs(a).max(initial=0.0), np.abs(b).max(initial=0.0)) * gap
    alphas = np.asarray(reference_schedule.alphas_cumprod, np.float64)[np.asarray(timesteps, np.int64)]
    exact = oracle.noise_formula(method, alphas, a, b)
    quantity = "noise_zero_snr" if config.get("rescale_betas_zero_snr", False) else "noise"
    kwargs = {"dtype": dtype, "scale": scale, "tolerance": tolerance(quantity, dtype), "case": case, "replay": replay}
    assert_close(method, reference_output, port_output, port_dtype=port_dtype, **kwargs)
    assert_no_less_accurate(method, reference_output, port_output, exact, **kwargs)


def replay_recorded_noise(
    scheduler, arrays: dict[str, np.ndarray], config: dict[str, Any], schedules: tuple[Schedule, Schedule], *,
    dtype: str, case: dict[str, Any], replay: str,
) -> int:  # fmt: skip
    """A fixture's add_noise and get_velocity, replayed on the port's `scheduler` (as the adapter gives it) and
    judged against the recorded outputs; returns the number of comparisons."""
    import mlx.core as mx

    from parity import port
    from parity.adapter import Unsupported

    timesteps = arrays["noise_timesteps"]
    inputs = (arrays["noise_original"], arrays["noise_noise"])  # recorded as rounded to the case's dtype
    judged = 0
    for method in ("add_noise", "get_velocity"):
        try:
            got = scheduler.call(method, *(port.to_mlx(a, dtype) for a in inputs), mx.array(timesteps))
        except Unsupported:  # the method's own rows report a port without it; the fixture judges the rest
            continue
        judged += 1
        judge_noise(
            method,
            config,
            reference_schedule=schedules[0],
            port_schedule=schedules[1],
            inputs=inputs,
            timesteps=timesteps,
            reference_output=arrays[method],
            **port_output(got),
            dtype=dtype,
            case=case,
            replay=replay,
        )
    return judged


def port_arrays(exposed: dict[str, Any]) -> dict[str, dict]:
    """The port's arrays `exposed` (name -> array) as a schedule judge takes them: `port_arrays`, numpy values,
    and `port_dtypes`, their dtypes."""
    from parity import port

    return dict(
        port_arrays={name: port.to_numpy(value) for name, value in exposed.items()},
        port_dtypes={name: port.dtype_name(value) for name, value in exposed.items()},
    )


def port_output(output: Any) -> dict[str, Any]:
    """One array a port returned, as a judge takes it: `port_output` (numpy) and `port_dtype`."""
    from parity import port

    return dict(port_output=port.to_numpy(output), port_dtype=port.dtype_name(output))


def port_step_outputs(outputs: Any) -> dict[str, tuple]:
    """What a port's `step` returned (its tuple), as a step judge takes it: `port_outputs`, its first two arrays
    (prev_sample, pred_original_sample; a port may return less) as numpy values, and `port_dtypes`, their dtypes."""
    from parity import port

    # keywords, not string literals: Hypothesis draws the harness's own short strings as examples, so a new one
    # would change the names DDIM's strategies draw
    return dict(
        port_outputs=tuple(port.to_numpy_together(*outputs[:2])),
        port_dtypes=tuple(port.dtype_name(a) for a in outputs[:2]),
    )


def judge_step_outputs(
    reference_outputs: tuple[np.ndarray, ...], port_outputs: tuple[np.ndarray, ...], port_dtypes: tuple[str, ...],
    exact: tuple[np.ndarray, ...], *, config: dict[str, Any], scale: Any, dtype: str, case: dict[str, Any], replay: str,
    classified: tuple[str, ...] = (),
) -> None:  # fmt: skip
    """Judge a step's outputs, (prev_sample, pred_original_sample) as far as the port returns them (a port may
    return less), at the step's tolerance and `scale`: parity with the reference, and no less accurate than it
    against the float64 `exact` (labelled [zero_snr] under zero-SNR rescaling). An output named in `classified` was
    judged otherwise by the entry (DDIM's rounding-tipped direction) and is left out."""
    names = ("prev_sample", "pred_original_sample")
    label = " [zero_snr]" if config.get("rescale_betas_zero_snr") else ""
    for position, name in enumerate(names[: len(port_outputs)]):
        if name in classified:
            continue
        ref, got = reference_outputs[position], port_outputs[position]
        kwargs = {"dtype": dtype, "scale": scale, "tolerance": tolerance("step", dtype), "case": case, "replay": replay}
        assert_no_less_accurate(name + label, ref, got, exact[position], **kwargs)
        assert_close(name, ref, got, port_dtype=port_dtypes[position], **kwargs)
