"""The enum-like values DDPM's properties must exercise (ENUMS), and which ones a drawn case exercises (coverage):
what the coverage ledger counts. Apart from the strategies so that importing the entry needs no Hypothesis."""

from __future__ import annotations

from typing import Any

__all__ = ["ENUMS", "LEARNED", "coverage"]

ENUMS: dict[str, tuple] = {
    "beta_schedule": ("linear", "scaled_linear", "squaredcos_cap_v2", "sigmoid", "laplace"),
    # None: what a config saved by DPMSolverMultistepScheduler holds; the reference (and the port) treat it as
    # "fixed_small"
    "variance_type": (
        "fixed_small",
        "fixed_small_log",
        "fixed_large",
        "fixed_large_log",
        "learned",
        "learned_range",
        None,
    ),
    "timestep_spacing": ("leading", "trailing", "linspace"),
    "prediction_type": ("epsilon", "sample", "v_prediction"),
    "thresholding": (False, True),
    "clip_sample": (False, True),
    "rescale_betas_zero_snr": (False, True),
    "trained_betas": (False, True),
    "schedule_kind": ("num_inference_steps", "custom_timesteps", "unset"),
    "dtype": ("float32", "float16", "bfloat16"),
    "timestep_kind": ("int", "numpy", "element"),
    "timesteps_layout": ("per-sample", "one", "0-dim"),
    "noise_method": ("add_noise", "get_velocity"),
    "invalid": (
        "num_inference_steps",
        "beta_schedule",
        "variance_type",
        "prediction_type",
        "timestep_spacing",
        "dynamic_thresholding_ratio",
        "add_noise_timestep",
        "timestep_out_of_range",
        "timestep_not_in_schedule",
        "custom_timesteps",
        "both_arguments",
        "neither_argument",
        "learned_without_variance",
    ),
}

LEARNED = ("learned", "learned_range")

# Which enum-like values each kind of case exercises: its config's, and the case's own.
_CONFIG_ENUMS = ("beta_schedule", "variance_type", "timestep_spacing", "prediction_type", "thresholding", "clip_sample")
_CASE_ENUMS = {
    "step": ("dtype", "timestep_kind", "schedule_kind"),
    "generator": ("dtype", "timestep_kind", "schedule_kind"),
    "noise": ("timesteps_layout", "noise_method", "dtype"),
    "schedule": (),
    "error": ("invalid",),
}


def coverage(case: dict[str, Any]) -> list[tuple[str, Any]]:
    """The (name, value) pairs of ENUMS that a drawn case exercises."""
    config = case["config"]
    drawn = [(name, config[name]) for name in _CONFIG_ENUMS]
    drawn += [
        ("rescale_betas_zero_snr", config["rescale_betas_zero_snr"]),
        ("trained_betas", "trained_betas" in config),
    ]
    return drawn + [(name, case[name if name != "noise_method" else "method"]) for name in _CASE_ENUMS[case["check"]]]
