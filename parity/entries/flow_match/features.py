"""What the conformance report checks of a FlowMatchEulerDiscreteScheduler port, row by row: one value away from
the defaults per constructor parameter (where it changes the reference's output: the seq-len and shift bounds only
through a pipeline's mu, which the pipeline reads from the port's own config), every set_timesteps path and
pipeline, steps and whole loops per dtype, the two ways a first step finds its index, per-token timesteps,
stochastic sampling, scale_noise's branches, error parity, config files. The API surface is parity.conformance's."""

from __future__ import annotations

from typing import Any

from parity.conformance import EXTENSION, Feature
from parity.entries.common.features import error_case, feature

from .enums import ENUMS, INVALID
from .shipped import MODELS, SHIPPED

__all__ = ["PARAMETER_CASES", "features"]

FLUX = {"pipeline": "flux", "height": 512, "width": 512, "steps": 8}


def _config(**changed: Any) -> dict[str, Any]:
    return {"num_train_timesteps": 1000, **changed}


def _schedule(config: dict[str, Any], schedule: dict[str, Any] | None = None, **case: Any) -> dict[str, Any]:
    return {"check": "schedule", "config": _config(**config), "schedule": schedule or {"num_inference_steps": 10},
            **case}  # fmt: skip


def _step(config: dict[str, Any], schedule: dict[str, Any] | None = None, *, dtype: str = "float32",
          steps: int = 3, **case: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "check": "step", "config": _config(**config), "schedule": schedule or {"num_inference_steps": 10},
        "dtype": dtype, "sample_dtype": case.pop("sample_dtype", dtype), "timestep_kind": "element",
        "start": "lookup", "start_index": 0, "steps": steps, "per_token": False, "shape": [1, 4, 6], "seed": 5,
        **case,
    }  # fmt: skip


def _noise(branch: str, dtype: str = "float32") -> dict[str, Any]:
    return {"check": "noise", "config": _config(shift=3.0), "schedule": {"num_inference_steps": 10}, "branch": branch,
            "dtype": dtype, "indices": [2, 5], "shape": [2, 3, 4], "seed": 9}  # fmt: skip


DYNAMIC = {"use_dynamic_shifting": True}
PARAMETER_CASES: dict[str, tuple[dict[str, Any], ...]] = {
    "num_train_timesteps": (_schedule({"num_train_timesteps": 500}),),
    "shift": (_schedule({"shift": 3.0}),),
    "use_dynamic_shifting": (_schedule(DYNAMIC, {"num_inference_steps": 10, "mu": 1.2}),),
    "base_shift": (_schedule({**DYNAMIC, "base_shift": 0.25}, FLUX),),
    "max_shift": (_schedule({**DYNAMIC, "max_shift": 2.0}, FLUX),),
    "base_image_seq_len": (_schedule({**DYNAMIC, "base_image_seq_len": 1024}, FLUX),),
    "max_image_seq_len": (_schedule({**DYNAMIC, "max_image_seq_len": 8192}, FLUX),),
    "invert_sigmas": (_schedule({"invert_sigmas": True}),),
    "shift_terminal": (_schedule({"shift_terminal": 0.1}),),
    "use_karras_sigmas": (_schedule({"use_karras_sigmas": True}),),
    "use_exponential_sigmas": (_schedule({"use_exponential_sigmas": True}),),
    "use_beta_sigmas": (_schedule({"use_beta_sigmas": True}),),
    "time_shift_type": (_schedule({**DYNAMIC, "time_shift_type": "linear"}, {"num_inference_steps": 10, "mu": 1.2}),),
    "stochastic_sampling": (_step({"stochastic_sampling": True}),),
}

PATHS = {
    "steps": {"num_inference_steps": 12},
    "sigmas": {"sigmas": [1.0, 0.8, 0.5, 0.3, 0.1]},
    "timesteps": {"timesteps": [1000.0, 750.0, 500.0, 250.0]},
    "both": {"sigmas": [1.0, 0.7, 0.3], "timesteps": [950.0, 600.0, 200.0]},
    "steps_and_sigmas": {"num_inference_steps": 3, "sigmas": [0.9, 0.5, 0.2]},
}


def _row(family: str, name: str, cases: tuple[dict, ...], topic: str = "", kind: str = "reference") -> Feature:
    needs = {"schedule": ("set_timesteps",), "step": ("set_timesteps", "step"), "noise": ("scale_noise",)}
    return Feature(family, name, cases, needs.get(cases[0]["check"], ()), kind, topic or cases[0]["check"])


def _shipped_for(pipeline: str) -> dict[str, Any]:
    """The settings (shift bounds, seq lengths) a pipeline row takes over its dynamic shifting: the config of the
    pipeline's first model in shipped.MODELS, less the file's own `_class_name` and `_diffusers_version`."""
    model = next(model for model, (name, *_) in MODELS.items() if name == pipeline)
    return {key: value for key, value in SHIPPED[model].items() if not key.startswith("_")}


def features() -> list[Feature]:
    """Every row of the flow-matching conformance report beyond the API surface, in the order it prints them."""
    rows = [_row("constructor behaviour", name, cases) for name, cases in PARAMETER_CASES.items()]
    rows += [
        _row("set_timesteps", path, (_schedule({"shift": 3.0}, args), _step({}, args))) for path, args in PATHS.items()
    ]
    rows += [
        _row("pipeline", name, (_schedule({**DYNAMIC, **_shipped_for(name)}, {**FLUX, "pipeline": name}),))
        for name in ENUMS["pipeline"] if name != "drawn"
    ]  # fmt: skip
    rows += [_row("set_shift", "set_shift, then set_timesteps", (_schedule({}, set_shift=2.5),))]
    rows += [
        _row("step", f"{dtype}, a whole loop", (_step({"shift": 3.0}, {"num_inference_steps": 8}, dtype=dtype, steps=8),))
        for dtype in ENUMS["dtype"]
    ]  # fmt: skip
    rows += [
        _row("step", "float32 sample, bfloat16 model output", (_step({}, dtype="bfloat16", sample_dtype="float32"),)),
        _row("step", "a Python float timestep", (_step({}, timestep_kind="float"),)),
        _row("step", "img2img: set_begin_index", (_step({}, start="begin_index", start_index=4),
                                                  _step({}, {"timesteps": [1000.0, 1000.0, 600.0, 300.0]}, steps=2,
                                                        start="begin_index", start_index=0))),
        _row("step", "the second index of a repeated timestep",
             (_step({}, {"timesteps": [1000.0, 1000.0, 600.0, 300.0]}, steps=2),)),
        _row("step", "per-token timesteps", (_step({}, per_token=True, steps=1),
                                             _step({}, per_token=True, tokens="ltx", start_index=3, steps=1))),
        _row("step", "stochastic sampling, an MLX key", (_step({"stochastic_sampling": True}, dtype="bfloat16",
                                                               noise_from="generator"),)),
    ]  # fmt: skip
    rows += [_row("scale_noise", branch, (_noise(branch), _noise(branch, "bfloat16"))) for branch in ENUMS["branch"]]
    rows += [feature("error parity", kind, (error_case(kind, value),)) for kind, value in INVALID.items()]
    rows += [
        _row("config round trip", name, ({"check": "config", "shipped": name},), "config files") for name in SHIPPED
    ]
    rows += [_row("step", "step output (FlowMatchEulerDiscreteSchedulerOutput)", ({"check": "output", "config": {}},),
                  "API", "api")]  # fmt: skip
    rows += [_row("extension", "stochastic sampling with variance_noise",
                  (_step({"stochastic_sampling": True}, noise_from="variance_noise"),), kind=EXTENSION)]  # fmt: skip
    return rows
