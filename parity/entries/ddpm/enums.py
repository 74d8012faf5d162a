"""The enum-like values DDPM's properties must exercise (ENUMS), and where each kind of case holds them (COVERED):
what the coverage ledger counts. Apart from the strategies so that importing the entry needs no Hypothesis."""

from __future__ import annotations

from parity.entries.common.enums import CONFIG_ENUMS, COVERED_ELSEWHERE, NOISE_ENUMS, STEP_ENUMS

__all__ = ["COVERED", "ENUMS", "LEARNED"]

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
    **CONFIG_ENUMS,
    "schedule_kind": ("num_inference_steps", "custom_timesteps", "unset"),
    **STEP_ENUMS,
    **NOISE_ENUMS,
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

# Where each kind of case holds the values it exercises (the engine's Entry.coverage counts them): every case's
# config, and each kind's own (parity.entries.common.enums).
COVERED: dict[str, tuple[str, ...]] = {
    "config": ("beta_schedule", "variance_type", *CONFIG_ENUMS),
    "step": ("dtype", "timestep_kind", "schedule_kind"),
    "generator": ("dtype", "timestep_kind", "schedule_kind"),
    **COVERED_ELSEWHERE,
}
