"""What the conformance report checks of a DDIMScheduler port, feature by feature.

Each feature is a family, a name and a few replayable cases (parity.replay runs them: the same runners and judge as
the gate); the methods it needs (a port without one gets "blocked", not "fail") and its summary topic follow from
its cases (parity.entries.common.features.feature). Each case varies one thing from diffusers' defaults, so a
failing row points at that thing; a constructor parameter's case is one where that parameter changes the
reference's output (a meta-test checks it: parity/meta_tests/test_conformance.py). Each row asks only for what it
is about: a step row for `step`, a noise row for its method; what this project's port offers beyond diffusers'
API has rows of its own (family "extension"). The API surface (every member, every constructor parameter, every
instance attribute, the output's mapping protocol and the config's behaviour) comes from the introspected surface
check (parity.surface) and is added by parity.conformance.
"""

from __future__ import annotations

from typing import Any

from parity.conformance import EXTENSION, Feature
from parity.entries.common.features import error_case, feature, noise_case

from .enums import ENUMS
from .shipped import SHIPPED

__all__ = ["features"]

SHAPE = [2, 3, 8, 8]


def _step(config: dict[str, Any], *, dtype: str = "float32", eta: float = 0.0, steps: int = 10, index: int = 3,
          use_clipped: bool = False, kind: str = "int", shape: list[int] | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "check": "step",
        "config": {"num_train_timesteps": 1000, **config},
        "num_inference_steps": steps,
        "step_index": index,
        "dtype": dtype,
        "shape": shape or SHAPE,
        "eta": eta,
        "use_clipped_model_output": use_clipped,
        "timestep_kind": kind,
        "seed": 7,
    }


def _schedule(config: dict[str, Any], *parts: str) -> dict[str, Any]:
    """A schedule case: its arrays, timesteps and _get_variance, or only the `parts` named."""
    n = config.get("num_train_timesteps", 1000)
    pairs = [[n - 1, n // 2], [n // 2, 0], [n // 3, -1]]
    case = {"check": "schedule", "config": {"num_train_timesteps": n, **config}, "variance_pairs": pairs}
    return {**case, "parts": list(parts)} if parts else case


# One value away from the default for each constructor argument, checked where it shows.
PARAMETER_CASES: dict[str, tuple[dict[str, Any], ...]] = {
    "num_train_timesteps": (_schedule({"num_train_timesteps": 997}), _step({"num_train_timesteps": 997})),
    "beta_start": (_schedule({"beta_start": 0.001}, "arrays"),),
    "beta_end": (_schedule({"beta_end": 0.03}, "arrays"),),
    "beta_schedule": (_schedule({"beta_schedule": "scaled_linear"}, "arrays"),),
    "trained_betas": (
        _schedule({"num_train_timesteps": 8, "trained_betas": [0.01 * (i + 1) for i in range(8)]}, "arrays"),
    ),
    "clip_sample": (_step({"clip_sample": False, "prediction_type": "sample"}),),
    # final_alpha_cumprod, and the last step that uses it (the step is judged given the port's own schedule)
    "set_alpha_to_one": (_schedule({"set_alpha_to_one": False}, "arrays"), _step({"set_alpha_to_one": False}, index=9)),
    "steps_offset": (_schedule({"steps_offset": 1}, "timesteps"), _step({"steps_offset": 1})),
    "prediction_type": (_step({"prediction_type": "v_prediction"}),),
    # with clipping on and sample_max_value 1, thresholding clamps to [-1, 1] as clipping does: no difference
    "thresholding": (_step({"thresholding": True, "clip_sample": False}),),
    # with sample_max_value 1, every ratio's threshold is clamped to 1: a large one lets the ratio show
    "dynamic_thresholding_ratio": (
        _step({"thresholding": True, "dynamic_thresholding_ratio": 0.9, "sample_max_value": 1000.0}),
    ),
    "clip_sample_range": (_step({"clip_sample_range": 0.5}),),
    "sample_max_value": (_step({"thresholding": True, "sample_max_value": 1.5}),),
    "timestep_spacing": (_schedule({"timestep_spacing": "trailing"}, "timesteps"),),
    "rescale_betas_zero_snr": (_schedule({"rescale_betas_zero_snr": True}, "arrays"),),
}

INVALID_VALUES: dict[str, Any] = {
    "num_inference_steps": 1001,
    "timestep": 1000,
    "beta_schedule": "cosine",
    "prediction_type": "noise",
    "timestep_spacing": "uniform",
    "dynamic_thresholding_ratio": 1.5,
    "add_noise_timestep": 1000,
}


def features() -> list[Feature]:
    """Every row of the DDIM conformance report beyond the API surface, in the order the report prints them."""
    rows = [feature("constructor behaviour", name, cases) for name, cases in PARAMETER_CASES.items()]
    rows += [
        feature("schedule", kind, (_schedule({"beta_schedule": kind}, "arrays"),)) for kind in ENUMS["beta_schedule"]
    ]
    rows += [
        feature("schedule", "trained betas", PARAMETER_CASES["trained_betas"]),
        feature("schedule", "zero terminal SNR", PARAMETER_CASES["rescale_betas_zero_snr"]),
    ]
    rows += [
        feature(
            "timestep spacing", spacing, (_schedule({"timestep_spacing": spacing, "steps_offset": 1}, "timesteps"),)
        )
        for spacing in ENUMS["timestep_spacing"]
    ]
    rows += [
        feature(
            "prediction type",
            kind,
            (_step({"prediction_type": kind, "clip_sample": False}), _step({"prediction_type": kind})),
        )
        for kind in ENUMS["prediction_type"]
    ]
    rows += [
        feature("clipping", "clip_sample", (_step({"clip_sample": True, "clip_sample_range": 0.5}),)),
        feature(
            "clipping", "use_clipped_model_output", (_step({"clip_sample_range": 0.5}, eta=0.5, use_clipped=True),)
        ),
        feature(
            "thresholding",
            "dynamic thresholding",
            (
                _step({"thresholding": True, "dynamic_thresholding_ratio": 0.9, "sample_max_value": 1.5}),
                _step({"thresholding": True, "prediction_type": "v_prediction"}, dtype="float16"),
            ),
        ),
    ]
    rows += [
        feature("eta", f"eta = {eta:g}", (_step({}, eta=eta), _step({"prediction_type": "v_prediction"}, eta=eta)))
        for eta in (0.0, 0.5, 1.0)
    ]
    rows += [
        feature(
            "dtype", dtype, (_step({}, dtype=dtype), _step({"prediction_type": "v_prediction"}, dtype=dtype, eta=1.0))
        )
        for dtype in ENUMS["dtype"]
    ]
    rows += [feature("timestep kind", kind, (_step({}, kind=kind),)) for kind in ENUMS["timestep_kind"]]
    rows += [
        feature("method", "step", (_step({}),)),
        feature("method", "step output (DDIMSchedulerOutput)", ({"check": "output", "config": {}},)),
        feature(
            "method", "set_timesteps", (_schedule({}, "timesteps"), _schedule({"num_train_timesteps": 37}, "timesteps"))
        ),
        feature("method", "_get_variance", (_schedule({}, "variance"),)),
    ]
    rows += [
        feature("noise", f"{method} ({dtype})", (noise_case(method, dtype),))
        for method in ("add_noise", "get_velocity")
        for dtype in ENUMS["dtype"]
    ]
    rows += [
        feature("extension", f"{method} with numpy timesteps", (noise_case(method, timesteps_as="numpy"),), EXTENSION)
        for method in ("add_noise", "get_velocity")
    ]
    rows += [feature("error parity", kind, (error_case(kind, value),)) for kind, value in INVALID_VALUES.items()]
    rows += [feature("config round trip", name, ({"check": "config", "shipped": name},)) for name in SHIPPED]
    return rows
