"""What a DDPM fixture holds, how it is recorded from the reference, and how the port is judged against it.

The engine (parity/fixtures.py) stores, verifies, lists, diffs and replays fixtures; this module says what goes in
one: the canonical cases, the reference's arrays (schedule, timesteps and previous timesteps, a free-running
trajectory with every step's inputs, its noise and outputs, add_noise and get_velocity), and the judging of a port
against them (torch-free: the same `judge_step` and tolerance policy as the live gate).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity.adapter import Unsupported
from parity.compare import assert_same
from parity.entries.common import fixtures as common
from parity.entries.common.judge import port_step_outputs, replay_recorded_noise

from .judge import SCHEDULE_ARRAYS, judge_schedule, judge_step, schedule_quantity
from .oracle import model_output_shape
from .shipped import IF_STAGE_I, KANDINSKY22, SD_X4_LOW_RES

__all__ = ["CANONICAL", "CASE_DTYPE_ARRAYS", "describe", "promoted", "recorded", "replay", "tolerances_for"]

TRAJECTORY_ARRAYS = ("sample", "model_output", "noise", "prev_sample", "pred_original_sample")
# The arrays stored in the case's dtype (as float32 holding those values); the others are float32 or integers.
CASE_DTYPE_ARRAYS = (*TRAJECTORY_ARRAYS, "add_noise", "get_velocity")


def _spec(config: dict, steps: int | None = None, **case: Any) -> dict[str, Any]:
    return {
        "config": config,
        "num_inference_steps": steps,
        "custom_timesteps": case.get("custom_timesteps"),
        "dtype": case.get("dtype", "float32"),
        "shape": case.get("shape", [1, 4, 8, 8]),
        "doubled": case.get("doubled", False),
        "seed": case.get("seed", 0),
    }


ZERO_SNR_V = {"rescale_betas_zero_snr": True, "timestep_spacing": "trailing", "prediction_type": "v_prediction"}

# The canonical cases: the configs real models ship (loaded through from_config), and the rare paths.
CANONICAL: dict[str, dict[str, Any]] = {
    "default": _spec({}, 50),
    "learned-range-deepfloyd-if": _spec(IF_STAGE_I, 50, shape=[1, 3, 8, 8], doubled=True),
    "fixed-small-log": _spec({"variance_type": "fixed_small_log"}, 50),
    "fixed-large": _spec({"variance_type": "fixed_large", "clip_sample": False}, 25),
    "learned-sample-prediction": _spec(
        {"variance_type": "learned", "prediction_type": "sample"}, 25, shape=[2, 2, 4, 4], doubled=True
    ),
    "custom-timesteps": _spec({}, custom_timesteps=[999, 900, 750, 500, 333, 150, 50, 10, 1, 0]),
    "sigmoid-betas": _spec({"beta_schedule": "sigmoid"}, 50),
    "laplace-betas": _spec({"beta_schedule": "laplace", "timestep_spacing": "linspace"}, 25),
    "zero-snr-trailing-v": _spec(ZERO_SNR_V, 30),
    "kandinsky-2.2": _spec(KANDINSKY22, 50),
    "bfloat16": _spec({}, 30, dtype="bfloat16"),
    "bfloat16-learned-range": _spec(IF_STAGE_I, 25, dtype="bfloat16", shape=[1, 3, 8, 8], doubled=True),
    "float16-sd-x4-low-res": _spec(SD_X4_LOW_RES, 30, dtype="float16"),
    "whole-chain-1000": _spec({"clip_sample": False}, None, shape=[1, 1, 4, 4]),
    "steps-1": _spec({}, 1),
}


def describe(source: str) -> dict[str, str]:
    """What a manifest says of how the fixture was made."""
    return {
        "loaded_with": "DDPMScheduler.from_config(case.config), then set_timesteps(case.num_inference_steps) or "
        "set_timesteps(timesteps=case.custom_timesteps) (neither: the whole training chain)",
        "inputs": "sample_0 and model outputs (twice the channels when case.doubled): numpy default_rng(case.seed) "
        "standard normals, rounded to case.dtype; each step's noise is what the reference's step drew from "
        "torch.Generator().manual_seed(case.seed * 100003 + step index); each later sample is the reference's own "
        "prev_sample (free-running)"
        if source == "canonical"
        else "the promoted case's inputs (parity.entries.ddpm.cases.step_inputs), one step",
    }


def _noise_seed(spec: dict[str, Any], index: int) -> int:
    return spec["seed"] * 100003 + index


def _scheduler(scheduler, spec: dict[str, Any]):
    """`scheduler` (diffusers' or the adapted port, built from the spec's config) with the spec's schedule set."""
    if spec.get("custom_timesteps") is not None:
        scheduler.set_timesteps(timesteps=list(spec["custom_timesteps"]))
    elif spec.get("num_inference_steps") is not None:
        scheduler.set_timesteps(spec["num_inference_steps"])
    return scheduler


def recorded(spec: dict[str, Any], step_indices: list[int] | None, inputs_for=None) -> dict[str, np.ndarray]:
    """Run the reference and collect every array of a fixture. Free-running unless `inputs_for` gives a step's
    (sample, model_output, noise seed)."""
    from parity.entries.common import torch_arrays

    from . import reference

    dtype = spec["dtype"]
    scheduler = _scheduler(reference.TorchDDPMScheduler.from_config(dict(spec["config"])), spec)
    arrays = common.recorded_schedule(scheduler, spec["config"], (*SCHEDULE_ARRAYS, "one"))  # one: 0-dim
    rng = np.random.default_rng(spec["seed"])
    shape = tuple(spec["shape"])
    output_shape = tuple(model_output_shape(spec["config"], list(shape), spec["doubled"]))
    indices = list(range(len(arrays["timesteps"]))) if step_indices is None else step_indices
    trajectory: dict[str, list[np.ndarray]] = {name: [] for name in TRAJECTORY_ARRAYS}
    previous = []
    sample = reference.to_torch(rng.standard_normal(shape).astype(np.float32), dtype)
    for index in indices:
        seed = _noise_seed(spec, index)
        if inputs_for is not None:
            sample_values, output_values, seed = inputs_for(index)
            sample, model_output = (reference.to_torch(a, dtype) for a in (sample_values, output_values))
        else:
            model_output = reference.to_torch(rng.standard_normal(output_shape).astype(np.float32), dtype)
        timestep = scheduler.timesteps[index]
        out = scheduler.step(model_output, timestep, sample, generator=reference.generator(seed))
        noise = reference.noise(shape, dtype, seed)
        previous.append(int(scheduler.previous_timestep(timestep)))
        for name, value in zip(TRAJECTORY_ARRAYS, (sample, model_output, noise, *out.to_tuple()), strict=True):
            trajectory[name].append(reference.to_numpy(value))
        sample = out.prev_sample  # free-running: the reference's own output is the next input
    arrays.update({name: np.stack(values) for name, values in trajectory.items()})
    arrays["step_indices"] = np.array(indices, np.int64)
    arrays["previous_timesteps"] = np.array(previous, np.int64)
    # add_noise and get_velocity at per-sample timesteps spanning the schedule
    torch_arrays.recorded_noise(scheduler, arrays, rng, shape, dtype)
    return arrays


def tolerances_for(spec: dict[str, Any]) -> dict[str, Any]:
    return common.tolerances(spec, schedule_quantity(spec["config"]))


def promoted(case: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, np.ndarray]]:
    """A parity failure's replay case (check "step") as a fixture: its name, spec and the reference's arrays."""
    from . import reference
    from .cases import step_inputs

    name = common.promoted_name(case)
    spec = _spec(
        case["config"],
        case.get("num_inference_steps"),
        custom_timesteps=case.get("custom_timesteps"),
        dtype=case["dtype"],
        shape=case["shape"],
        doubled=case.get("doubled", False),
        seed=case["seed"],
    )
    scheduler = _scheduler(reference.TorchDDPMScheduler.from_config(dict(spec["config"])), spec)
    index = case["step_index"] % len(scheduler.timesteps)
    arrays = recorded(spec, [index], inputs_for=lambda _: (*step_inputs(case), case["seed"]))
    return name, spec, arrays


def replay(manifest: dict[str, Any], arrays: dict[str, np.ndarray], name: str) -> int:
    """Judge the port under test against one recorded fixture; raises ParityError on a disagreement. Returns the
    number of comparisons made."""

    from parity import port

    spec, case, replay_line = common.replay_context(manifest, name)
    dtype = spec["dtype"]
    scheduler = _scheduler(port.adapter().load(dict(spec["config"])), spec)
    config = port.full_config(spec["config"])
    facts = {"case": case, "replay": replay_line}
    assert_same("timesteps", arrays["timesteps"], port.to_numpy(scheduler.attribute("timesteps")), **facts)
    exposed = scheduler.exposed((*SCHEDULE_ARRAYS, "one"))  # what the port has (one it lacks: the API rows' gap)
    judged = {name: exposed[name] for name in SCHEDULE_ARRAYS if name in exposed}
    checks = 1 + common.replay_schedule(judged, arrays, spec["config"], judge_schedule, case=case, replay=replay_line)
    if "one" in exposed:
        assert_same("one", arrays["one"].reshape(()), port.to_numpy(exposed["one"]).reshape(()), **facts)
        checks += 1
    schedules = common.replayed_schedules(arrays, exposed, "one")  # the reference's, the port's
    names = ("prev_sample", "pred_original_sample")
    for position, index in enumerate(arrays["step_indices"]):
        step_inputs, (sample, model_output, noise) = common.recorded_step(arrays, position, dtype)
        timestep = scheduler.timestep(int(index), "element")
        prev = int(arrays["previous_timesteps"][position])
        try:  # the method's own row judges a port without it
            got_prev = scheduler.call("previous_timestep", timestep)
        except Unsupported:
            pass
        else:
            got_prev = int(got_prev.item() if hasattr(got_prev, "item") else got_prev)
            assert_same("previous_timestep", prev, got_prev, **facts)
            checks += 1
        # the recorded noise is the reference generator's draw: it can only be handed in (variance_noise)
        out = scheduler.step(model_output, timestep, sample, variance_noise=noise)
        judge_step(
            config,
            int(arrays["timesteps"][index]),
            prev,
            reference_schedule=schedules[0],
            port_schedule=schedules[1],
            dtype_inputs=step_inputs,
            reference_outputs=tuple(arrays[n][position] for n in names),
            **port_step_outputs(out),
            dtype=dtype,
            case={**case, "step_index": int(index)},
            replay=replay_line,
        )
        checks += 2
    return checks + replay_recorded_noise(
        scheduler, arrays, spec["config"], schedules, dtype=dtype, case=case, replay=replay_line
    )
