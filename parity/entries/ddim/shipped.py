"""Scheduler configs that real models ship (scheduler/scheduler_config.json), as their repositories hold them.

Stable Diffusion 1.5 and 2.1 ship a PNDMScheduler config (with `skip_prk_steps`), SDXL an EulerDiscreteScheduler
one (with Euler's keys); users load them into DDIM with `from_config`, which is what the fixtures record.
"""

__all__ = ["SD15", "SD21", "SDXL", "SHIPPED"]

SD15 = {
    "_class_name": "PNDMScheduler",
    "_diffusers_version": "0.6.0",
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "num_train_timesteps": 1000,
    "set_alpha_to_one": False,
    "skip_prk_steps": True,
    "steps_offset": 1,
    "trained_betas": None,
    "clip_sample": False,
}
SD21 = {**SD15, "prediction_type": "v_prediction"}
SDXL = {
    "_class_name": "EulerDiscreteScheduler",
    "_diffusers_version": "0.19.0.dev0",
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "clip_sample": False,
    "interpolation_type": "linear",
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "sample_max_value": 1.0,
    "set_alpha_to_one": False,
    "skip_prk_steps": True,
    "steps_offset": 1,
    "timestep_spacing": "leading",
    "trained_betas": None,
    "use_karras_sigmas": False,
}


SHIPPED = {"sd15": SD15, "sd21": SD21, "sdxl": SDXL}
