"""The checks shared by the fixed-case tests and the Hypothesis properties: one step of both schedulers on
identical inputs, judged by the tolerance policy."""

from __future__ import annotations

import numpy as np

from . import port, reference
from .cases import Pair, direction_rounds_across_zero, schedule_mismatch_ulp, step_scale
from .compare import MEASUREMENTS, Measurement, assert_close
from .tolerances import tolerance

__all__ = ["as_timestep", "check_step"]


def as_timestep(kind: str, scheduler, index: int):
    """The index-th timestep as a Python int, a numpy integer or an element of scheduler.timesteps."""
    value = scheduler.timesteps[index]
    if kind == "element":
        return value
    return int(value.item()) if kind == "int" else np.int64(value.item())


def check_step(pair: Pair, index: int, dtype: str, arrays, *, eta, use_clipped, kind, shape, replay) -> None:
    """Step both schedulers at timesteps[index] on the same (sample, model_output, noise); compare both outputs."""
    sample, model_output, noise = arrays
    kwargs = {"eta": eta, "use_clipped_model_output": use_clipped}
    ref = pair.torch.step(
        reference.to_torch(model_output, dtype),
        pair.torch.timesteps[index],
        reference.to_torch(sample, dtype),
        variance_noise=reference.to_torch(noise, dtype),
        **kwargs,
    )
    got = pair.port.step(
        port.to_mlx(model_output, dtype),
        as_timestep(kind, pair.port, index),
        port.to_mlx(sample, dtype),
        variance_noise=port.to_mlx(noise, dtype),
        **kwargs,
    )
    t = int(reference.to_numpy(pair.torch.timesteps)[index])
    case = pair.describe(dtype=dtype, shape=list(shape), step_index=index, timestep=t, timestep_kind=kind, **kwargs)
    config = pair.port.config
    prev = t - config.num_train_timesteps // pair.port.num_inference_steps
    scale = step_scale(
        config.prediction_type,
        float(reference.to_numpy(pair.torch.alphas_cumprod)[t]),
        [sample, model_output, noise],
        use_clipped,
        config.clip_sample_range,
    ) * schedule_mismatch_ulp(pair, [t], prev=prev, eta=eta)
    for name in ("prev_sample", "pred_original_sample"):
        if name == "prev_sample" and tipped_direction(pair, t, prev, eta, ref, got, dtype, case):
            continue
        assert_close(
            name,
            reference.to_numpy(getattr(ref, name)),
            port.to_numpy(getattr(got, name)),
            dtype=dtype,
            port_dtype=port.dtype_name(getattr(got, name)),
            tolerance=tolerance("step", dtype),
            scale=scale,
            case=case,
            replay=replay,
        )


def tipped_direction(pair, timestep, prev, eta, ref, got, dtype, case) -> bool:
    """Classify a step whose direction coefficient's sign is decided by rounding (see direction_rounds_across_zero).

    Where one side is NaN for that reason and the other is not, the whole prev_sample must be NaN on that side
    (the coefficient multiplies every element) and the step is counted under its own name in the ledger.
    Returns True when the step was classified so (and prev_sample is not compared elementwise).
    """
    alphas = reference.to_numpy(pair.torch.alphas_cumprod)
    alpha_prev = alphas[prev] if prev >= 0 else float(reference.to_numpy(pair.torch.final_alpha_cumprod))
    if not direction_rounds_across_zero(alphas[timestep], alpha_prev, eta):
        return False
    ref_nan, port_nan = np.isnan(reference.to_numpy(ref.prev_sample)), np.isnan(port.to_numpy(got.prev_sample))
    if ref_nan.any() == port_nan.any():
        return False  # both agree: compare as usual
    assert ref_nan.all() or port_nan.all(), f"partially NaN prev_sample in a rounding-tipped step: {case}"
    MEASUREMENTS.append(Measurement("prev_sample: direction sqrt rounds across 0 (classified)", dtype, True))
    return True
