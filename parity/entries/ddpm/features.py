"""What the conformance report checks of a DDPMScheduler port, feature by feature.

Each feature is a family, a name and a few replayable cases (parity.replay runs them: the same runners and judge as
the gate); the methods it needs and its summary topic follow from its cases (parity.entries.common.features). Each
case varies one thing from diffusers' defaults, so a failing row points at that thing; a constructor parameter's
case is one where that parameter changes the reference's output. A step row reaches the port's noise through
diffusers' API (an MLX key, the reference fed the same draw) unless the port also takes `variance_noise`, this
project's extension, which has its own row. The API surface comes from the introspected surface check
(parity.surface) and is added by parity.conformance.
"""

from __future__ import annotations

from typing import Any

from parity.conformance import EXTENSION, Feature
from parity.entries.common import features as common
from parity.entries.common.features import feature

from . import UPSTREAM
from .shipped import SHIPPED
from .strategies import ENUMS, LEARNED

__all__ = ["features"]

SHAPE = [2, 3, 8, 8]
CUSTOM = [999, 800, 600, 400, 200, 50, 1, 0]


def _step(config: dict[str, Any], *, dtype: str = "float32", steps: int | None = 10, index: int = 3,
          kind: str = "int", custom: list[int] | None = None, check: str = "step") -> dict[str, Any]:  # fmt: skip
    schedule_kind = "custom_timesteps" if custom else "num_inference_steps" if steps else "unset"
    return {
        "check": check,
        "config": {"num_train_timesteps": 1000, **config},
        "schedule_kind": schedule_kind,
        "num_inference_steps": None if custom else steps,
        "custom_timesteps": custom,
        "step_index": index,
        "dtype": dtype,
        "shape": SHAPE,
        "doubled": config.get("variance_type") in LEARNED,
        "timestep_kind": kind,
        "seed": 7,
    }


def _schedule(config: dict[str, Any], *parts: str, custom: list[int] | None = None) -> dict[str, Any]:
    """A schedule case: its arrays, timesteps and _get_variance, or only the `parts` named."""
    n = config.get("num_train_timesteps", 1000)
    case = {
        "check": "schedule",
        "config": {"num_train_timesteps": n, **config},
        "num_inference_steps": None if custom else 10,
        "custom_timesteps": custom,
        "variance_indices": [0, 4, 9],
    }
    return {**case, "parts": list(parts)} if parts else case


# One value away from the default for each constructor argument, checked where it shows: those DDPM shares with
# DDIM (parity.entries.common.features.shared_parameter_cases) and its own, in the constructor's order.
PARAMETER_CASES: dict[str, tuple[dict[str, Any], ...]] = common.in_constructor_order(
    {
        **common.shared_parameter_cases(_step, _schedule),
        "beta_schedule": (_schedule({"beta_schedule": "sigmoid"}, "arrays"),),
        "variance_type": (
            _step({"variance_type": "fixed_large"}),
            _schedule({"variance_type": "fixed_large"}, "variance"),
        ),
    },
    UPSTREAM,
    "DDPMScheduler",
)

INVALID_VALUES: dict[str, Any] = {
    "num_inference_steps": 1001,
    "beta_schedule": "cosine",
    "variance_type": "fixed",
    "prediction_type": "noise",
    "timestep_spacing": "uniform",
    "dynamic_thresholding_ratio": 1.5,
    "add_noise_timestep": 1000,
    "timestep_out_of_range": 1000,
    "timestep_not_in_schedule": [10, 5],
    "custom_timesteps": [10, 20],
    "both_arguments": [10, [999, 0]],
    "neither_argument": None,
    "learned_without_variance": "learned_range",
}


def features() -> list[Feature]:
    """Every row of the DDPM conformance report beyond the API surface, in the order the report prints them."""
    rows = common.parameter_and_schedule_rows(PARAMETER_CASES, _schedule, ENUMS)
    rows += [
        feature("timestep spacing", "custom timesteps", (_schedule({}, "timesteps", custom=CUSTOM),)),
        feature("timestep spacing", "custom timesteps, step", (_step({}, custom=CUSTOM),)),
        feature("timestep spacing", "whole training chain (no set_timesteps)", (_step({}, steps=None, index=500),)),
    ]
    rows += common.prediction_type_rows(_step, ENUMS["prediction_type"])
    rows += [feature("variance type", str(kind), (_step({"variance_type": kind}),)) for kind in ENUMS["variance_type"]]
    rows += [
        feature("variance type", f"_get_variance, {kind}", (_schedule({"variance_type": kind}, "variance"),))
        for kind in ENUMS["variance_type"]
    ]
    rows += [common.clip_sample_row(_step), common.thresholding_row(_step, {"variance_type": "learned_range"})]
    rows += [
        feature(
            "dtype",
            dtype,
            (
                _step({}, dtype=dtype),
                _step({"variance_type": "learned_range", "prediction_type": "v_prediction"}, dtype=dtype),
            ),
        )
        for dtype in ENUMS["dtype"]
    ]
    rows += common.timestep_kind_rows(_step, ENUMS["timestep_kind"])
    rows += [
        feature("method", "step", (_step({}),)),
        feature("method", "step output (DDPMSchedulerOutput)", ({"check": "output", "config": {}},)),
        feature("method", "step with a generator (an MLX key)", (_step({}, check="generator"),)),
        feature(
            "method", "set_timesteps", (_schedule({}, "timesteps"), _schedule({"num_train_timesteps": 37}, "timesteps"))
        ),
        feature("method", "previous_timestep", (_schedule({}, "timesteps", "previous_timestep", custom=CUSTOM),)),
        feature("method", "_get_variance", (_schedule({}, "variance"),)),
    ]
    variance_noise = feature("extension", "step with variance_noise", (_step({}, check="variance_noise"),), EXTENSION)
    return rows + common.noise_error_config_rows(ENUMS["dtype"], INVALID_VALUES, SHIPPED, (variance_noise,))
