"""The enum-like values DDIM's properties must exercise (ENUMS), and where each kind of case holds them (COVERED):
what the coverage ledger counts. Apart from the strategies so that importing the entry needs no Hypothesis."""

from __future__ import annotations

__all__ = ["COVERED", "ENUMS"]

ENUMS: dict[str, tuple] = {
    "beta_schedule": ("linear", "scaled_linear", "squaredcos_cap_v2"),
    "timestep_spacing": ("leading", "trailing", "linspace"),
    "prediction_type": ("epsilon", "sample", "v_prediction"),
    "thresholding": (False, True),
    "clip_sample": (False, True),
    "rescale_betas_zero_snr": (False, True),
    "trained_betas": (False, True),
    "dtype": ("float32", "float16", "bfloat16"),
    "timestep_kind": ("int", "numpy", "element"),
    "use_clipped_model_output": (False, True),
    "timesteps_layout": ("per-sample", "one", "0-dim"),
    "method": ("add_noise", "get_velocity"),
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
# config, and each kind's own; a flag that is not a bool (trained_betas: the list, or absent) counts as given or not.
COVERED: dict[str, tuple[str, ...]] = {
    "config": (
        "beta_schedule",
        "timestep_spacing",
        "prediction_type",
        "thresholding",
        "clip_sample",
        "rescale_betas_zero_snr",
        "trained_betas",
    ),
    "step": ("dtype", "timestep_kind", "use_clipped_model_output"),
    "noise": ("timesteps_layout", "method", "dtype"),
    "schedule": (),
    "error": ("invalid",),
}
