"""The enum-like values DDIM's properties must exercise (ENUMS), and where each kind of case holds them (COVERED):
what the coverage ledger counts. Apart from the strategies so that importing the entry needs no Hypothesis."""

from __future__ import annotations

from parity.entries.common.enums import CONFIG_ENUMS, COVERED_ELSEWHERE, NOISE_ENUMS, STEP_ENUMS

__all__ = ["COVERED", "ENUMS"]

ENUMS: dict[str, tuple] = {
    "beta_schedule": ("linear", "scaled_linear", "squaredcos_cap_v2"),
    **CONFIG_ENUMS,
    **STEP_ENUMS,
    "use_clipped_model_output": (False, True),
    **NOISE_ENUMS,
    "invalid": (
        "num_inference_steps",
        "timestep",
        "beta_schedule",
        "prediction_type",
        "timestep_spacing",
        "dynamic_thresholding_ratio",
        "add_noise_timestep",
    ),
}


# Where each kind of case holds the values it exercises (the engine's Entry.coverage counts them): every case's
# config, and each kind's own (parity.entries.common.enums).
COVERED: dict[str, tuple[str, ...]] = {
    "config": ("beta_schedule", *CONFIG_ENUMS),
    "step": ("dtype", "timestep_kind", "use_clipped_model_output"),
    **COVERED_ELSEWHERE,
}
