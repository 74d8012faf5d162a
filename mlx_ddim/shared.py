"""What diffusers shares between its schedulers, ported once: the functions and methods that diffusers' files
mark "# Copied from". Each carries a "Mirrors" line naming the reference function it follows; a scheduler class
delegates to them, under the reference's own method names.

The schedule functions compute on the host in numpy with torch's float32 rounding (torch_float32.py), so their
arrays are the reference's bits; `threshold_sample`, `add_noise` and `get_velocity` work on mx arrays.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Literal

import mlx.core as mx
import numpy as np

from .quantile import quantile_rows
from .torch_float32 import cumprod_float32, linspace_float32

__all__ = [
    "add_noise",
    "betas_for_alpha_bar",
    "checked_timestep",
    "float32_schedule",
    "get_velocity",
    "index_padded",
    "is_integer",
    "padded",
    "rescale_zero_terminal_snr",
    "spaced_timesteps",
    "threshold_sample",
]


def is_integer(value: Any) -> bool:
    """A Python or numpy integer, and not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


# Both schedulers' step index alphas_cumprod with a timestep, as torch indexes a tensor: a negative index counts
# back, and one out of range is an IndexError. MLX does neither (a negative array index counts back, but past
# either end it reads whatever memory lies there), and raising for an mx.array timestep would read it back to the
# host, synchronising the denoising loop. So a host timestep is checked on the host (`checked_timestep`), and an
# mx.array one is looked up on the device in a NaN-padded copy (`padded`, `index_padded`): out of range, the
# step's outputs are NaN rather than a wrong number.


def checked_timestep(timestep: Any, size: int, trust_arrays: bool) -> int | mx.array:
    """`timestep` as `step` indexes with it: a host integer in [-size, size), else torch's IndexError; an integer
    mx.array as it is, never read back, unless not `trust_arrays` (the schedule itself holds timesteps out of
    range: 1000 steps with steps_offset=1): then it is read back once, to raise like torch."""
    if isinstance(timestep, mx.array):
        if not mx.issubdtype(timestep.dtype, mx.integer):
            raise IndexError(f"timestep must be an integer, got an mx.array of dtype {timestep.dtype}")
        if trust_arrays:
            return timestep.astype(mx.int64)
        timestep = timestep.item()
    if not is_integer(timestep):
        raise IndexError(
            f"timestep must be an integer (a Python or numpy integer, or an element of scheduler.timesteps), "
            f"got {timestep!r}"
        )
    if not -size <= timestep < size:
        raise IndexError(f"index {int(timestep)} is out of bounds for dimension 0 with size {size}")
    return int(timestep)


def padded(values: np.ndarray) -> mx.array:
    """`values`, a NaN, and `values` again, for `index_padded`: MLX counts a negative index back from the end, so
    [-size, 0) reads the second copy, and size and -size - 1 the NaN."""
    return mx.array(np.concatenate([values, np.full(1, np.nan, np.float32), values]).astype(np.float32))


def index_padded(padded_values: mx.array, index: int | mx.array) -> mx.array:
    """`values[index]` as torch indexes a 1-D tensor of `size` values (a negative index counts back), on the
    device for an mx.array index, from `padded(values)`: NaN out of range, where torch raises."""
    size = padded_values.shape[0] // 2
    if isinstance(index, mx.array):
        return padded_values[mx.clip(index, -size - 1, size)]
    return padded_values[min(max(index, -size - 1), size)]


# Mirrors the beta schedules of DDIMScheduler.__init__ and DDPMScheduler.__init__ (the same code in both; DDPM also
# has "sigmoid" and the undocumented "laplace"), their zero-SNR rescale, alphas and alphas_cumprod
def float32_schedule(
    scheduler_class: type, schedules: tuple[str, ...], *, num_train_timesteps: int, beta_start: float, beta_end: float,
    beta_schedule: str, trained_betas: Any, rescale_betas_zero_snr: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """betas, alphas and alphas_cumprod as float32 numpy arrays with the reference's bits (torch_float32.py), for a
    scheduler whose constructor accepts the beta schedules in `schedules`.

    Every schedule is the reference's bits except "sigmoid": torch's vectorized float32 sigmoid rounds its exp its
    own way, and this port's sigmoid (a correctly rounded float32 exp, then the reference's float32 1 / (1 + e))
    differs from it by up to 2 ULP in a few percent of the betas (measured: 42 of 1000 default betas); the alphas and
    alphas_cumprod those betas give are the reference's bits (1 - beta rounds the difference away).
    """
    if trained_betas is not None:
        betas = np.array(trained_betas, dtype=np.float32)
    elif beta_schedule == "linear" and beta_schedule in schedules:
        betas = linspace_float32(beta_start, beta_end, num_train_timesteps)
    elif beta_schedule == "scaled_linear" and beta_schedule in schedules:
        # this schedule is very specific to the latent diffusion model.
        root = linspace_float32(beta_start**0.5, beta_end**0.5, num_train_timesteps)
        betas = root * root
    elif beta_schedule == "squaredcos_cap_v2" and beta_schedule in schedules:
        # Glide cosine schedule
        betas = betas_for_alpha_bar_host(num_train_timesteps, 0.999, "cosine")
    elif beta_schedule == "laplace" and beta_schedule in schedules:
        betas = betas_for_alpha_bar_host(num_train_timesteps, 0.999, "laplace")
    elif beta_schedule == "sigmoid" and beta_schedule in schedules:
        # GeoDiff sigmoid schedule
        x = linspace_float32(-6, 6, num_train_timesteps)
        sigmoid = np.float32(1) / (np.float32(1) + np.exp(-x.astype(np.float64)).astype(np.float32))
        betas = sigmoid * np.float32(beta_end - beta_start) + np.float32(beta_start)
    else:
        raise NotImplementedError(f"{beta_schedule} is not implemented for {scheduler_class}")

    # Rescale for zero SNR
    if rescale_betas_zero_snr:
        betas = rescale_zero_terminal_snr_host(betas)

    alphas = np.float32(1.0) - betas
    alphas_cumprod = cumprod_float32(alphas)
    return betas, alphas, alphas_cumprod


# Mirrors the timestep spacings of DDIMScheduler.set_timesteps and DDPMScheduler.set_timesteps (the same code)
def spaced_timesteps(
    timestep_spacing: str, num_train_timesteps: int, num_inference_steps: int, steps_offset: int, supported: str
) -> np.ndarray:
    """The int64 timesteps of a spacing: "linspace", "leading", "trailing" corresponds to annotation of Table 2. of
    https://arxiv.org/abs/2305.08891. The reference computes them in numpy, and so does the port: the same
    expressions. `supported` ends the error message, which differs between the two references."""
    if timestep_spacing == "linspace":
        timesteps = np.linspace(0, num_train_timesteps - 1, num_inference_steps).round()[::-1].copy().astype(np.int64)
    elif timestep_spacing == "leading":
        step_ratio = num_train_timesteps // num_inference_steps
        # creates integer timesteps by multiplying by ratio
        # casting to int to avoid issues when num_inference_step is power of 3
        timesteps = (np.arange(0, num_inference_steps) * step_ratio).round()[::-1].copy().astype(np.int64)
        timesteps += steps_offset
    elif timestep_spacing == "trailing":
        step_ratio = num_train_timesteps / num_inference_steps
        # creates integer timesteps by multiplying by ratio
        # casting to int to avoid issues when num_inference_step is power of 3
        timesteps = np.round(np.arange(num_train_timesteps, 0, -step_ratio)).astype(np.int64)
        timesteps -= 1
    else:
        raise ValueError(f"{timestep_spacing} is not supported. Please make sure to choose one of {supported}.")
    return timesteps


# Mirrors diffusers.schedulers.scheduling_ddpm.betas_for_alpha_bar
def betas_for_alpha_bar(
    num_diffusion_timesteps: int,
    max_beta: float = 0.999,
    alpha_transform_type: Literal["cosine", "exp", "laplace"] = "cosine",
) -> mx.array:
    """
    Create a beta schedule that discretizes the given alpha_t_bar function, which defines the cumulative product of
    (1-beta) over time from t = [0,1]. Computed in Python floats and rounded once to float32, as the reference does.

    Args:
        num_diffusion_timesteps (`int`): The number of betas to produce.
        max_beta (`float`, defaults to `0.999`): The maximum beta to use.
        alpha_transform_type (`str`, defaults to `"cosine"`): `cosine`, `exp`, or `laplace`.

    Returns:
        `mx.array`: The float32 betas.
    """
    return mx.array(betas_for_alpha_bar_host(num_diffusion_timesteps, max_beta, alpha_transform_type))


def betas_for_alpha_bar_host(num_diffusion_timesteps: int, max_beta: float, alpha_transform_type: str) -> np.ndarray:
    """`betas_for_alpha_bar` as a float32 numpy array."""
    if alpha_transform_type == "cosine":

        def alpha_bar_fn(t):
            return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2

    elif alpha_transform_type == "laplace":

        def alpha_bar_fn(t):
            lmb = -0.5 * math.copysign(1, 0.5 - t) * math.log(1 - 2 * math.fabs(0.5 - t) + 1e-6)
            snr = math.exp(lmb)
            return math.sqrt(snr / (1 + snr))

    elif alpha_transform_type == "exp":

        def alpha_bar_fn(t):
            return math.exp(t * -12.0)

    else:
        raise ValueError(f"Unsupported alpha_transform_type: {alpha_transform_type}")

    betas = []
    for i in range(num_diffusion_timesteps):
        t1 = i / num_diffusion_timesteps
        t2 = (i + 1) / num_diffusion_timesteps
        betas.append(min(1 - alpha_bar_fn(t2) / alpha_bar_fn(t1), max_beta))
    return np.array(betas, dtype=np.float32)


# Mirrors diffusers.schedulers.scheduling_ddim.rescale_zero_terminal_snr
def rescale_zero_terminal_snr(betas: mx.array) -> mx.array:
    """
    Rescales betas to have zero terminal SNR Based on https://arxiv.org/abs/2305.08891 (Algorithm 1)

    Args:
        betas (`mx.array`): The betas that the scheduler is being initialized with.

    Returns:
        `mx.array`: Rescaled float32 betas with zero terminal SNR.
    """
    return mx.array(rescale_zero_terminal_snr_host(np.array(betas, dtype=np.float32)))


def rescale_zero_terminal_snr_host(betas: np.ndarray) -> np.ndarray:
    """`rescale_zero_terminal_snr` of float32 numpy betas."""
    with np.errstate(divide="ignore", invalid="ignore"):
        # Convert betas to alphas_bar_sqrt
        alphas = np.float32(1.0) - betas
        alphas_cumprod = cumprod_float32(alphas)
        alphas_bar_sqrt = np.sqrt(alphas_cumprod)

        # Store old values.
        alphas_bar_sqrt_0 = alphas_bar_sqrt[0].copy()
        alphas_bar_sqrt_T = alphas_bar_sqrt[-1].copy()

        # Shift so the last timestep is zero.
        alphas_bar_sqrt -= alphas_bar_sqrt_T

        # Scale so the first timestep is back to the old value.
        alphas_bar_sqrt *= alphas_bar_sqrt_0 / (alphas_bar_sqrt_0 - alphas_bar_sqrt_T)

        # Convert alphas_bar_sqrt to betas
        alphas_bar = alphas_bar_sqrt * alphas_bar_sqrt  # Revert sqrt
        alphas = alphas_bar[1:] / alphas_bar[:-1]  # Revert cumprod
        alphas = np.concatenate([alphas_bar[0:1], alphas])
        return np.float32(1) - alphas


# Mirrors diffusers.schedulers.scheduling_ddpm.DDPMScheduler._threshold_sample
def threshold_sample(sample: mx.array, dynamic_thresholding_ratio: float, sample_max_value: float) -> mx.array:
    """
    Apply dynamic thresholding to the predicted sample (https://arxiv.org/abs/2205.11487): set s to a certain
    percentile absolute pixel value in x_0; if s > 1, threshold x_0 to [-s, s] and divide by s.

    Computed in float32 whatever the sample's dtype, with torch.quantile's interpolation reproduced exactly,
    and returned in the sample's dtype.
    """
    dtype = sample.dtype
    if sample.ndim < 3:
        # The reference crashes here (a TypeError from reshape with np.prod([]) == 1.0).
        raise ValueError(
            f"dynamic thresholding needs samples of shape (batch, channels, *spatial), got shape {sample.shape}"
        )
    batch_size, channels, *remaining_dims = sample.shape

    if dtype not in (mx.float32, mx.float64):
        sample = sample.astype(mx.float32)  # upcast for quantile calculation

    # Flatten sample for doing quantile calculation along each image
    sample = sample.reshape(batch_size, channels * int(np.prod(remaining_dims)))

    abs_sample = mx.abs(sample)  # "a certain percentile absolute pixel value"

    s = quantile_rows(abs_sample, dynamic_thresholding_ratio)
    # torch.clamp(s, min=1, max=sample_max_value): When clamped to min=1, equivalent to standard clipping to [-1, 1]
    s = mx.minimum(mx.maximum(s, 1.0), sample_max_value)
    s = s[:, None]  # (batch_size, 1) because clamp will broadcast along dim=0
    sample = mx.minimum(mx.maximum(sample, -s), s) / s  # "we threshold xt0 to the range [-s, s] and then divide by s"

    sample = sample.reshape(batch_size, channels, *remaining_dims)
    return sample.astype(dtype)


# Mirrors diffusers.schedulers.scheduling_ddpm.DDPMScheduler.add_noise
def add_noise(alphas_cumprod: mx.array, original_samples: mx.array, noise: mx.array, timesteps: Any) -> mx.array:
    """
    Add noise to the original samples according to the noise magnitude at each timestep (this is the forward
    diffusion process, formula (4) of the DDPM paper): sqrt(alpha_prod) * x_0 + sqrt(1 - alpha_prod) * noise.

    `timesteps` holds one integer per sample (or one for all); the schedule is cast to the samples' dtype first,
    as in the reference.
    """
    sqrt_alpha_prod, sqrt_one_minus_alpha_prod = _roots_at(
        alphas_cumprod, timesteps, original_samples.dtype, original_samples.ndim
    )
    noisy_samples = sqrt_alpha_prod * original_samples + sqrt_one_minus_alpha_prod * noise
    return noisy_samples


# Mirrors diffusers.schedulers.scheduling_ddpm.DDPMScheduler.get_velocity
def get_velocity(alphas_cumprod: mx.array, sample: mx.array, noise: mx.array, timesteps: Any) -> mx.array:
    """
    Compute the velocity prediction from the sample and noise (section 2.4 of https://arxiv.org/abs/2210.02303):
    sqrt(alpha_prod) * noise - sqrt(1 - alpha_prod) * sample.
    """
    sqrt_alpha_prod, sqrt_one_minus_alpha_prod = _roots_at(alphas_cumprod, timesteps, sample.dtype, sample.ndim)
    velocity = sqrt_alpha_prod * noise - sqrt_one_minus_alpha_prod * sample
    return velocity


def _roots_at(alphas_cumprod: mx.array, timesteps: Any, dtype: mx.Dtype, ndim: int) -> tuple[mx.array, mx.array]:
    """sqrt(alpha_prod) and sqrt(1 - alpha_prod) at per-sample timesteps, computed in `dtype` and shaped to
    broadcast over samples of `ndim` dimensions, as the reference's add_noise and get_velocity do."""
    timesteps = timesteps if isinstance(timesteps, mx.array) else mx.array(np.asarray(timesteps))
    if not mx.issubdtype(timesteps.dtype, mx.integer):
        raise IndexError(f"timesteps must be integers, got dtype {timesteps.dtype}")
    size = alphas_cumprod.shape[0]
    out_of_range = (timesteps < -size) | (timesteps >= size)
    if mx.any(out_of_range).item():  # MLX does not bounds-check; torch raises IndexError
        bad = np.array(timesteps)[np.array(out_of_range)]
        raise IndexError(f"index {int(bad.flat[0])} is out of bounds for dimension 0 with size {size}")
    alphas_cumprod = alphas_cumprod.astype(dtype)
    alpha_prod = alphas_cumprod[mx.where(timesteps < 0, timesteps + size, timesteps)]

    sqrt_alpha_prod = mx.sqrt(alpha_prod).flatten()
    sqrt_one_minus_alpha_prod = mx.sqrt(1 - alpha_prod).flatten()
    shape = sqrt_alpha_prod.shape + (1,) * max(ndim - 1, 0)
    return sqrt_alpha_prod.reshape(shape), sqrt_one_minus_alpha_prod.reshape(shape)
