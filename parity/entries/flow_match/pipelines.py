"""How diffusers 0.42.1's pipelines call FlowMatchEulerDiscreteScheduler.set_timesteps: for a scheduler config, an image
size and a step count, the keyword arguments each pipeline's __call__ passes through its retrieve_timesteps, its other
arguments at their defaults (the device left out). `config` is the scheduler's config as the pipeline reads it
(`scheduler.config`: every constructor keyword, defaults filled in), read with the pipeline's own `.get` defaults
(which only a file's dict lacking the key reaches: SD3's max_shift default is 1.16, the scheduler's own 1.15). The VAE
and transformer factors are the ones each pipeline uses when built without those modules (`... if vae else 8`)."""

from __future__ import annotations

import numpy as np

__all__ = ["SCHEDULES", "calculate_shift", "compute_empirical_mu"]


# Mirrors diffusers 0.42.1 pipelines/flux/pipeline_flux.py calculate_shift (copied into every pipeline below)
def calculate_shift(image_seq_len, base_seq_len=256, max_seq_len=4096, base_shift=0.5, max_shift=1.15):
    m = (max_shift - base_shift) / (max_seq_len - base_seq_len)
    b = base_shift - m * base_seq_len
    return image_seq_len * m + b


# Mirrors diffusers 0.42.1 pipelines/flux2/pipeline_flux2.py compute_empirical_mu
def compute_empirical_mu(image_seq_len, num_steps):
    a1, b1 = 8.73809524e-05, 1.89833333
    a2, b2 = 0.00016927, 0.45666666
    if image_seq_len > 4300:
        return float(a2 * image_seq_len + b2)
    m_200, m_10 = a2 * image_seq_len + b2, a1 * image_seq_len + b1
    a = (m_200 - m_10) / 190.0
    b = m_200 - 200.0 * a
    return float(a * num_steps + b)


def _mu(config, image_seq_len, max_shift=1.15):
    keys = (("base_image_seq_len", 256), ("max_image_seq_len", 4096), ("base_shift", 0.5), ("max_shift", max_shift))
    return calculate_shift(image_seq_len, *(config.get(key, default) for key, default in keys))


def _packed(height, width, vae_scale_factor=8):
    # prepare_latents: each latent side 2 * (side // (vae_scale_factor * 2)), then packed into 2x2 patches
    return (2 * (height // (vae_scale_factor * 2)) // 2) * (2 * (width // (vae_scale_factor * 2)) // 2)


def _linspace_float32(n):
    # torch.linspace(1.0, 1 / n, n) in float32 (torch's CPU kernel: from the start up to n // 2, from the end after it,
    # each value rounded once), as get_default_z_image_sigmas calls it
    if n == 1:
        return [1.0]
    start, end = np.float32(1.0), np.float32(1 / n)
    step, i = np.float64((end - start) / np.float32(n - 1)), np.arange(n)
    values = np.where(i < n // 2, np.float64(start) + step * i, np.float64(end) - step * (n - 1 - i))
    return values.astype(np.float32).tolist()


# Mirrors diffusers 0.42.1 pipelines/flux/pipeline_flux.py FluxPipeline.__call__, step 5
def flux(config, height, width, steps):
    return {"sigmas": np.linspace(1.0, 1 / steps, steps), "mu": _mu(config, _packed(height, width))}


# Mirrors diffusers 0.42.1 pipelines/flux2/pipeline_flux2.py Flux2Pipeline.__call__, step 6
def flux2(config, height, width, steps):
    return {"sigmas": np.linspace(1.0, 1 / steps, steps), "mu": compute_empirical_mu(_packed(height, width), steps)}


# Mirrors diffusers 0.42.1 pipelines/stable_diffusion_3/pipeline_stable_diffusion_3.py
# StableDiffusion3Pipeline.__call__, step 5 (latent side // vae_scale_factor 8, // transformer patch_size 2)
def sd3(config, height, width, steps):
    if not config.get("use_dynamic_shifting", None):
        return {"num_inference_steps": steps}
    return {"num_inference_steps": steps, "mu": _mu(config, (height // 8 // 2) * (width // 8 // 2), max_shift=1.16)}


# Mirrors diffusers 0.42.1 pipelines/z_image/pipeline_z_image.py ZImagePipeline.__call__, step 5
def z_image(config, height, width, steps):
    return {"sigmas": _linspace_float32(steps), "mu": _mu(config, _packed(height, width))}


# Mirrors diffusers 0.42.1 pipelines/ltx/pipeline_ltx.py LTXPipeline.__call__, step 5 (num_frames=161; the VAE's
# spatial compression 32 and temporal 8)
def ltx(config, height, width, steps, num_frames=161):
    sequence_length = ((num_frames - 1) // 8 + 1) * (height // 32) * (width // 32)
    return {"sigmas": np.linspace(1.0, 1 / steps, steps), "mu": _mu(config, sequence_length)}


# diffusers 0.42.1 pipelines/qwenimage/pipeline_qwenimage.py QwenImagePipeline.__call__, step 5, computes FLUX's
# arguments (the same sigmas, the same mu of the same packed sequence length): `flux`
SCHEDULES = {"flux": flux, "flux2": flux2, "sd3": sd3, "z_image": z_image, "ltx": ltx, "qwen": flux}
