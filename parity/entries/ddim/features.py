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

from parity.conformance import Feature
from parity.entries.common import features as common
from parity.entries.common.features import feature

from . import UPSTREAM
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


# One value away from the default for each constructor argument, checked where it shows: those DDIM shares with
# DDPM (parity.entries.common.features.shared_parameter_cases) and its own, in the constructor's order.
PARAMETER_CASES: dict[str, tuple[dict[str, Any], ...]] = common.in_constructor_order(
    {
        **common.shared_parameter_cases(_step, _schedule),
        "beta_schedule": (_schedule({"beta_schedule": "scaled_linear"}, "arrays"),),
        # final_alpha_cumprod, and the last step that uses it (the step is judged given the port's own schedule)
        "set_alpha_to_one": (
            _schedule({"set_alpha_to_one": False}, "arrays"),
            _step({"set_alpha_to_one": False}, index=9),
        ),
    },
    UPSTREAM,
    "DDIMScheduler",
)

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
    rows = common.parameter_and_schedule_rows(PARAMETER_CASES, _schedule, ENUMS)
    rows += common.prediction_type_rows(_step, ENUMS["prediction_type"])
    rows += [
        common.clip_sample_row(_step),
        feature(
            "clipping", "use_clipped_model_output", (_step({"clip_sample_range": 0.5}, eta=0.5, use_clipped=True),)
        ),
        common.thresholding_row(_step, {"prediction_type": "v_prediction"}),
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
    rows += common.timestep_kind_rows(_step, ENUMS["timestep_kind"])
    rows += [
        feature("method", "step", (_step({}),)),
        feature("method", "step output (DDIMSchedulerOutput)", ({"check": "output", "config": {}},)),
        feature(
            "method", "set_timesteps", (_schedule({}, "timesteps"), _schedule({"num_train_timesteps": 37}, "timesteps"))
        ),
        feature("method", "_get_variance", (_schedule({}, "variance"),)),
    ]
    return rows + common.noise_error_config_rows(ENUMS["dtype"], INVALID_VALUES, SHIPPED)
