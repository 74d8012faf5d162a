"""The DDIM case runners, shared by the fixed-case tests, the Hypothesis properties, the replay line and the
conformance report: each runs both schedulers on identical inputs and hands both sides' numbers to the judge
(parity.entries.ddim.judge, the same judge the fixture replay uses)."""

from __future__ import annotations

import numpy as np

from parity import port
from parity.compare import assert_close, assert_same
from parity.entries.common import checks as common
from parity.entries.common.checks import as_timestep, normalized
from parity.entries.common.judge import port_step_outputs
from parity.entries.ddim import reference
from parity.entries.ddim.cases import Pair, inputs
from parity.entries.ddim.judge import SCHEDULE_ARRAYS, Schedule, judge_schedule, judge_step, variance_scale
from parity.tolerances import tolerance

__all__ = [
    "RUNNERS",
    "as_timestep",
    "check_noise",
    "check_schedule",
    "check_step",
    "normalized",
    "run_error_case",
    "run_noise_case",
    "run_output_case",
    "run_schedule_case",
    "run_step_case",
]


def schedules(pair: Pair) -> tuple[Schedule, Schedule]:
    """Both sides' alphas_cumprod and final_alpha_cumprod (parity.entries.common.checks.schedules)."""
    return common.schedules(pair, "final_alpha_cumprod")


def step_schedules(pair: Pair) -> tuple[Schedule, Schedule]:
    """The schedules a step is judged with (parity.entries.common.checks.step_schedules)."""
    return common.step_schedules(pair, "final_alpha_cumprod")


def check_schedule(pair: Pair, replay: str) -> None:
    """betas, alphas, alphas_cumprod and final_alpha_cumprod: dtype, parity, and accuracy against float64."""
    common.check_schedule_arrays(pair, replay, SCHEDULE_ARRAYS, judge_schedule, reference.build)


def check_step(pair: Pair, index: int, dtype: str, arrays, *, eta, use_clipped, kind, shape, replay) -> None:
    """Step both schedulers at timesteps[index] on the same (sample, model_output, noise); compare both outputs."""
    sample, model_output, noise = arrays
    kwargs = {"eta": eta, "use_clipped_model_output": use_clipped}
    # The numbers through `return_dict=False` (a tuple on both sides; the adapter asks a port that lacks it plainly);
    # the output class is checked on its own (test_step.test_return_dict_false_matches, the "step output" feature),
    # so a port whose output class is wrong still gets its arithmetic judged. The noise goes in only where the
    # reference reads it (eta > 0).
    ref = pair.torch.step(
        reference.to_torch(model_output, dtype),
        pair.torch.timesteps[index],
        reference.to_torch(sample, dtype),
        variance_noise=reference.to_torch(noise, dtype),
        return_dict=False,
        **kwargs,
    )
    (port_sample, port_output, port_noise), dtype_inputs = port.to_mlx_and_read_back(
        (sample, model_output, noise), dtype
    )
    noise_kwargs = {"variance_noise": port_noise} if eta > 0 else {}
    got = pair.adapted.step(port_output, pair.adapted.timestep(index, kind), port_sample, **kwargs, **noise_kwargs)
    t = int(reference.to_numpy(pair.torch.timesteps)[index])
    reference_schedule, port_schedule = step_schedules(pair)
    judge_step(
        pair.reference_config(),
        pair.torch.num_inference_steps,
        t,
        reference_schedule=reference_schedule,
        port_schedule=port_schedule,
        inputs=(sample, model_output, noise),
        dtype_inputs=dtype_inputs,
        reference_outputs=(reference.to_numpy(ref[0]), reference.to_numpy(ref[1])),  # prev_sample, pred_original_sample
        **port_step_outputs(got),
        dtype=dtype,
        eta=eta,
        use_clipped=use_clipped,
        case=pair.describe(dtype=dtype, shape=list(shape), step_index=index, timestep=t, timestep_kind=kind, **kwargs),
        replay=replay,
    )


def check_noise(
    pair: Pair, method: str, dtype: str, a: np.ndarray, b: np.ndarray, timesteps, replay: str, **kinds
) -> None:
    """add_noise or get_velocity on both sides (parity.entries.common.checks.check_noise)."""
    common.check_noise(pair, step_schedules(pair), method, dtype, a, b, timesteps, replay, **kinds)


def run_step_case(case: dict, replay: str) -> None:
    """A drawn step case (parity.strategies.step_cases): one step at timesteps[step_index % len]."""
    pair = Pair(case["config"])
    pair.set_timesteps(case["num_inference_steps"])
    index = common.scheduled_index(
        pair, case["step_index"], "step: timestep past the schedule (error parity, test_errors)"
    )
    if index is None:
        return
    check_step(
        pair,
        index,
        case["dtype"],
        inputs(tuple(case["shape"]), case["seed"], magnitude=1.5),
        eta=case["eta"],
        use_clipped=case["use_clipped_model_output"],
        kind=case["timestep_kind"],
        shape=case["shape"],
        replay=replay,
    )


def run_schedule_case(case: dict, replay: str) -> None:
    """A drawn schedule case: arrays, timesteps for several step counts, _get_variance at timestep pairs (all three
    unless `parts` names some: a conformance row checks only the part it is about)."""
    parts = case.get("parts", ("arrays", "timesteps", "variance"))
    pair = Pair(case["config"])
    if "arrays" in parts:
        check_schedule(pair, replay)
    n = case["config"]["num_train_timesteps"]
    for steps in common.schedule_step_counts(n) if "timesteps" in parts else ():
        pair.set_timesteps(steps)
        assert_same(
            "timesteps",
            reference.to_numpy(pair.torch.timesteps),
            port.to_numpy(pair.adapted.attribute("timesteps")),
            case=pair.describe(num_inference_steps=steps),
            replay=replay,
        )
    quantity = "variance_zero_snr" if pair.config.get("rescale_betas_zero_snr", False) else "variance"
    for t, prev in case["variance_pairs"] if "variance" in parts else ():
        assert_close(
            "_get_variance",
            reference.to_numpy(pair.torch._get_variance(t, prev)),
            port.to_numpy(pair.adapted.call("_get_variance", t, prev)),
            dtype="float32",
            tolerance=tolerance(quantity, "float32"),
            scale=variance_scale(*schedules(pair), t, prev),
            case=pair.describe(timestep=t, prev_timestep=prev),
            replay=replay,
        )


def run_noise_case(case: dict, replay: str) -> None:
    """A drawn add_noise / get_velocity case (parity.entries.common.checks.run_noise_case)."""
    pair = Pair(case["config"])
    common.run_noise_case(case, replay, pair, step_schedules(pair))


# The reference's exception type -> the port's. Deliberate errors match; where the reference crashes with another
# type (ZeroDivisionError, TypeError) or misbehaves without raising (None), the port raises a ValueError.
PORT_EXCEPTION = {
    ValueError: ValueError,
    IndexError: IndexError,
    NotImplementedError: NotImplementedError,
    RuntimeError: RuntimeError,
    ZeroDivisionError: ValueError,
    TypeError: ValueError,
    None: ValueError,
}


def _invalid_action(case: dict):
    """What the case's invalid input does, on either side: (build, to_array, to_timesteps) -> result (those DDIM
    shares with DDPM: parity.entries.common.checks.shared_invalid_action)."""
    kind, value = case["invalid"], case["value"]
    x = np.ones((1, 2, 4, 4), np.float32)

    def act(build, array, timesteps):
        overrides = {
            "timestep": {},
            "prediction_type": {kind: value},
            "dynamic_thresholding_ratio": {kind: value, "thresholding": True},
        }[kind]
        scheduler = build({**case["config"], **overrides})
        scheduler.set_timesteps(1)
        timestep = value if kind == "timestep" else int(np.asarray(scheduler.attribute("timesteps"))[0])
        return scheduler.step(array(x), timestep, array(x))

    return common.shared_invalid_action(case) or act


def expected_port_exception(raised: type | None) -> type:
    return PORT_EXCEPTION.get(raised, ValueError)


def run_error_case(case: dict, replay: str) -> None:
    """An invalid input (parity.strategies.invalid_cases): the port raises what the reference raises (mapped)."""
    common.run_invalid(case, replay, _invalid_action(case), reference.TorchDDIMScheduler, expected_port_exception)


def run_output_case(case: dict, replay: str) -> None:
    """`step`'s output as diffusers' users read it (parity.entries.common.checks.check_step_output)."""
    sample, model_output, noise = (port.to_mlx(a, "float32") for a in inputs((2, 4, 8, 8), 0))
    common.check_step_output(Pair(case["config"]), sample, model_output, case, replay, eta=0.5, variance_noise=noise)


RUNNERS = {
    "step": run_step_case,
    "schedule": run_schedule_case,
    "noise": run_noise_case,
    "error": run_error_case,
    "output": run_output_case,
}
