"""PROVISIONAL (to be replaced): pipelines."""

from __future__ import annotations

import numpy as np


def calculate_shift(image_seq_len, base_seq_len=256, max_seq_len=4096, base_shift=0.5, max_shift=1.15):
    m = (max_shift - base_shift) / (max_seq_len - base_seq_len)
    b = base_shift - m * base_seq_len
    return image_seq_len * m + b


def flux(config, height, width, steps):
    seq = (height // 16) * (width // 16)
    mu = calculate_shift(
        seq,
        config.get("base_image_seq_len", 256),
        config.get("max_image_seq_len", 4096),
        config.get("base_shift", 0.5),
        config.get("max_shift", 1.15),
    )
    return {"sigmas": np.linspace(1.0, 1 / steps, steps), "mu": mu}


def sd3(config, height, width, steps):
    return {"num_inference_steps": steps}


SCHEDULES = {"flux": flux, "flux2": flux, "sd3": sd3, "z_image": flux, "ltx": flux, "qwen": flux}
