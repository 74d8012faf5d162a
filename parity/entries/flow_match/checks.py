"""The flow-matching case runners (the gate's fixed cases, the properties, replay lines and the conformance report
run them): each builds both schedulers from one config, sets the same schedule, runs both on identical inputs and
hands both sides' numbers to the judge (torch-free, shared with the fixture replay)."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity import port
from parity.entries.common import checks as common
from parity.entries.common.judge import port_arrays, port_output
from parity.entries.common.pairs import Pair, inputs

from . import judge, pipelines, reference

__all__ = ["RUNNERS", "ready", "step_loop"]

SCHEDULE_STATE = ("num_inference_steps", "sigma_min", "sigma_max", "shift", "step_index", "begin_index")


def schedule_args(case: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of the case's set_timesteps: the ones it gives, or those a diffusers pipeline computes
    from `config` (pipelines.py: its resolution's mu, its sigmas)."""
    schedule = case["schedule"]
    if "pipeline" in schedule:
        return pipelines.SCHEDULES[schedule["pipeline"]](
            config, schedule["height"], schedule["width"], schedule["steps"]
        )
    return {key: value for key, value in schedule.items() if value is not None}


def ready(case: dict[str, Any]) -> Pair:
    """Both schedulers built from the case's config, with its shift set (set_shift) and its schedule set; a
    pipeline's call computes the port's arguments from the port's own config (Pair.port_config)."""
    pair = Pair(case["config"])
    if case.get("set_shift") is not None:
        pair.call("set_shift", case["set_shift"])
    pair.torch.set_timesteps(**schedule_args(case, pair.reference_config()))
    pipeline = "pipeline" in case["schedule"]
    pair.adapted.set_timesteps(**schedule_args(case, pair.port_config() if pipeline else case["config"]))
    return pair


def check_schedule(pair: Pair, case: dict[str, Any], replay: str, initial: bool = False) -> None:
    """sigmas and timesteps (float32, exact, and against the float64 oracle), and the schedule's state."""
    facts = {"case": {**pair.describe(), "schedule": {} if initial else case["schedule"]}, "replay": replay}
    exposed = pair.adapted.exposed(judge.SCHEDULE_ARRAYS)
    judge.judge_schedule(
        pair.reference_config(),
        {} if initial else schedule_args(case, pair.reference_config()),
        reference_arrays={name: reference.to_numpy(getattr(pair.torch, name)) for name in exposed},
        **port_arrays(exposed),
        set_shift=case.get("set_shift"),
        **facts,
    )
    common.compare_exposed(pair, SCHEDULE_STATE, facts)


def run_schedule_case(case: dict, replay: str) -> None:
    """The schedule __init__ sets, then the one set_timesteps sets (after set_shift, if the case has one)."""
    check_schedule(Pair(case["config"]), case, replay, initial=True)
    check_schedule(ready(case), case, replay)


def step_loop(pair: Pair, case: dict[str, Any], replay: str) -> None:
    """`case["steps"]` consecutive steps from timesteps[start] (found by index_for_timestep, or set by
    set_begin_index), each side free-running on its own output; every step judged, and the step index after.
    Stochastic sampling's noise is the port's draw from an MLX key (common.drawn_noise), reaching the port as the
    key or handed in, as `noise_from` says (common.noise_route); the reference is fed the same."""
    dtype, n = case["dtype"], len(pair.torch.timesteps)
    start = case["start_index"] % n
    if case["start"] == "begin_index":
        pair.call("set_begin_index", start)
    shape = tuple(case["shape"])
    rng = np.random.default_rng(case["seed"])
    sample = rng.standard_normal(shape).astype(np.float32)
    sides = (reference.to_torch(sample, case["sample_dtype"]), port.to_mlx(sample, case["sample_dtype"]))
    per_token = _per_token(pair, case, rng) if case.get("per_token") else None
    noise_from = common.noise_route(pair, case.get("noise_from", "either"))
    for step in range(case["steps"]):
        index = start + step
        if index >= n or (step and pair.torch.step_index >= n):
            break
        model_output = rng.standard_normal(shape).astype(np.float32)
        if case["timestep_kind"] == "element":  # an element of each side's timesteps, or the same Python float
            t_reference, t_port = pair.torch.timesteps[index], pair.adapted.timestep(index, "element")
        else:
            t_reference = t_port = float(reference.to_numpy(pair.torch.timesteps)[index])
        port_kwargs, noise = {}, None
        if pair.torch.config.stochastic_sampling:
            key, noise = common.drawn_noise(pair, shape, "float32", case["seed"] + step)
            port_kwargs[noise_from] = port.to_mlx(noise, "float32") if noise_from == "variance_noise" else key
        if per_token is not None:
            port_kwargs["per_token_timesteps"] = port.to_mlx(per_token, "float32")
        given = reference.to_torch(noise if noise is not None else np.zeros(shape, np.float32), "float32")

        def step_reference(sample=sides[0], model_output=model_output, t=t_reference, given=given):
            with reference.drawing(reference.reference_module, given):
                return pair.torch.step(
                    reference.to_torch(model_output, dtype), t, sample, return_dict=False,
                    per_token_timesteps=None if per_token is None else reference.to_torch(per_token, "float32"),
                )[0]  # fmt: skip

        def step_port(sample=sides[1], model_output=model_output, t=t_port, kwargs=port_kwargs):
            return pair.adapted.step(port.to_mlx(model_output, dtype), t, sample, **kwargs)[0]

        # NaN timesteps (a one-step schedule stretched to a terminal: 0 / 0) match no index: an IndexError
        actions = {"reference": step_reference, "port": step_port}
        if (got_reference := common.reference_or_raised("step", actions, case, replay)) is None:
            return
        got_port = step_port()
        sigmas, used = reference.to_numpy(pair.torch.sigmas), pair.torch.step_index - 1  # the step's sigma index
        judge.judge_step(
            pair.reference_config(),
            sigmas[used],
            sigmas[used + 1],
            inputs=(reference.to_numpy(sides[0]), reference.to_numpy(reference.to_torch(model_output, dtype)), noise),
            per_token=per_token,
            reference_output=reference.to_numpy(got_reference),
            **port_output(got_port),
            dtype=reference.dtype_name(got_reference),
            case={**{k: v for k, v in case.items() if k != "check"}, "step": step, "index": index},
            replay=replay,
        )
        sides = (got_reference, got_port)
    common.compare_exposed(pair, ("step_index", "begin_index"), {"case": case, "replay": replay})


def _per_token(pair: Pair, case: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    """Per-token timesteps of shape (batch, tokens): scheduled timesteps and values between them; or, with the case's
    `tokens` "ltx", as LTX-Video's conditioning pipeline passes them: the step's own timestep (exactly), 0 on the
    conditioning tokens (min(t, (1 - mask) * 1000))."""
    timesteps = reference.to_numpy(pair.torch.timesteps).astype(np.float64)
    if case.get("tokens") == "ltx":
        own = timesteps[case["start_index"] % len(timesteps)]
        return np.where(rng.integers(0, 4, size=tuple(case["shape"][:2])) == 0, 0.0, own).astype(np.float32)
    picked = timesteps[rng.integers(0, len(timesteps), size=tuple(case["shape"][:2]))]
    return (picked * rng.uniform(0.9, 1.0, size=picked.shape)).astype(np.float32)


def run_step_case(case: dict, replay: str) -> None:
    step_loop(ready(case), case, replay)


def run_noise_case(case: dict, replay: str) -> None:
    """scale_noise on its three branches: each timestep looked up (no begin index), the begin index (img2img, before
    the first step), the step index (inpainting, after a step)."""
    import mlx.core as mx

    pair, dtype = ready(case), case["dtype"]
    n = len(pair.torch.timesteps)
    indices = [i % n for i in case["indices"]]
    if case["branch"] in ("begin_index", "after_step"):
        pair.call("set_begin_index", indices[0])
    if case["branch"] == "after_step":
        step_loop(pair, {**case, "start": "begin_index", "start_index": indices[0], "steps": 1, "sample_dtype": dtype,
                         "timestep_kind": "element", "shape": [1, 2]}, replay)  # fmt: skip
    timesteps = reference.to_numpy(pair.torch.timesteps)[indices]
    sample, noise = inputs((len(indices), *case["shape"][1:]), case["seed"], count=2)

    def noise_reference():
        return pair.torch.scale_noise(reference.to_torch(sample, dtype), reference.torch.from_numpy(timesteps.copy()),
                                      reference.to_torch(noise, dtype))  # fmt: skip

    def noise_port():
        return pair.adapted.call(
            "scale_noise", port.to_mlx(sample, dtype), mx.array(timesteps), port.to_mlx(noise, dtype)
        )

    # NaN timesteps (a one-step schedule stretched to a terminal: 0 / 0) match no index: an IndexError
    actions = {"reference": noise_reference, "port": noise_port}
    if (got_reference := common.reference_or_raised("scale_noise", actions, case, replay)) is None:
        return
    got_port = noise_port()
    judge.judge_scale_noise(
        reference.to_numpy(pair.torch.sigmas),
        sigma_indices=[pair.torch.index_for_timestep(t) for t in timesteps] if case["branch"] == "lookup" else None,
        fixed_index=pair.torch.step_index if case["branch"] == "after_step" else pair.torch.begin_index,
        inputs=tuple(reference.to_numpy(reference.to_torch(a, dtype)) for a in (sample, noise)),
        reference_output=reference.to_numpy(got_reference),
        **port_output(got_port),
        dtype=dtype,
        case={k: v for k, v in case.items() if k != "check"},
        replay=replay,
    )


def _invalid_action(case: dict):
    """What the case's invalid input does, on either side: (build, to_array, to_timesteps) -> result."""
    kind, value, config = case["invalid"], case["value"], dict(case["config"])
    x = np.ones((1, 2, 4), np.float32)

    def act(build, array, timesteps):
        if kind in ("sigma_kinds", "time_shift_type"):
            return build({**config, **value})
        scheduler = build({**config, "use_dynamic_shifting": True} if kind == "mu_missing" else config)
        if kind == "mu_missing":
            return scheduler.set_timesteps(10)
        if kind in ("sigmas_timesteps_lengths", "steps_and_sigmas_lengths"):
            return scheduler.set_timesteps(**value)
        if kind == "nothing_to_set":
            return scheduler.set_timesteps()
        scheduler.set_timesteps(value if kind == "past_the_end" else 10)
        if kind == "integer_timestep":  # a Python int, a numpy integer, or an integer array
            given = {"int": 500, "numpy": np.int64(500), "array": timesteps(np.array(500))}[value]
            return scheduler.step(array(x), given, array(x))
        if kind == "timestep_not_in_schedule":
            return scheduler.step(array(x), float(value), array(x))
        for index in range(value + 1):  # past_the_end: one step more than the schedule has
            scheduler.step(array(x), scheduler.timestep(min(index, value - 1), "element"), array(x))
        return None

    return act


def run_error_case(case: dict, replay: str) -> None:
    """An invalid input: the port raises the reference's exception class (with a message that names the problem),
    and a ValueError where the reference accepts a numpy integer timestep (a listed difference)."""
    integer = case["invalid"] == "integer_timestep"  # the reference lets a numpy integer through
    common.run_invalid(
        case, replay, _invalid_action(case), reference.TorchFlowMatchScheduler,
        lambda raised: ValueError if integer else raised or ValueError,
    )  # fmt: skip


def run_output_case(case: dict, replay: str) -> None:
    """`step`'s output as diffusers' users read it (parity.entries.common.checks.check_output)."""
    pair = Pair(case["config"])
    pair.set_timesteps(10)
    sample, model_output = inputs((2, 4, 8), 0, count=2)
    torch_inputs = (reference.to_torch(a, "float32") for a in (model_output, sample))
    expected_class = type(pair.torch.step(next(torch_inputs), pair.torch.timesteps[0], next(torch_inputs))).__name__

    def step(**kwargs):  # the first step of a fresh schedule each time: the same output
        pair.adapted.set_timesteps(10)
        return pair.adapted.call("step", port.to_mlx(model_output, "float32"), pair.adapted.timestep(0, "element"),
                                 port.to_mlx(sample, "float32"), **kwargs)  # fmt: skip

    common.check_output(step, expected_class, ("prev_sample",), case, replay)


RUNNERS = {
    "schedule": run_schedule_case,
    "step": run_step_case,
    "noise": run_noise_case,
    "error": run_error_case,
    "output": run_output_case,
}
