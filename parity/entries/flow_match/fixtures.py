"""What a flow-matching fixture holds, how it is recorded from the reference, and how a port is judged against it
(torch-free: the same judge and policy as the live gate).

A fixture is a whole denoising loop as a model's pipeline runs it: the model's shipped config (shipped.py) loaded
through from_config, set_timesteps with the arguments its diffusers pipeline computes (pipelines.py, at the
resolution and step count named; stored as given, so the replay needs no pipeline code), from the first step or
from a begin index (img2img), in the dtype MLX pipelines run; the rare paths besides. Stored: sigmas, timesteps, every
step's sample, model output, noise (stochastic sampling) and prev_sample, and scale_noise at the begin index.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np

from parity.compare import assert_same
from parity.entries.common import fixtures as common
from parity.entries.common.judge import port_arrays, port_output
from parity.tolerances import tolerance

from . import judge, pipelines
from .shipped import MODELS, SHIPPED

__all__ = ["CANONICAL", "CASE_DTYPE_ARRAYS", "describe", "promoted", "recorded", "replay", "tolerances_for"]

TRAJECTORY = ("sample", "model_output", "noise", "prev_sample")
CASE_DTYPE_ARRAYS = ("sample", "model_output", "prev_sample", "scale_noise_sample", "scale_noise_noise", "scale_noise")


def _spec(config: dict, schedule: dict, *, dtype: str = "bfloat16", begin: int | None = None, **info: Any) -> dict:
    return {"config": config, "schedule": schedule, "dtype": dtype, "begin_index": begin, "shape": [1, 16, 8],
            "seed": 0, **info}  # fmt: skip


def _pipeline(model: str, pipeline: str, height: int, width: int, steps: int, **case: Any) -> dict:
    """A model's loop as its pipeline sets it up."""
    schedule = pipelines.SCHEDULES[pipeline](SHIPPED[model], height, width, steps)
    return _spec(SHIPPED[model], schedule, pipeline=f"{pipeline} {height}x{width}, {steps} steps", **case)


# The canonical cases: each model's loop as its pipeline runs it (its default resolution and step count, in the dtype
# MLX pipelines run it), then the rare paths on small configs.
CANONICAL: dict[str, dict[str, Any]] = {
    **{model: _pipeline(model, *how) for model, how in MODELS.items() if model in SHIPPED},
    "flux1-dev-img2img-float32": _pipeline("flux1-dev", "flux", 512, 768, 20, dtype="float32", begin=8),
    "sd3-medium-float16": _pipeline("sd3-medium", "sd3", 1024, 1024, 28, dtype="float16"),
    "karras-sigmas": _spec({"shift": 3.0, "use_karras_sigmas": True}, {"num_inference_steps": 20}),
    "exponential-sigmas-terminal": _spec(
        {"use_exponential_sigmas": True, "shift_terminal": 0.1, "use_dynamic_shifting": True},
        {"num_inference_steps": 20, "mu": 0.8},
    ),
    "linear-time-shift": _spec(
        {"use_dynamic_shifting": True, "time_shift_type": "linear"}, {"sigmas": [1.0, 0.75, 0.5, 0.25], "mu": 2.0}
    ),
    "invert-sigmas": _spec({"invert_sigmas": True, "shift": 3.0}, {"num_inference_steps": 12}, dtype="float32"),
    "custom-timesteps": _spec({"shift": 3.0}, {"timesteps": [1000.0, 800.0, 500.0, 200.0, 50.0]}, dtype="float32"),
    "stochastic-sampling": _spec(
        {"stochastic_sampling": True, "shift": 3.0}, {"num_inference_steps": 10}, dtype="float32"
    ),
}


def describe(source: str) -> dict[str, str]:
    return {
        "loaded_with": "FlowMatchEulerDiscreteScheduler.from_config(case.config), then set_timesteps(**case.schedule)",
        "inputs": "sample_0, model outputs and noise: numpy default_rng(case.seed) standard normals, rounded to "
        "case.dtype (noise float32); each later sample is the reference's own prev_sample (free-running)",
    }


def recorded(spec: dict[str, Any], step_indices: list[int] | None = None) -> dict[str, np.ndarray]:
    """Run the reference's loop and collect every array of a fixture."""
    from .reference import TorchFlowMatchScheduler, drawing, reference_module, to_numpy, to_torch

    dtype, shape = spec["dtype"], tuple(spec["shape"])
    scheduler = TorchFlowMatchScheduler.from_config(dict(spec["config"]))
    scheduler.set_timesteps(**spec["schedule"])
    begin = spec["begin_index"]
    if begin is not None:
        scheduler.set_begin_index(begin)
    arrays = {"sigmas": to_numpy(scheduler.sigmas), "timesteps": to_numpy(scheduler.timesteps)}
    rng = np.random.default_rng(spec["seed"])
    noise_input = to_torch(rng.standard_normal((2, *shape[1:])).astype(np.float32), dtype)
    sample_input = to_torch(rng.standard_normal((2, *shape[1:])).astype(np.float32), dtype)
    timesteps = scheduler.timesteps[[begin or 0, begin or 0]]
    arrays.update(scale_noise_sample=to_numpy(sample_input), scale_noise_noise=to_numpy(noise_input),
                  scale_noise=to_numpy(scheduler.scale_noise(sample_input, timesteps, noise_input)))  # fmt: skip
    steps: dict[str, list[np.ndarray]] = {name: [] for name in TRAJECTORY}
    sample = to_torch(rng.standard_normal(shape).astype(np.float32), dtype)
    for index in range(begin or 0, len(scheduler.timesteps)):
        model_output = to_torch(rng.standard_normal(shape).astype(np.float32), dtype)
        noise = to_torch(rng.standard_normal(shape).astype(np.float32), "float32")
        with drawing(reference_module, noise):
            prev_sample = scheduler.step(model_output, scheduler.timesteps[index], sample, return_dict=False)[0]
        for name, value in zip(TRAJECTORY, (sample, model_output, noise, prev_sample), strict=True):
            steps[name].append(to_numpy(value))
        sample = prev_sample
    arrays.update({name: np.stack(values) for name, values in steps.items()})
    return arrays


def tolerances_for(spec: dict[str, Any]) -> dict[str, Any]:
    keys = [("sigmas", "float32"), ("timesteps", "float32"), ("step", spec["dtype"]), ("noise", spec["dtype"])]
    return {f"{key} {dtype}": asdict(tolerance(key, dtype)) for key, dtype in keys}


def promoted(case: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, np.ndarray]]:
    """A failing step case (the JSON of a replay line) as a fixture: its config and schedule, its loop whole."""
    from .checks import schedule_args

    name = common.promoted_name(case)
    begin = case["start_index"] if case["start"] == "begin_index" else None
    spec = _spec(case["config"], schedule_args(case, case["config"]), dtype=case["dtype"], begin=begin)
    return name, spec, recorded(spec)


def replay(manifest: dict[str, Any], arrays: dict[str, np.ndarray], name: str) -> int:
    """Judge the port under test against one recorded fixture (raises ParityError); returns the comparisons made."""
    import mlx.core as mx

    from parity import port

    spec, case, replay_line = common.replay_context(manifest, name)
    dtype, facts = spec["dtype"], {"case": case, "replay": replay_line}
    scheduler = port.adapter().load(dict(spec["config"]))
    scheduler.set_timesteps(**spec["schedule"])
    config = port.full_config(spec["config"])
    exposed = scheduler.exposed(judge.SCHEDULE_ARRAYS)
    judge.judge_schedule(config, spec["schedule"], reference_arrays={key: arrays[key] for key in exposed},
                         **port_arrays(exposed), set_shift=None, **facts)  # fmt: skip
    begin = spec["begin_index"]
    if begin is not None:
        scheduler.call("set_begin_index", begin)
    sample, noise = (port.to_mlx(arrays[f"scale_noise_{key}"], dtype) for key in ("sample", "noise"))
    got = scheduler.call("scale_noise", sample, mx.array(arrays["timesteps"][[begin or 0, begin or 0]]), noise)
    judge.judge_scale_noise(
        arrays["sigmas"], sigma_indices=None, fixed_index=begin or 0, inputs=(arrays["scale_noise_sample"],
        arrays["scale_noise_noise"]), reference_output=arrays["scale_noise"], **port_output(got), dtype=dtype, **facts,
    )  # fmt: skip
    stochastic = config["stochastic_sampling"]
    for position, index in enumerate(range(begin or 0, len(arrays["timesteps"]))):
        sample, model_output, noise = (arrays[key][position] for key in ("sample", "model_output", "noise"))
        kwargs = {"variance_noise": port.to_mlx(noise, "float32")} if stochastic else {}  # the recorded draw
        out = scheduler.step(port.to_mlx(model_output, dtype), scheduler.timestep(index, "element"),
                             port.to_mlx(sample, dtype), **kwargs)[0]  # fmt: skip
        judge.judge_step(
            config, arrays["sigmas"][index], arrays["sigmas"][index + 1], inputs=(sample, model_output, noise),
            per_token=None, reference_output=arrays["prev_sample"][position],
            **port_output(out), dtype=dtype, case={**case, "index": index}, replay=replay_line,
        )  # fmt: skip
    assert_same("step count", len(arrays["prev_sample"]), position + 1, **facts)
    return 3 + position + 1
