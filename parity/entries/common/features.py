"""Conformance-row cases that diffusers' schedulers share: add_noise / get_velocity and invalid inputs."""

from __future__ import annotations

from typing import Any

__all__ = ["error_case", "feature", "needs", "noise_case", "topic"]


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
