"""The enum-like values that the DDPM-family entries' (DDIM's, DDPM's) properties share, and where each kind of
case holds them: each entry's `enums` builds its ENUMS and COVERED from these and its own (parity.entries.Entry
.coverage counts them). Apart from the strategies, so that importing an entry needs no Hypothesis."""

from __future__ import annotations

__all__ = ["CONFIG_ENUMS", "COVERED_ELSEWHERE", "NOISE_ENUMS", "STEP_ENUMS"]

# In every config (a flag that is not a bool, trained_betas: the list or absent, counts as given or not).
CONFIG_ENUMS: dict[str, tuple] = {
    "timestep_spacing": ("leading", "trailing", "linspace"),
    "prediction_type": ("epsilon", "sample", "v_prediction"),
    "thresholding": (False, True),
    "clip_sample": (False, True),
    "rescale_betas_zero_snr": (False, True),
    "trained_betas": (False, True),
}
# In every step case.
STEP_ENUMS: dict[str, tuple] = {
    "dtype": ("float32", "float16", "bfloat16"),
    "timestep_kind": ("int", "numpy", "element"),
}
# In a noise case (with its dtype).
NOISE_ENUMS: dict[str, tuple] = {
    "timesteps_layout": ("per-sample", "one", "0-dim"),
    "method": ("add_noise", "get_velocity"),
}

# Where the noise, schedule and error cases hold the values they exercise (beyond their config's).
COVERED_ELSEWHERE: dict[str, tuple[str, ...]] = {
    "noise": ("timesteps_layout", "method", "dtype"),
    "schedule": (),
    "error": ("invalid",),
}
