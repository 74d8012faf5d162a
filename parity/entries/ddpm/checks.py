"""The DDPM case runners, shared by the fixed-case tests, the Hypothesis properties, the replay line and the
conformance report: each runs both schedulers on identical inputs (the same noise included, see reference.py)
and hands both sides' numbers to the judge (parity.entries.ddpm.judge, the same judge the fixture replay uses)."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity import port
from parity.compare import assert_same
from parity.entries.common import checks as common
from parity.entries.common.checks import as_timestep, normalized
from parity.entries.common.judge import port_step_outputs
from parity.entries.ddpm import oracle, reference
from parity.entries.ddpm.cases import Pair, inputs, set_schedule, step_inputs
from parity.entries.ddpm.judge import SCHEDULE_ARRAYS, Schedule, judge_schedule, judge_step, judge_variance

__all__ = [
    "RUNNERS",
    "as_timestep",
    "check_noise",
    "check_previous_timesteps",
    "check_schedule",
    "check_step",
    "normalized",
    "run_error_case",
    "run_generator_case",
    "run_noise_case",
    "run_output_case",
    "run_schedule_case",
    "run_step_case",
    "schedules",
]

VARIANCE_TYPES = ("fixed_small", "fixed_small_log", "fixed_large", "fixed_large_log", "learned", "learned_range")


def schedules(pair: Pair) -> tuple[Schedule, Schedule]:
    """Both sides' alphas_cumprod and one (parity.entries.common.checks.schedules)."""
    return common.schedules(pair, "one")


def step_schedules(pair: Pair) -> tuple[Schedule, Schedule]:
    """The schedules a step is judged with (parity.entries.common.checks.step_schedules)."""
    return common.step_schedules(pair, "one")


def check_noise(
    pair: Pair, method: str, dtype: str, a: np.ndarray, b: np.ndarray, timesteps, replay: str, **kinds
) -> None:
    """add_noise or get_velocity on both sides (parity.entries.common.checks.check_noise), judged with both sides'
    schedules (`schedules`: the fixed cases need the port's)."""
    common.check_noise(pair, schedules(pair), method, dtype, a, b, timesteps, replay, **kinds)


def check_schedule(pair: Pair, replay: str) -> None:
    """betas, alphas and alphas_cumprod: dtype, parity, and accuracy against float64; `one`, and the attributes the
    port exposes (one it lacks is an API row's gap, not the schedule's)."""
    common.check_schedule_arrays(pair, replay, SCHEDULE_ARRAYS, judge_schedule, reference.build)
    facts = {"case": pair.describe(), "replay": replay}
    one = pair.adapted.exposed(("one", "alphas_cumprod")).get("one")
    if one is not None:  # a port without it: the API rows' gap
        assert_same("one", reference.to_numpy(pair.torch.one), port.to_numpy(one), **facts)
        assert_same("one dtype", "float32", port.dtype_name(one), **facts)
    common.compare_exposed(
        pair, ("init_noise_sigma", "variance_type", "custom_timesteps", "num_inference_steps", "order"), facts
    )


def check_timesteps(pair: Pair, replay: str, **schedule: Any) -> None:
    """timesteps (values and int64), and num_inference_steps and custom_timesteps where the port exposes them,
    after the same set_timesteps."""
    facts = {"case": pair.describe(**schedule), "replay": replay}
    timesteps = pair.adapted.attribute("timesteps")
    assert_same("timesteps", reference.to_numpy(pair.torch.timesteps), port.to_numpy(timesteps), **facts)
    assert_same("timesteps dtype", "int64", port.dtype_name(timesteps), **facts)
    common.compare_exposed(pair, ("num_inference_steps", "custom_timesteps"), facts)


def check_previous_timesteps(pair: Pair, replay: str, limit: int = 12, **schedule: Any) -> None:
    """previous_timestep at (up to `limit` of) the schedule's timesteps, the first and last included, each given
    to the port as an int and as an element of its timesteps."""
    timesteps = reference.to_numpy(pair.torch.timesteps)
    positions = sorted({0, len(timesteps) - 1, *range(0, len(timesteps), max(1, len(timesteps) // limit))})
    for index in positions:
        t = int(timesteps[index])
        expected = int(pair.torch.previous_timestep(t))
        for kind in ("int", "element"):
            got = pair.adapted.call("previous_timestep", pair.adapted.timestep(index, kind))
            value = int(got.item()) if hasattr(got, "item") else int(got)
            assert_same(
                "previous_timestep",
                expected,
                value,
                case=pair.describe(timestep=t, kind=kind, **schedule),
                replay=replay,
            )


def check_step(
    pair: Pair,
    index: int,
    dtype: str,
    sample: np.ndarray,
    model_output: np.ndarray,
    *,
    seed: int,
    kind: str,
    case: dict[str, Any],
    replay: str,
    noise_from: str = "either",
) -> None:
    """Step both schedulers at timesteps[index] with the same noise, and compare both outputs. The noise reaches the
    port by `noise_from`:
    - "variance_noise" (an extension of this project's port): the reference steps with a torch.Generator seeded
      `seed`, and the port is handed that generator's draw (reference.noise);
    - "generator" (diffusers' API): the port steps with `mx.random.key(seed)`, and the reference draws what the
      port draws from it (`Adapted.noise`: `mx.random.normal` of the model output's shape and dtype, as diffusers'
      randn_tensor is torch.randn), through reference.drawing;
    - "either": the first where the port's step takes `variance_noise`, else the second."""
    t = int(reference.to_numpy(pair.torch.timesteps)[index])
    prev = int(pair.torch.previous_timestep(pair.torch.timesteps[index]))
    noise_from = common.noise_route(pair, noise_from)
    step_inputs = (
        reference.to_torch(model_output, dtype),
        pair.torch.timesteps[index],
        reference.to_torch(sample, dtype),
    )
    (port_sample, port_output), dtype_inputs = port.to_mlx_and_read_back((sample, model_output), dtype)
    port_inputs = (port_output, pair.adapted.timestep(index, kind), port_sample)
    # The numbers through return_dict=False (a tuple on both sides); the output class is checked on its own.
    if noise_from == "variance_noise":
        noise = reference.to_numpy(reference.noise(sample.shape, dtype, seed))
        ref = pair.torch.step(*step_inputs, generator=reference.generator(seed), return_dict=False)
        got = pair.adapted.step(*port_inputs, variance_noise=port.to_mlx(noise, dtype))
    else:
        key, noise = common.drawn_noise(pair, sample.shape, dtype, seed)
        with reference.drawing(reference.to_torch(noise, dtype)):
            ref = pair.torch.step(*step_inputs, return_dict=False)
        got = pair.adapted.step(*port_inputs, generator=key)
    reference_schedule, port_schedule = step_schedules(pair)
    judge_step(
        pair.reference_config(),
        t,
        prev,
        reference_schedule=reference_schedule,
        port_schedule=port_schedule,
        dtype_inputs=(*dtype_inputs, noise),
        reference_outputs=(reference.to_numpy(ref[0]), reference.to_numpy(ref[1])),
        **port_step_outputs(got),
        dtype=dtype,
        case={**case, "timestep": t, "prev_timestep": prev, "noise_from": noise_from},
        replay=replay,
    )


def _ready(case: dict) -> Pair:
    pair = Pair(case["config"])
    set_schedule(pair, case.get("num_inference_steps"), case.get("custom_timesteps"))
    return pair


def run_step_case(case: dict, replay: str) -> None:
    """A drawn step case (strategies.step_cases): one step at timesteps[step_index % len], after set_timesteps(n),
    set_timesteps(timesteps=...) or neither."""
    pair = _ready(case)
    index = common.scheduled_index(pair, case["step_index"], "step: timestep past the schedule (error parity)")
    if index is None:
        return
    sample, model_output = step_inputs(case)
    check_step(
        pair,
        index,
        case["dtype"],
        sample,
        model_output,
        seed=case["seed"],
        kind=case["timestep_kind"],
        case={k: v for k, v in case.items() if k != "check"},
        replay=replay,
    )


def _predicted_variance(shape: tuple[int, ...], seed: int, variance_type: str) -> np.ndarray:
    """A model's variance output: a variance near the betas for "learned", a weight around [-1, 1] for
    "learned_range" (as step_inputs draws them)."""
    (values,) = inputs(shape, seed, count=1)
    return np.abs(values) * np.float32(0.02) if variance_type == "learned" else values


def check_variances(pair: Pair, timesteps: list[int], replay: str) -> None:
    """_get_variance at each timestep, for the config's variance type (variance_type=None) and for every type by
    name, the learned ones with a predicted variance."""
    reference_schedule, port_schedule = step_schedules(pair)
    zero_snr = bool(pair.config.get("rescale_betas_zero_snr", False))
    for t in timesteps:
        prev = int(pair.torch.previous_timestep(t))
        for variance_type in (None, *VARIANCE_TYPES):
            named = variance_type or pair.torch.variance_type
            predicted = _predicted_variance((2, 3), t, named) if named in oracle.LEARNED else None
            kwargs = {"variance_type": variance_type}
            ref = pair.torch._get_variance(
                t, predicted_variance=None if predicted is None else reference.to_torch(predicted, "float32"), **kwargs
            )
            got = pair.adapted.call(
                "_get_variance",
                t,
                predicted_variance=None if predicted is None else port.to_mlx(predicted, "float32"),
                **kwargs,
            )
            judge_variance(
                named,
                reference_schedule,
                port_schedule,
                t,
                prev,
                predicted_variance=predicted,
                reference_value=reference.to_numpy(ref),
                port_value=port.to_numpy(got),
                port_dtype=port.dtype_name(got),
                dtype="float32",
                zero_snr=zero_snr,
                case=pair.describe(timestep=t, prev_timestep=prev, variance_type=variance_type),
                replay=replay,
            )


def run_schedule_case(case: dict, replay: str) -> None:
    """A drawn schedule case: arrays; timesteps and previous_timestep for several step counts and the case's custom
    timesteps; _get_variance of every type at the case's timesteps (all four parts unless `parts` names some:
    "arrays", "timesteps", "previous_timestep", "variance")."""
    parts = case.get("parts", ("arrays", "timesteps", "previous_timestep", "variance"))
    pair = Pair(case["config"])
    if "arrays" in parts:
        check_schedule(pair, replay)
    n = case["config"].get("num_train_timesteps", 1000)
    previous = check_previous_timesteps if "previous_timestep" in parts else lambda *args, **kwargs: None
    if "timesteps" in parts:
        previous(pair, replay)  # before any set_timesteps: t - 1
        for steps in common.schedule_step_counts(n):
            pair.set_timesteps(steps)
            check_timesteps(pair, replay, num_inference_steps=steps)
            previous(pair, replay, num_inference_steps=steps)
        if case.get("custom_timesteps") is not None:
            pair.set_timesteps(timesteps=list(case["custom_timesteps"]))
            check_timesteps(pair, replay, custom_timesteps=case["custom_timesteps"])
            previous(pair, replay, custom_timesteps=case["custom_timesteps"])
    if "variance" in parts:
        set_schedule(pair, case.get("num_inference_steps"), case.get("custom_timesteps"))
        timesteps = reference.to_numpy(pair.torch.timesteps)
        picked = [int(timesteps[i % len(timesteps)]) for i in case.get("variance_indices", [0, len(timesteps) - 1])]
        # a timestep past alphas_cumprod (steps_offset can schedule one) is error parity's, not a variance
        check_variances(pair, sorted({t for t in picked if 0 <= t < n}), replay)


def run_noise_case(case: dict, replay: str) -> None:
    """A drawn add_noise / get_velocity case (parity.entries.common.checks.run_noise_case)."""
    pair = Pair(case["config"])
    common.run_noise_case(case, replay, pair, step_schedules(pair))


# What the port raises for each invalid input, given what the reference raises there (None: it does not raise).
# Deliberate errors match; where the reference crashes with another type (ZeroDivisionError, TypeError, or an
# IndexError of its own lookups: an empty custom list) or misbehaves without raising, the port raises a ValueError
# that names the problem. Indexing alphas_cumprod past its end stays an IndexError, as in DDIM, and so does a
# timestep not in the schedule (the reference's from an empty `nonzero()`; the port's names the timestep), so that
# a caller's `except IndexError` catches it on both.
SAME = (ValueError, NotImplementedError, RuntimeError)
INDEX_ERRORS_KEPT = ("timestep_out_of_range", "add_noise_timestep", "timestep_not_in_schedule")


def expected_port_exception(invalid: str, raised: type | None) -> type:
    if raised in SAME or (raised is IndexError and invalid in INDEX_ERRORS_KEPT):
        return raised
    return ValueError


def _invalid_action(case: dict):
    """What the case's invalid input does, on either side: (build, to_array, to_timesteps) -> result (those DDPM
    shares with DDIM: parity.entries.common.checks.shared_invalid_action)."""
    kind, value = case["invalid"], case["value"]
    config = dict(case["config"])
    x = np.ones((1, 2, 4, 4), np.float32)

    def act(build, array, timesteps):
        if kind == "variance_type":
            return build({**config, kind: value})
        scheduler = build(config)
        if kind == "custom_timesteps":  # not descending, starting at num_train_timesteps or past it, or empty
            return scheduler.set_timesteps(timesteps=list(value))
        if kind == "both_arguments":
            return scheduler.set_timesteps(value[0], timesteps=list(value[1]))
        if kind == "neither_argument":
            return scheduler.set_timesteps()
        overrides = {
            "prediction_type": {kind: value},
            "dynamic_thresholding_ratio": {kind: value, "thresholding": True},
            "learned_without_variance": {"variance_type": value},
        }.get(kind, {})
        scheduler = build({**config, **overrides})
        if kind == "timestep_not_in_schedule":  # the first timestep from value[1] on (cyclically) not scheduled
            scheduler.set_timesteps(value[0])
            n = config.get("num_train_timesteps", 1000)
            scheduled = {int(t) for t in np.asarray(scheduler.attribute("timesteps")).tolist()}
            timestep = next(t % n for t in range(value[1], value[1] + n) if t % n not in scheduled)
            return scheduler.step(array(x), timestep, array(x))
        # a timestep of the unset schedule (the whole chain): t > 0, so the step adds noise
        timestep = value if kind == "timestep_out_of_range" else config.get("num_train_timesteps", 1000) - 1
        return scheduler.step(array(x), timestep, array(x))

    return common.shared_invalid_action(case) or act


def run_error_case(case: dict, replay: str) -> None:
    """An invalid input (strategies.invalid_cases): the port raises what expected_port_exception says."""
    common.run_invalid(
        case,
        replay,
        _invalid_action(case),
        reference.TorchDDPMScheduler,
        lambda raised: expected_port_exception(case["invalid"], raised),
    )


def run_output_case(case: dict, replay: str) -> None:
    """`step`'s output as diffusers' users read it (parity.entries.common.checks.check_step_output), the noise drawn
    from the same key each time: the same noise."""
    import mlx.core as mx

    sample, model_output = (port.to_mlx(a, "float32") for a in inputs((2, 4, 8, 8), 0, count=2))
    common.check_step_output(Pair(case["config"]), sample, model_output, case, replay, generator=mx.random.key(0))


def run_generator_case(case: dict, replay: str) -> None:
    """The generator path, as diffusers' API has it: the port's step with `generator=mx.random.key(seed)` against
    the reference fed the same draw (check_step with noise_from="generator"). Where the port also takes
    `variance_noise`, its step with the key equals, in value and dtype, its step handed that key's draw."""
    import mlx.core as mx

    pair = _ready(case)
    index = case["step_index"] % len(pair.torch.timesteps)
    dtype = case["dtype"]
    sample_values, output_values = step_inputs(case)
    facts = {"case": {k: v for k, v in case.items() if k != "check"}, "replay": replay}
    check_step(
        pair, index, dtype, sample_values, output_values, seed=case["seed"], kind=case["timestep_kind"],
        case=facts["case"], replay=replay, noise_from="generator",
    )  # fmt: skip
    if not pair.adapted.accepts("step", "variance_noise"):
        return
    sample, model_output = port.to_mlx(sample_values, dtype), port.to_mlx(output_values, dtype)
    timestep = pair.adapted.timestep(index, case["timestep_kind"])
    key = mx.random.key(case["seed"])
    drawn = pair.adapted.step(model_output, timestep, sample, generator=key)
    noise = pair.adapted.noise(tuple(case["shape"]), port.MLX_DTYPES[dtype], key)
    given = pair.adapted.step(model_output, timestep, sample, variance_noise=noise)
    for position, name in enumerate(("prev_sample", "pred_original_sample")):
        expected, got = port.to_numpy(given[position]), port.to_numpy(drawn[position])
        assert_same(f"{name} NaN with generator", np.isnan(expected), np.isnan(got), **facts)  # fixed_large_log
        assert_same(f"{name} with generator", np.nan_to_num(expected), np.nan_to_num(got), **facts)
        assert_same(f"{name} dtype with generator", dtype, port.dtype_name(drawn[position]), **facts)


def run_variance_noise_case(case: dict, replay: str) -> None:
    """`step(..., variance_noise=...)`, an extension of this project's port (diffusers' DDPM step has no such
    argument): the port handed the reference generator's draw (check_step with noise_from="variance_noise")."""
    pair = _ready(case)
    index = case["step_index"] % len(pair.torch.timesteps)
    sample, model_output = step_inputs(case)
    check_step(
        pair, index, case["dtype"], sample, model_output, seed=case["seed"], kind=case["timestep_kind"],
        case={k: v for k, v in case.items() if k != "check"}, replay=replay, noise_from="variance_noise",
    )  # fmt: skip


RUNNERS = {
    "step": run_step_case,
    "schedule": run_schedule_case,
    "noise": run_noise_case,
    "error": run_error_case,
    "output": run_output_case,
    "generator": run_generator_case,
    "variance_noise": run_variance_noise_case,
}
