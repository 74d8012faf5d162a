"""The enum-like values the flow-matching properties must exercise (ENUMS), and where each kind of case holds them
(COVERED: counted by the engine's Entry.coverage, the coverage ledger)."""

from __future__ import annotations

from typing import Any

__all__ = ["COVERED", "ENUMS", "INVALID"]

# each kind of invalid input, with the value its conformance row gives it (the properties draw their own)
INVALID: dict[str, Any] = {
    "sigma_kinds": {"use_karras_sigmas": True, "use_beta_sigmas": True},
    "time_shift_type": {"time_shift_type": "quadratic"},
    "mu_missing": None,
    "sigmas_timesteps_lengths": {"sigmas": [1.0, 0.5], "timesteps": [1000.0, 500.0, 250.0]},
    "steps_and_sigmas_lengths": {"num_inference_steps": 3, "sigmas": [1.0, 0.5]},
    "nothing_to_set": None,
    "integer_timestep": "int",
    "timestep_not_in_schedule": 123.5,
    "past_the_end": 4,
}

ENUMS: dict[str, tuple] = {
    # how set_timesteps is called: a step count, custom sigmas, custom timesteps, both, or a count and sigmas
    "schedule_path": ("steps", "sigmas", "timesteps", "both", "steps_and_sigmas"),
    # how diffusers' pipelines call it (pipelines.py), or a drawn call ("drawn")
    "pipeline": ("drawn", "flux", "flux2", "sd3", "z_image", "ltx", "qwen"),
    "sigma_kind": ("plain", "karras", "exponential", "beta"),
    "use_dynamic_shifting": (False, True),
    "time_shift_type": ("exponential", "linear"),
    "invert_sigmas": (False, True),
    "shift_terminal": (False, True),
    "stochastic_sampling": (False, True),
    "dtype": ("float32", "float16", "bfloat16"),
    "timestep_kind": ("element", "float"),
    # how the first step finds its index: index_for_timestep (the second-index rule), or set_begin_index (img2img)
    "start": ("lookup", "begin_index"),
    "per_token": (False, True),
    # scale_noise's three branches
    "branch": ("lookup", "begin_index", "after_step"),
    "invalid": tuple(INVALID),
}

COVERED: dict[str, tuple[str, ...]] = {
    "config": ("use_dynamic_shifting", "time_shift_type", "invert_sigmas", "shift_terminal", "stochastic_sampling"),
    "schedule": ("schedule_path", "pipeline", "sigma_kind"),
    "step": ("schedule_path", "pipeline", "sigma_kind", "dtype", "timestep_kind", "start", "per_token"),
    "noise": ("schedule_path", "sigma_kind", "dtype", "branch"),
    "error": ("invalid",),
}
