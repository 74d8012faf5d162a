"""What a DDIM fixture holds, how it is recorded from the reference, and how the port is judged against it.

The engine (parity/fixtures.py) stores, verifies, lists, diffs and replays fixtures; this module says what goes in
one: the canonical cases, the reference's arrays (schedule, timesteps, a free-running trajectory with every step's
inputs and outputs, add_noise and get_velocity), and the judging of a port against them (torch-free: the same
`judge_step` and tolerance policy as the live gate).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity.compare import assert_same
from parity.entries.common import fixtures as common
from parity.entries.common.judge import port_step_outputs, replay_recorded_noise

from .judge import SCHEDULE_ARRAYS, judge_schedule, judge_step
from .shipped import SD15, SD21, SDXL

__all__ = ["CANONICAL", "CASE_DTYPE_ARRAYS", "describe", "promoted", "recorded", "replay", "tolerances_for"]

TRAJECTORY_ARRAYS = ("sample", "model_output", "noise", "prev_sample", "pred_original_sample")
# The arrays stored in the case's dtype (as float32 holding those values); the others are float32 or integers.
CASE_DTYPE_ARRAYS = (*TRAJECTORY_ARRAYS, "add_noise", "get_velocity")

_SMALL = [1, 2, 4, 4]


def _spec(config: dict, steps: int, **case: Any) -> dict[str, Any]:
    return {
        "config": config,
        "num_inference_steps": steps,
        "dtype": case.get("dtype", "float32"),
        "eta": case.get("eta", 0.0),
        "use_clipped_model_output": case.get("use_clipped_model_output", False),
        "shape": case.get("shape", [1, 4, 8, 8]),
        "seed": case.get("seed", 0),
    }


# The canonical cases: the configs that real models ship, loaded through from_config, and the rare paths.
CANONICAL: dict[str, dict[str, Any]] = {
    "sd15": _spec(SD15, 50),
    "sd21-v-prediction": _spec(SD21, 50),
    "sdxl": _spec(SDXL, 50),
    "zero-snr-trailing-v": _spec(
        {"rescale_betas_zero_snr": True, "timestep_spacing": "trailing", "prediction_type": "v_prediction"}, 30
    ),
    "pixel-dynamic-thresholding": _spec(
        {"thresholding": True, "sample_max_value": 1.5, "dynamic_thresholding_ratio": 0.95}, 50, shape=[2, 3, 8, 8]
    ),
    "squaredcos-cap-v2": _spec({"beta_schedule": "squaredcos_cap_v2"}, 50),
    "prediction-sample": _spec({"prediction_type": "sample", "clip_sample_range": 2.0}, 25),
    "linspace-spacing": _spec({"timestep_spacing": "linspace", "clip_sample": False}, 25),
    "trained-betas": _spec(
        {"num_train_timesteps": 100, "trained_betas": np.linspace(1e-4, 0.05, 100).round(8).tolist()}, 20
    ),
    "eta-1-variance-noise": _spec({}, 20, eta=1.0, use_clipped_model_output=True),
    "float16-sd15": _spec(SD15, 30, dtype="float16"),
    "bfloat16-zero-snr": _spec(
        {"rescale_betas_zero_snr": True, "timestep_spacing": "trailing", "prediction_type": "v_prediction"},
        30,
        dtype="bfloat16",
    ),
    "steps-1": _spec({}, 1),
    "steps-7": _spec({"steps_offset": 1}, 7),
    "steps-37": _spec({"timestep_spacing": "trailing"}, 37),
    "steps-999": _spec({"clip_sample": False}, 999, shape=_SMALL),
    "steps-1000": _spec({"timestep_spacing": "trailing"}, 1000, shape=_SMALL),
}


def describe(source: str) -> dict[str, str]:
    """What a manifest says of how the fixture was made."""
    return {
        "loaded_with": "DDIMScheduler.from_config(case.config)",
        "inputs": "sample_0, model outputs and variance noise: numpy default_rng(case.seed) standard normals, "
        "rounded to case.dtype; each later sample is the reference's own prev_sample (free-running)"
        if source == "canonical"
        else "the promoted case's inputs (parity.entries.ddim.cases.inputs), one step",
    }


def recorded(spec: dict[str, Any], step_indices: list[int] | None, inputs_for=None) -> dict[str, np.ndarray]:
    """Run the reference and collect every array of a fixture. Free-running unless `inputs_for` gives a step's
    (sample, model_output, noise)."""
    from parity.entries.common import torch_arrays

    from . import reference

    dtype = spec["dtype"]
    scheduler = reference.TorchDDIMScheduler.from_config(dict(spec["config"]))
    scheduler.set_timesteps(spec["num_inference_steps"])
    arrays = common.recorded_schedule(scheduler, spec["config"], SCHEDULE_ARRAYS)  # final_alpha_cumprod: 0-dim
    rng = np.random.default_rng(spec["seed"])
    shape = tuple(spec["shape"])
    indices = list(range(len(arrays["timesteps"]))) if step_indices is None else step_indices
    trajectory: dict[str, list[np.ndarray]] = {name: [] for name in TRAJECTORY_ARRAYS}
    sample = reference.to_torch(rng.standard_normal(shape).astype(np.float32), dtype)
    for index in indices:
        if inputs_for is not None:
            sample, model_output, noise = (reference.to_torch(a, dtype) for a in inputs_for(index))
        else:
            model_output = reference.to_torch(rng.standard_normal(shape).astype(np.float32), dtype)
            noise = reference.to_torch(rng.standard_normal(shape).astype(np.float32), dtype)
        out = scheduler.step(
            model_output,
            scheduler.timesteps[index],
            sample,
            eta=spec["eta"],
            use_clipped_model_output=spec["use_clipped_model_output"],
            variance_noise=noise,
        )
        for name, value in zip(TRAJECTORY_ARRAYS, (sample, model_output, noise, *out.to_tuple()), strict=True):
            trajectory[name].append(reference.to_numpy(value))
        sample = out.prev_sample  # free-running: the reference's own output is the next input
    arrays.update({name: np.stack(values) for name, values in trajectory.items()})
    arrays["step_indices"] = np.array(indices, np.int64)
    # add_noise and get_velocity at per-sample timesteps spanning the schedule
    torch_arrays.recorded_noise(scheduler, arrays, rng, shape, dtype)
    return arrays


def tolerances_for(spec: dict[str, Any]) -> dict[str, Any]:
    zero_snr = spec["config"].get("rescale_betas_zero_snr", False)
    return common.tolerances(spec, "schedule_zero_snr" if zero_snr else "schedule")


def promoted(case: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, np.ndarray]]:
    """A parity failure's replay case (check "step") as a fixture: its name, spec and the reference's arrays."""
    from .cases import inputs

    name = common.promoted_name(case)
    spec = _spec(
        case["config"],
        case["num_inference_steps"],
        dtype=case["dtype"],
        eta=case["eta"],
        use_clipped_model_output=case["use_clipped_model_output"],
        shape=case["shape"],
        seed=case["seed"],
    )
    from . import reference

    scheduler = reference.TorchDDIMScheduler.from_config(dict(case["config"]))
    scheduler.set_timesteps(case["num_inference_steps"])
    index = case["step_index"] % len(scheduler.timesteps)
    arrays = recorded(spec, [index], inputs_for=lambda _: inputs(tuple(case["shape"]), case["seed"], magnitude=1.5))
    return name, spec, arrays


def replay(manifest: dict[str, Any], arrays: dict[str, np.ndarray], name: str) -> int:
    """Judge the port under test against one recorded fixture; raises ParityError on a disagreement. Returns the
    number of comparisons made."""

    from parity import port

    spec, case, replay_line = common.replay_context(manifest, name)
    dtype = spec["dtype"]
    scheduler = port.adapter().load(dict(spec["config"]))
    scheduler.set_timesteps(spec["num_inference_steps"])
    config = port.full_config(spec["config"])
    checks = 0
    timesteps = port.to_numpy(scheduler.attribute("timesteps"))
    assert_same("timesteps", arrays["timesteps"], timesteps, case=case, replay=replay_line)
    exposed = scheduler.exposed(SCHEDULE_ARRAYS)  # the arrays the port has (one it lacks: the API rows' gap)
    checks += common.replay_schedule(exposed, arrays, spec["config"], judge_schedule, case=case, replay=replay_line)
    schedules = common.replayed_schedules(arrays, exposed, "final_alpha_cumprod")  # the reference's, the port's
    names = ("prev_sample", "pred_original_sample")
    for position, index in enumerate(arrays["step_indices"]):
        step_inputs, (sample, model_output, noise) = common.recorded_step(arrays, position, dtype)
        noise_kwargs = {"variance_noise": noise} if spec["eta"] > 0 else {}
        out = scheduler.step(  # the numbers, as in the live gate (parity.entries.ddim.checks.check_step)
            model_output,
            scheduler.timestep(int(index), "element"),
            sample,
            eta=spec["eta"],
            use_clipped_model_output=spec["use_clipped_model_output"],
            **noise_kwargs,
        )
        judge_step(
            config,
            spec["num_inference_steps"],
            int(arrays["timesteps"][index]),
            reference_schedule=schedules[0],
            port_schedule=schedules[1],
            inputs=step_inputs,
            dtype_inputs=step_inputs,
            reference_outputs=tuple(arrays[n][position] for n in names),
            **port_step_outputs(out),
            dtype=dtype,
            eta=spec["eta"],
            use_clipped=spec["use_clipped_model_output"],
            case={**case, "step_index": int(index)},
            replay=replay_line,
        )
        checks += 2
    return checks + replay_recorded_noise(
        scheduler, arrays, spec["config"], schedules, dtype=dtype, case=case, replay=replay_line
    )
