"""Scheduler configs that real models ship for DDPMScheduler (scheduler/scheduler_config.json), as their repositories
hold them as far as the published files are known here (written from memory: this machine cannot fetch them to
check, so a value may differ from today's file; each is a real-world combination of parameters either way): DeepFloyd IF's pixel-space stages
(squaredcos betas, a UNet that predicts its variance, "learned_range", dynamic thresholding), Kandinsky 2.2's
decoder (linear betas from 0.00085, steps_offset), and the Stable Diffusion x4 upscaler's noise scheduler for the
low-resolution image."""

__all__ = ["IF_STAGE_I", "IF_STAGE_II", "KANDINSKY22", "SD_X4_LOW_RES", "SHIPPED"]

IF_STAGE_I = {
    "_class_name": "DDPMScheduler",
    "_diffusers_version": "0.16.0",
    "beta_end": 0.02,
    "beta_schedule": "squaredcos_cap_v2",
    "beta_start": 0.0001,
    "clip_sample": True,
    "clip_sample_range": 1.5,
    "dynamic_thresholding_ratio": 0.95,
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "sample_max_value": 1.5,
    "thresholding": True,
    "trained_betas": None,
    "variance_type": "learned_range",
}
IF_STAGE_II = {**IF_STAGE_I, "_diffusers_version": "0.17.0.dev0"}
KANDINSKY22 = {
    "_class_name": "DDPMScheduler",
    "_diffusers_version": "0.18.0.dev0",
    "beta_end": 0.012,
    "beta_schedule": "linear",
    "beta_start": 0.00085,
    "clip_sample": False,
    "clip_sample_range": 2.0,
    "dynamic_thresholding_ratio": 0.995,
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "sample_max_value": 1.0,
    "set_alpha_to_one": False,
    "steps_offset": 1,
    "thresholding": False,
    "timestep_spacing": "leading",
    "trained_betas": None,
    "variance_type": "fixed_small",
}
SD_X4_LOW_RES = {
    "_class_name": "DDPMScheduler",
    "_diffusers_version": "0.8.0",
    "beta_end": 0.02,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.0001,
    "clip_sample": False,
    "num_train_timesteps": 1000,
    "trained_betas": None,
    "variance_type": "fixed_small",
}

SHIPPED = {
    "if-stage-i": IF_STAGE_I,
    "if-stage-ii": IF_STAGE_II,
    "kandinsky-2.2": KANDINSKY22,
    "sd-x4-low-res": SD_X4_LOW_RES,
}
