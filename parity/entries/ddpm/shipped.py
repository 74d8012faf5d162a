"""Scheduler configs that real models ship for DDPMScheduler, verbatim (every key as the file has it, in its order, JSON
true/false/null as Python), each from the public copy named beside it as the stored copies of Hugging Face pages reached
it: DeepFloyd IF's pixel-space stage I (squaredcos betas, a UNet that predicts its variance, "learned_range", dynamic
thresholding; its file also carries DPMSolver's `lambda_min_clipped`, which DDPMScheduler does not take), Kandinsky
2.2's decoder (linear betas from 0.00085, steps_offset, DDIM's `set_alpha_to_one`), and the Stable Diffusion x4
upscaler's noise scheduler for the low-resolution image (clip_sample on). DeepFloyd IF stage II is left out: no copy of
its scheduler_config.json was found."""

__all__ = ["IF_STAGE_I", "KANDINSKY22", "SD_X4_LOW_RES", "SHIPPED"]

# DeepFloyd/IF-I-XL-v1.0 is not among the stored copies; this is scheduler/scheduler_config.json of its copy
# ckpt/IF-I-XL-v1.0-16bit (main, commit b4406e6 "thanks to DeepFloyd", 454 bytes)
IF_STAGE_I = {
    "_class_name": "DDPMScheduler",
    "_diffusers_version": "0.15.0.dev0",
    "beta_end": 0.02,
    "beta_schedule": "squaredcos_cap_v2",
    "beta_start": 0.0001,
    "clip_sample": True,
    "clip_sample_range": 1.0,
    "dynamic_thresholding_ratio": 0.95,
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "sample_max_value": 1.5,
    "thresholding": True,
    "trained_betas": None,
    "variance_type": "learned_range",
    "lambda_min_clipped": -5.1,
}
# kandinsky-community/kandinsky-2-2-decoder, scheduler/scheduler_config.json as of commit e5c52c4 "Rename
# scheduler_config.json to scheduler/scheduler_config.json" (318 bytes), read at
# huggingface.co/kandinsky-community/kandinsky-2-2-decoder/blob/refs%2Fpr%2F1/scheduler/scheduler_config.json; the same
# text is on main of kandinsky-2-2-decoder-inpaint (cfe16ca). The decoder's main has since changed it twice (9facb8e,
# 824f8d5: 317 bytes), and no copy of that text was found.
KANDINSKY22 = {
    "_class_name": "DDPMScheduler",
    "_diffusers_version": "0.17.0.dev0",
    "num_train_timesteps": 1000,
    "beta_schedule": "linear",
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "clip_sample": False,
    "set_alpha_to_one": False,
    "steps_offset": 1,
    "prediction_type": "epsilon",
    "thresholding": False,
}
# stabilityai/stable-diffusion-x4-upscaler, low_res_scheduler/scheduler_config.json of commit c13f588 "add diffusers
# model" (300 bytes), read in its duplicate asoderznik/sdx4-upscaler (commit 6dbf82b "Duplicate from
# stabilityai/stable-diffusion-x4-upscaler", 300 bytes)
SD_X4_LOW_RES = {
    "_class_name": "DDPMScheduler",
    "_diffusers_version": "0.9.0.dev0",
    "beta_end": 0.02,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.0001,
    "clip_sample": True,
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "trained_betas": None,
    "variance_type": "fixed_small",
}

SHIPPED = {
    "if-stage-i": IF_STAGE_I,
    "kandinsky-2.2": KANDINSKY22,
    "sd-x4-low-res": SD_X4_LOW_RES,
}
