"""The checks shared by the fixed-case tests and the Hypothesis properties: one step of both schedulers on
identical inputs, judged by the tolerance policy."""

from __future__ import annotations

import numpy as np

from . import oracle, port, reference
from .cases import Pair, direction_rounds_across_zero, schedule_mismatch_ulp, step_scale, zero_snr_conditioning
from .compare import MEASUREMENTS, Measurement, assert_close, assert_no_less_accurate, assert_same
from .tolerances import ACCURACY_MARGIN_EPS, tolerance

__all__ = ["as_timestep", "check_schedule", "check_step"]


def as_timestep(kind: str, scheduler, index: int):
    """The index-th timestep as a Python int, a numpy integer or an element of scheduler.timesteps."""
    value = scheduler.timesteps[index]
    if kind == "element":
        return value
    return int(value.item()) if kind == "int" else np.int64(value.item())


def check_schedule(pair: Pair, replay: str) -> None:
    """betas, alphas, alphas_cumprod and final_alpha_cumprod: dtype, parity, and accuracy against float64."""
    case = pair.describe()
    rescaled = pair.config.get("rescale_betas_zero_snr", False)
    scales = dict.fromkeys(("betas", "alphas", "alphas_cumprod", "final_alpha_cumprod"))
    if rescaled:
        unscaled = reference.build({**pair.config, "rescale_betas_zero_snr": False}).betas
        cumprod_scale, beta_scale = zero_snr_conditioning(reference.to_numpy(unscaled))
        scales.update(
            betas=beta_scale, alphas=beta_scale, alphas_cumprod=cumprod_scale, final_alpha_cumprod=cumprod_scale
        )
    exact = oracle.schedule(pair.config)
    for name, scale in scales.items():
        ref = reference.to_numpy(getattr(pair.torch, name))
        got = getattr(pair.port, name)
        assert_same(f"{name}.dtype", "float32", port.dtype_name(got), case=case, replay=replay)
        kwargs = {"dtype": "float32", "scale": scale, "case": case, "replay": replay}
        quantity = "schedule_zero_snr" if rescaled else "schedule"
        assert_close(name, ref, port.to_numpy(got), tolerance=tolerance(quantity, "float32"), **kwargs)
        if scale is None:
            scale = np.max(np.abs(exact[name]), initial=0.0)
        kwargs["scale"] = scale
        label = f"{name} [{quantity}]"
        assert_no_less_accurate(label, ref, port.to_numpy(got), exact[name], margin_eps=ACCURACY_MARGIN_EPS, **kwargs)


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
    exact = {side: step_oracle(pair, side, t, arrays, dtype, eta, use_clipped) for side in ("torch", "port")}
    for position, name in enumerate(("prev_sample", "pred_original_sample")):
        if name == "prev_sample" and tipped_direction(pair, t, prev, eta, ref, got, dtype, case):
            continue
        assert_no_less_accurate(
            name + (" [zero_snr]" if config.rescale_betas_zero_snr else ""),
            reference.to_numpy(getattr(ref, name)),
            port.to_numpy(getattr(got, name)),
            exact["port"][position],
            reference_oracle=exact["torch"][position],
            dtype=dtype,
            scale=scale,
            margin_eps=ACCURACY_MARGIN_EPS,
            case=case,
            replay=replay,
        )
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


def step_oracle(pair: Pair, side: str, timestep: int, arrays, dtype: str, eta: float, use_clipped: bool):
    """The float64 step on one side's own float32 schedule, from the inputs as rounded to `dtype`."""
    scheduler = getattr(pair, side)
    to_numpy = reference.to_numpy if side == "torch" else port.to_numpy
    sample, model_output, noise = (port.to_numpy(port.to_mlx(a, dtype)) for a in arrays)
    return oracle.step(
        dict(pair.port.config),
        to_numpy(scheduler.alphas_cumprod),
        float(to_numpy(scheduler.final_alpha_cumprod)),
        pair.port.num_inference_steps,
        timestep,
        model_output,
        sample,
        noise,
        eta,
        use_clipped,
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
