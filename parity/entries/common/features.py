"""Conformance-row cases that diffusers' schedulers share: add_noise / get_velocity and invalid inputs."""

from __future__ import annotations

from typing import Any

__all__ = ["error_case", "noise_case"]


def noise_case(method: str, dtype: str = "float32", config: dict[str, Any] | None = None) -> dict[str, Any]:
    """add_noise or get_velocity at three per-sample timesteps of a 1000-step schedule."""
    return {
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
