"""Conformance-row cases that diffusers' schedulers share (add_noise / get_velocity and invalid inputs), and the rows
that the DDPM-family entries (DDIM, DDPM) share: the constructor parameters' cases, the schedule and spacing rows,
prediction types, clipping and thresholding, timestep kinds, noise, extensions, errors and config files. Each entry
builds them from its own step and schedule cases and adds its own rows, in its report's order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = [
    "clip_sample_row",
    "error_case",
    "feature",
    "in_constructor_order",
    "needs",
    "noise_case",
    "noise_error_config_rows",
    "parameter_and_schedule_rows",
    "prediction_type_rows",
    "shared_parameter_cases",
    "thresholding_row",
    "timestep_kind_rows",
    "topic",
]


def noise_case(
    method: str, dtype: str = "float32", config: dict[str, Any] | None = None, timesteps_as: str | None = None
) -> dict[str, Any]:
    """add_noise or get_velocity at three per-sample timesteps of a 1000-step schedule (given to the port as an
    `mx.array`, or as `timesteps_as` says: "numpy", an extension of this project's port)."""
    given = {"timesteps_as": timesteps_as} if timesteps_as else {}
    return {
        **given,
        "check": "noise",
        "config": {"num_train_timesteps": 1000, **(config or {})},
        "method": method,
        "dtype": dtype,
        "shape": [3, 4, 5],
        "timesteps": [999, 500, 0],
        "timesteps_layout": "per-sample",
        "seed": 3,
    }


def error_case(invalid: str, value: Any, **config: Any) -> dict[str, Any]:
    """One invalid input of the given kind, for a 1000-step config."""
    return {"check": "error", "config": {"num_train_timesteps": 1000, **config}, "invalid": invalid, "value": value}


def topic(cases: tuple[dict[str, Any], ...]) -> str:
    """The summary topic of a row of diffusers' DDPM-family schedulers, from its first case: the schedule, its
    timestep spacing, the step per prediction type, noise, errors, config files."""
    case = cases[0] if cases else {}
    check = case.get("check")
    if check == "schedule":
        return "timestep spacing" if case.get("parts") == ["timesteps"] else "schedule"
    if check in ("step", "generator", "variance_noise"):
        return f"step ({case.get('config', {}).get('prediction_type', 'epsilon')})"
    return {"noise": "noise", "error": "errors", "config": "config files", "output": "API"}.get(check, "other")


def needs(cases: tuple[dict[str, Any], ...]) -> tuple[str, ...]:
    """The methods a row's cases call, beyond building the port: what a port must have for the row to run."""
    found: list[str] = []
    for case in cases:
        check = case.get("check")
        if check == "schedule":
            parts = case.get("parts", ("arrays", "timesteps", "variance"))
            found += ["set_timesteps"] * ("timesteps" in parts or "variance" in parts)
            found += ["_get_variance"] * ("variance" in parts)
        elif check in ("step", "generator", "variance_noise", "output"):
            found += ["set_timesteps", "step"]
        elif check == "noise":
            found.append(case["method"])
        elif check == "config":
            found += ["from_config", "save_pretrained", "from_pretrained"]
    return tuple(dict.fromkeys(found))


def feature(family: str, name: str, cases: tuple[dict[str, Any], ...], kind: str = "reference"):
    """A conformance row (parity.conformance.Feature) with the methods its cases need (`needs`) and its summary
    topic (`topic`); an output-class row is about the API surface."""
    from parity.conformance import SURFACE, Feature

    row_topic = topic(cases)
    return Feature(family, name, cases, needs(cases), SURFACE if row_topic == "API" else kind, row_topic)


def shared_parameter_cases(step: Callable[..., dict], schedule: Callable[..., dict]) -> dict[str, tuple[dict, ...]]:
    """One value away from diffusers' default for each constructor parameter the DDPM-family schedulers share,
    checked where it shows: in the cases the entry's `step(config)` and `schedule(config, *parts)` build."""
    return {
        "num_train_timesteps": (schedule({"num_train_timesteps": 997}), step({"num_train_timesteps": 997})),
        "beta_start": (schedule({"beta_start": 0.001}, "arrays"),),
        "beta_end": (schedule({"beta_end": 0.03}, "arrays"),),
        "trained_betas": (
            schedule({"num_train_timesteps": 8, "trained_betas": [0.01 * (i + 1) for i in range(8)]}, "arrays"),
        ),
        "clip_sample": (step({"clip_sample": False, "prediction_type": "sample"}),),
        "steps_offset": (schedule({"steps_offset": 1}, "timesteps"), step({"steps_offset": 1})),
        "prediction_type": (step({"prediction_type": "v_prediction"}),),
        # with clipping on and sample_max_value 1, thresholding clamps to [-1, 1] as clipping does: no difference
        "thresholding": (step({"thresholding": True, "clip_sample": False}),),
        # with sample_max_value 1, every ratio's threshold is clamped to 1: a large one lets the ratio show
        "dynamic_thresholding_ratio": (
            step({"thresholding": True, "dynamic_thresholding_ratio": 0.9, "sample_max_value": 1000.0}),
        ),
        "clip_sample_range": (step({"clip_sample_range": 0.5}),),
        "sample_max_value": (step({"thresholding": True, "sample_max_value": 1.5}),),
        "timestep_spacing": (schedule({"timestep_spacing": "trailing"}, "timesteps"),),
        "rescale_betas_zero_snr": (schedule({"rescale_betas_zero_snr": True}, "arrays"),),
    }


def in_constructor_order(cases: dict[str, Any], upstream: Any, class_name: str) -> dict[str, Any]:
    """`cases` ({constructor parameter: its cases}) in the order of the reference constructor's parameters, read from
    its validated source (`upstream`, parity.upstream.Upstream); a parameter without a case is a KeyError."""
    from parity.upstream import reference_defaults

    return {name: cases[name] for name in reference_defaults(upstream.copy, class_name)["__init__"]}


def parameter_and_schedule_rows(parameter_cases: dict, schedule: Callable[..., dict], enums: dict) -> list:
    """The first rows of a DDPM-family entry's report: one per constructor parameter (`parameter_cases`), the
    schedule's arrays for each beta schedule, trained betas and zero terminal SNR, and the timesteps of each
    spacing (with an offset)."""
    rows = [feature("constructor behaviour", name, cases) for name, cases in parameter_cases.items()]
    rows += [
        feature("schedule", kind, (schedule({"beta_schedule": kind}, "arrays"),)) for kind in enums["beta_schedule"]
    ]
    rows += [
        feature("schedule", "trained betas", parameter_cases["trained_betas"]),
        feature("schedule", "zero terminal SNR", parameter_cases["rescale_betas_zero_snr"]),
    ]
    spacing = ({"steps_offset": 1}, "timesteps")
    return rows + [
        feature("timestep spacing", name, (schedule({"timestep_spacing": name, **spacing[0]}, spacing[1]),))
        for name in enums["timestep_spacing"]
    ]


def prediction_type_rows(step: Callable[..., dict], kinds: tuple[str, ...]) -> list:
    """A row per prediction type: a step without clipping and one with it."""
    return [
        feature(
            "prediction type",
            kind,
            (step({"prediction_type": kind, "clip_sample": False}), step({"prediction_type": kind})),
        )
        for kind in kinds
    ]


def clip_sample_row(step: Callable[..., dict]):
    return feature("clipping", "clip_sample", (step({"clip_sample": True, "clip_sample_range": 0.5}),))


def thresholding_row(step: Callable[..., dict], half_precision: dict[str, Any]):
    """Dynamic thresholding: a float32 step, and a float16 one of the config `half_precision` thresholded."""
    return feature(
        "thresholding",
        "dynamic thresholding",
        (
            step({"thresholding": True, "dynamic_thresholding_ratio": 0.9, "sample_max_value": 1.5}),
            step({"thresholding": True, **half_precision}, dtype="float16"),
        ),
    )


def timestep_kind_rows(step: Callable[..., dict], kinds: tuple[str, ...]) -> list:
    return [feature("timestep kind", kind, (step({}, kind=kind),)) for kind in kinds]


def noise_error_config_rows(
    dtypes: tuple[str, ...], invalid_values: dict[str, Any], shipped: dict, extensions: tuple = ()
) -> list:
    """The last rows of a DDPM-family entry's report: add_noise and get_velocity in each dtype; the extension rows
    (the entry's `extensions`, then numpy timesteps for both); one per invalid input; one per shipped config."""
    from parity.conformance import EXTENSION

    methods = ("add_noise", "get_velocity")
    rows = [
        feature("noise", f"{method} ({dtype})", (noise_case(method, dtype),)) for method in methods for dtype in dtypes
    ]
    rows += [
        *extensions,
        *(
            feature(
                "extension", f"{method} with numpy timesteps", (noise_case(method, timesteps_as="numpy"),), EXTENSION
            )
            for method in methods
        ),
    ]
    rows += [feature("error parity", kind, (error_case(kind, value),)) for kind, value in invalid_values.items()]
    return rows + [feature("config round trip", name, ({"check": "config", "shipped": name},)) for name in shipped]
