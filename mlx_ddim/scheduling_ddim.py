# An MLX port of diffusers' DDIMScheduler (diffusers/schedulers/scheduling_ddim.py, diffusers 0.42.1).
# Same names, signatures, defaults, method order and exceptions as the reference, so the two files read side by
# side; `mx.array` stands where the reference has `torch.Tensor`, and `generator` is an MLX PRNG key.
#
# Papers: DDPM https://arxiv.org/abs/2006.11239, DDIM https://arxiv.org/abs/2010.02502,
# zero terminal SNR https://arxiv.org/abs/2305.08891.
#
# Numerics. The reference's numbers are float32 torch arithmetic, and this port reproduces it op for op:
# - the schedule arrays are computed on the host with numpy helpers that emulate torch's linspace and cumprod
#   kernels (torch_float32.py), so betas, alphas and alphas_cumprod are the reference's exact bits;
# - the per-step scalars (alpha_prod_t, std_dev_t, ...) are float32 host values as in torch, except that this
#   port's square roots are correctly rounded, while torch 2.13's float32 sqrt is off by one ULP on about 20% of
#   inputs (measured on x86-64);
# - in `step`, a float32 scalar meets a half-precision array the way a 0-dim torch tensor does: rounded to the
#   array's dtype in `scalar * array`, kept in float32 in `array / scalar` (torch's CPU kernels treat the
#   second operand specially). So prev_sample and pred_original_sample keep the sample's dtype.
# - No host synchronisation in `step`: its float32 scalars are computed on the host once per (step ratio, eta)
#   for every timestep, into a table; a Python or numpy integer timestep picks its row on the host, an element
#   of `scheduler.timesteps` (an mx.array) gathers it on the device, branch-free.
# - Speed: `step`'s elementwise arithmetic is two plain functions of arrays, compiled into fused kernels on the
#   CPU backend (see `_kernel`); `make bench` measures the port against the reference.

from __future__ import annotations

import functools
import math
import numbers
import platform
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, NamedTuple

import mlx.core as mx
import numpy as np

from .configuration import ConfigMixin, register_to_config
from .outputs import BaseOutput
from .quantile import quantile_rows
from .scheduler_mixin import KarrasDiffusionSchedulers, SchedulerMixin
from .torch_float32 import cumprod_float32, linspace_float32

__all__ = ["DDIMScheduler", "DDIMSchedulerOutput", "betas_for_alpha_bar", "rescale_zero_terminal_snr"]

_REDUCED_FLOATS = (mx.float16, mx.bfloat16)
_X86_64 = platform.machine().lower() in ("x86_64", "amd64")


@dataclass
class DDIMSchedulerOutput(BaseOutput):
    """
    Output class for the scheduler's `step` function output.

    Args:
        prev_sample (`mx.array` of shape `(batch_size, num_channels, height, width)` for images):
            Computed sample `(x_{t-1})` of previous timestep. `prev_sample` should be used as next model input in the
            denoising loop.
        pred_original_sample (`mx.array` of shape `(batch_size, num_channels, height, width)` for images):
            The predicted denoised sample `(x_{0})` based on the model output from the current timestep.
            `pred_original_sample` can be used to preview progress or for guidance.
    """

    prev_sample: mx.array
    pred_original_sample: mx.array | None = None


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
    return mx.array(_betas_for_alpha_bar(num_diffusion_timesteps, max_beta, alpha_transform_type))


def _betas_for_alpha_bar(num_diffusion_timesteps: int, max_beta: float, alpha_transform_type: str) -> np.ndarray:
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


def rescale_zero_terminal_snr(betas: mx.array) -> mx.array:
    """
    Rescales betas to have zero terminal SNR Based on https://arxiv.org/abs/2305.08891 (Algorithm 1)

    Args:
        betas (`mx.array`): The betas that the scheduler is being initialized with.

    Returns:
        `mx.array`: Rescaled float32 betas with zero terminal SNR.
    """
    return mx.array(_rescale_zero_terminal_snr(np.array(betas, dtype=np.float32)))


def _rescale_zero_terminal_snr(betas: np.ndarray) -> np.ndarray:
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


def _is_integer(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _cast(value: np.float32 | mx.array, dtype: mx.Dtype) -> mx.array:
    """A float32 scalar as an MLX scalar of `dtype` (rounded once, as torch casts a 0-dim tensor)."""
    return value.astype(dtype) if isinstance(value, mx.array) else mx.array(value, dtype=dtype)


def _scale(coefficient: np.float32 | mx.array, x: mx.array) -> mx.array:
    """`coefficient * x` with a 0-dim float32 torch tensor on the left: rounded to x's dtype first."""
    return _cast(coefficient, x.dtype) * x


def _divide(x: mx.array, coefficient: np.float32 | mx.array) -> mx.array:
    """`x / coefficient` with a 0-dim float32 torch tensor on the right: torch divides a half-precision x by the
    float32 value itself, then rounds to x's dtype."""
    if x.dtype in _REDUCED_FLOATS:
        return (x / _cast(coefficient, mx.float32)).astype(x.dtype)
    return x / _cast(coefficient, x.dtype)


class StepCoefficients(NamedTuple):
    """The float32 scalars of one step, each a 0-dim (or timestep-shaped) mx.array."""

    sqrt_alpha_prod_t: mx.array
    sqrt_beta_prod_t: mx.array
    std_dev_t: mx.array
    direction_coefficient: mx.array  # sqrt(1 - alpha_prod_t_prev - std_dev_t**2): "direction pointing to x_t"
    sqrt_alpha_prod_t_prev: mx.array


class _CoefficientTable(NamedTuple):
    """`step`'s scalars for one (num_inference_steps, eta): see `DDIMScheduler._coefficient_table`."""

    host: np.ndarray  # (2 * size + 2, 5) float32, columns in the order of StepCoefficients
    columns: StepCoefficients  # the same columns on the device, for _coefficients_at
    rows_at: tuple[mx.array, mx.array]  # int64 row offset (size + 1) and last row (2 * size + 1), the same
    rows: dict[int, StepCoefficients]  # the rows that host integer timesteps have used, as 0-dim arrays


# The step's elementwise arithmetic, as plain functions of arrays: `_kernel` compiles them on the CPU. Their
# leading arguments are Python values that select a variant; the others are arrays.


def _pred_original_sample(
    prediction_type: str, clip: str | None, model_output: mx.array, sample: mx.array,
    sqrt_alpha_prod_t: mx.array, sqrt_beta_prod_t: mx.array, clip_min: mx.array, clip_max: mx.array,
) -> mx.array:  # fmt: skip
    """Steps 3 and 4 of `step`, elementwise: "predicted x_0" of formula (12), clipped unless `clip` is None.

    clip "clamp" is torch.clamp's min(max(x, clip_min), clip_max). "select" gives the same values with two
    selects, which g++ vectorizes in fewer instructions (the fused float32 step runs 1.7 times faster): for
    float32 bounds with clip_min < 0 < clip_max, a NaN stays NaN and every other x gets the same bits (the two
    forms differ only for NaN bounds, or in the sign of a zero when a bound is zero; `step` then clamps).
    """
    # 3. compute predicted original sample from predicted noise also called
    # "predicted x_0" of formula (12) from https://arxiv.org/abs/2010.02502
    if prediction_type == "epsilon":
        pred_original_sample = _divide(sample - _scale(sqrt_beta_prod_t, model_output), sqrt_alpha_prod_t)
    elif prediction_type == "sample":
        pred_original_sample = model_output
    else:  # "v_prediction"
        pred_original_sample = _scale(sqrt_alpha_prod_t, sample) - _scale(sqrt_beta_prod_t, model_output)

    # 4. Clip "predicted x_0" (dynamic thresholding is not elementwise: `step` applies it between the kernels)
    if clip == "select":
        pred_original_sample = mx.where(pred_original_sample < clip_min, clip_min, pred_original_sample)
        pred_original_sample = mx.where(pred_original_sample > clip_max, clip_max, pred_original_sample)
    elif clip == "clamp":
        dtype = pred_original_sample.dtype
        pred_original_sample = mx.clip(pred_original_sample, clip_min.astype(dtype), clip_max.astype(dtype))
    return pred_original_sample


def _epsilon_from_original_sample(
    sample: mx.array, pred_original_sample: mx.array, sqrt_alpha_prod_t: mx.array, sqrt_beta_prod_t: mx.array
) -> mx.array:
    """Formula (12) solved for the noise: (x_t - sqrt(alpha_prod_t) * x_0) / sqrt(1 - alpha_prod_t)."""
    return _divide(sample - _scale(sqrt_alpha_prod_t, pred_original_sample), sqrt_beta_prod_t)


def _prev_sample(
    prediction_type: str, use_clipped_model_output: bool, pred_original_sample: mx.array, model_output: mx.array,
    sample: mx.array, coefficients: StepCoefficients, variance_noise: tuple[mx.array, ...],
) -> mx.array:  # fmt: skip
    """Steps 6 and 7 of `step`, elementwise: x_{t-1} of formula (12), plus sigma_t * noise when eta > 0.

    pred_epsilon is derived here from the inputs, as step 3 of the reference computes it, so that a kernel has
    one output (see `_kernel`)."""
    sqrt_alpha_prod_t, sqrt_beta_prod_t, std_dev_t, direction_coefficient, sqrt_alpha_prod_t_prev = coefficients
    if use_clipped_model_output:
        # the pred_epsilon is always re-derived from the clipped x_0 in Glide
        pred_epsilon = _epsilon_from_original_sample(sample, pred_original_sample, sqrt_alpha_prod_t, sqrt_beta_prod_t)
    elif prediction_type == "epsilon":
        pred_epsilon = model_output
    elif prediction_type == "sample":
        # from the unclipped prediction
        pred_epsilon = _epsilon_from_original_sample(sample, model_output, sqrt_alpha_prod_t, sqrt_beta_prod_t)
    else:  # "v_prediction"
        pred_epsilon = _scale(sqrt_alpha_prod_t, model_output) + _scale(sqrt_beta_prod_t, sample)

    # 6. compute "direction pointing to x_t" of formula (12) from https://arxiv.org/abs/2010.02502
    pred_sample_direction = _scale(direction_coefficient, pred_epsilon)

    # 7. compute x_t without "random noise" of formula (12) from https://arxiv.org/abs/2010.02502
    prev_sample = _scale(sqrt_alpha_prod_t_prev, pred_original_sample) + pred_sample_direction

    for noise in variance_noise:  # eta > 0: the "random noise" sigma_t * z of formula (12)
        prev_sample = prev_sample + _scale(std_dev_t, noise)
    return prev_sample


def _prev_sample_from_x0(
    prediction_type: str, use_clipped_model_output: bool, pred_original_sample: mx.array, model_output: mx.array,
    sample: mx.array, *arrays: mx.array,
) -> mx.array:  # fmt: skip
    """`_prev_sample` from a given x_0 (thresholded, or where nothing is compiled); `arrays`: the five
    coefficients, then any variance noise."""
    coefficients = StepCoefficients(*arrays[:5])
    return _prev_sample(
        prediction_type, use_clipped_model_output, pred_original_sample, model_output, sample, coefficients, arrays[5:]
    )


def _prev_sample_from_model_output(
    prediction_type: str, clip: str | None, use_clipped_model_output: bool, model_output: mx.array, sample: mx.array,
    clip_min: mx.array, clip_max: mx.array, *arrays: mx.array,
) -> mx.array:  # fmt: skip
    """`_prev_sample` with x_0 recomputed inside the same kernel rather than read from memory: one pass over the
    inputs, and nothing spent on x_0 unless the caller evaluates pred_original_sample. Bit-identical: the same
    expressions round the same way. `arrays`: the five coefficients, then any variance noise."""
    coefficients = StepCoefficients(*arrays[:5])
    pred_original_sample = _pred_original_sample(
        prediction_type, clip, model_output, sample, *coefficients[:2], clip_min, clip_max
    )
    return _prev_sample(
        prediction_type, use_clipped_model_output, pred_original_sample, model_output, sample, coefficients, arrays[5:]
    )


def _variance(alpha_prod_t, alpha_prod_t_prev):
    """The variance of formula (16), for float32 numpy values or mx arrays alike."""
    beta_prod_t = 1 - alpha_prod_t
    beta_prod_t_prev = 1 - alpha_prod_t_prev
    return (beta_prod_t_prev / beta_prod_t) * (1 - alpha_prod_t / alpha_prod_t_prev)


def _step_scalars(alpha_prod_t: np.ndarray, alpha_prod_t_prev: np.ndarray, eta: np.float32) -> StepCoefficients:
    """Steps 2 and 5 of `step`: its float32 scalars from the two alpha products (numpy, on the host), with
    correctly rounded square roots."""
    beta_prod_t = 1 - alpha_prod_t

    # 5. compute variance: "sigma_t(η)" -> see formula (16)
    # σ_t = sqrt((1 − α_t−1)/(1 − α_t)) * sqrt(1 − α_t/α_t−1)
    variance = _variance(alpha_prod_t, alpha_prod_t_prev)
    std_dev_t = np.sqrt(variance) * eta

    # the coefficient of "direction pointing to x_t" of formula (12)
    direction_coefficient = np.sqrt(1 - alpha_prod_t_prev - std_dev_t * std_dev_t)
    return StepCoefficients(
        np.sqrt(alpha_prod_t), np.sqrt(beta_prod_t), std_dev_t, direction_coefficient, np.sqrt(alpha_prod_t_prev)
    )


def _coefficients_at(timestep: mx.array, row_offset: mx.array, last_row: mx.array, *columns: mx.array) -> list:
    """Coefficient table columns gathered at an mx.array timestep's row, t + size + 1, on the device (the
    timestep is never read back); rows 0 and 2 * size + 1 hold NaN and stand for any timestep out of range.
    The offsets are int64 arrays: Python ints would be baked into the compiled kernel (a build per value).
    One gather per column: slicing scalars out of one gathered row costs more (an op each, see `_kernel`)."""
    row = mx.clip(timestep.astype(mx.int64) + row_offset, 0, last_row)
    return [column[row] for column in columns]


# sigma_t where no noise is added (eta <= 0): `_prev_sample` never reads it, and the device path skips its gather.
_UNUSED = mx.array(math.nan, mx.float32)


@functools.cache
def _compiled(function, *static):
    return mx.compile(functools.partial(function, *static))


def _kernel(compile: bool, function, *static):
    """`function` with its leading Python arguments (`static`) bound, ready to call on arrays; compiled if
    `compile` (see `_compiles`).

    Compiled, MLX fuses the elementwise ops into one loop that a C++ compiler builds once (a second or two per
    variant, then cached on disk by MLX) and that reads and writes memory once instead of once per op. The
    kernels round exactly as the separate ops do (the parity gate runs them, and parity/test_port_only.py
    compares them with `mx.disable_compile()`). Rules measured with `make bench`:
    - one output per kernel: with two, g++ gives up vectorizing the loop (possible aliasing) and it ran 2 to 11
      times slower, so x_0 is recomputed in the prev_sample kernel rather than output beside it;
    - coefficients as separate 0-dim arrays: a Python float would be baked into the kernel (a recompile per
      value), and slicing them from one array costs an op each, about 15 microseconds on this CPU backend.
    """
    return _compiled(function, *static) if compile else functools.partial(function, *static)


def _compiles(model_output: mx.array, sample: mx.array) -> bool:
    """Whether `step` compiles its kernels: on the CPU backend of an x86-64 machine, for float32 arrays.

    Measured (`make bench`): compiled float32 steps ran 1.3 to 3.7 times faster than separate ops (1.0 to 1.2
    with dynamic thresholding, where the partition dominates); compiled bfloat16 ones 1.3 to 2.5 times slower
    (g++ does not vectorize the half-precision conversions), so half precision runs uncompiled. x86-64 only: MLX builds its kernels with `g++ -O3` and no -march, so no FMA
    instruction exists to contract a multiply and an add into; on other CPUs (aarch64: GCC contracts by
    default) and GPUs a compiler may do so, and round differently from the reference. Those run uncompiled:
    not measured here. `mx.disable_compile()` turns compilation off everywhere.
    """
    return model_output.dtype == mx.float32 and sample.dtype == mx.float32 and mx.default_device() == mx.cpu and _X86_64


class DDIMScheduler(SchedulerMixin, ConfigMixin):
    """
    `DDIMScheduler` extends the denoising procedure introduced in denoising diffusion probabilistic models (DDPMs) with
    non-Markovian guidance. An MLX port of diffusers' `DDIMScheduler`: the arguments below are the reference's.

    Args:
        num_train_timesteps (`int`, defaults to 1000):
            The number of diffusion steps to train the model.
        beta_start (`float`, defaults to 0.0001):
            The starting `beta` value of inference.
        beta_end (`float`, defaults to 0.02):
            The final `beta` value.
        beta_schedule (`str`, defaults to `"linear"`):
            `"linear"`, `"scaled_linear"`, or `"squaredcos_cap_v2"`.
        trained_betas (`np.ndarray | list[float]`, *optional*):
            Pass an array of betas directly to the constructor to bypass `beta_start` and `beta_end`.
        clip_sample (`bool`, defaults to `True`):
            Clip the predicted sample for numerical stability.
        set_alpha_to_one (`bool`, defaults to `True`):
            For the final step there is no previous alpha. When `True` the previous alpha product is fixed to `1`,
            otherwise it uses the alpha value at step 0.
        steps_offset (`int`, defaults to 0):
            An offset added to the inference steps, as required by some model families.
        prediction_type (`str`, defaults to `"epsilon"`):
            `"epsilon"` (predicts the noise), `"sample"` (predicts the clean sample), or `"v_prediction"`.
        thresholding (`bool`, defaults to `False`):
            Whether to use the "dynamic thresholding" method (unsuitable for latent-space models).
        dynamic_thresholding_ratio (`float`, defaults to 0.995):
            The ratio for the dynamic thresholding method. Valid only when `thresholding=True`.
        clip_sample_range (`float`, defaults to 1.0):
            The maximum magnitude for sample clipping. Valid only when `clip_sample=True`.
        sample_max_value (`float`, defaults to 1.0):
            The threshold value for dynamic thresholding. Valid only when `thresholding=True`.
        timestep_spacing (`str`, defaults to `"leading"`):
            `"leading"`, `"trailing"`, or `"linspace"`: Table 2 of https://arxiv.org/abs/2305.08891.
        rescale_betas_zero_snr (`bool`, defaults to `False`):
            Whether to rescale the betas to have zero terminal SNR.
    """

    _compatibles: ClassVar[list[str]] = [e.name for e in KarrasDiffusionSchedulers]
    order = 1

    @register_to_config
    def __init__(
        self,
        num_train_timesteps: int = 1000,
        beta_start: float = 0.0001,
        beta_end: float = 0.02,
        beta_schedule: str = "linear",
        trained_betas: np.ndarray | list[float] | None = None,
        clip_sample: bool = True,
        set_alpha_to_one: bool = True,
        steps_offset: int = 0,
        prediction_type: Literal["epsilon", "sample", "v_prediction"] = "epsilon",
        thresholding: bool = False,
        dynamic_thresholding_ratio: float = 0.995,
        clip_sample_range: float = 1.0,
        sample_max_value: float = 1.0,
        timestep_spacing: Literal["leading", "trailing", "linspace"] = "leading",
        rescale_betas_zero_snr: bool = False,
    ):
        if not _is_integer(num_train_timesteps) or num_train_timesteps < 1:
            raise ValueError(f"num_train_timesteps must be a positive integer, got {num_train_timesteps!r}")
        if not _is_integer(steps_offset):
            raise ValueError(f"steps_offset must be an integer, got {steps_offset!r}")

        if trained_betas is not None:
            betas = np.array(trained_betas, dtype=np.float32)
        elif beta_schedule == "linear":
            betas = linspace_float32(beta_start, beta_end, num_train_timesteps)
        elif beta_schedule == "scaled_linear":
            # this schedule is very specific to the latent diffusion model.
            root = linspace_float32(beta_start**0.5, beta_end**0.5, num_train_timesteps)
            betas = root * root
        elif beta_schedule == "squaredcos_cap_v2":
            # Glide cosine schedule
            betas = _betas_for_alpha_bar(num_train_timesteps, 0.999, "cosine")
        else:
            raise NotImplementedError(f"{beta_schedule} is not implemented for {self.__class__}")

        # Rescale for zero SNR
        if rescale_betas_zero_snr:
            betas = _rescale_zero_terminal_snr(betas)

        alphas = np.float32(1.0) - betas
        alphas_cumprod = cumprod_float32(alphas)

        # At every step in ddim, we are looking into the previous alphas_cumprod
        # For the final step, there is no previous alphas_cumprod because we are already at 0
        # `set_alpha_to_one` decides whether we set this parameter simply to one or
        # whether we use the final alpha of the "non-previous" one.
        final_alpha_cumprod = np.float32(1.0) if set_alpha_to_one else alphas_cumprod[0]

        # Host-side copies: `step` looks its scalars up here, so it never waits on the device.
        self._alphas_cumprod_host = alphas_cumprod
        self._final_alpha_cumprod_host = np.float32(final_alpha_cumprod)
        self.betas = mx.array(betas)
        self.alphas = mx.array(alphas)
        self.alphas_cumprod = mx.array(alphas_cumprod)
        self.final_alpha_cumprod = mx.array(final_alpha_cumprod, dtype=mx.float32)
        self._coefficient_tables = {}  # (num_inference_steps, eta) -> _CoefficientTable
        self._clip_bounds = None  # built by the first step that clips: see _clip_bounds_at

        # standard deviation of the initial noise distribution
        self.init_noise_sigma = 1.0

        # setable values
        self.num_inference_steps = None
        self._set_timesteps_host(np.arange(0, num_train_timesteps)[::-1].copy().astype(np.int64))

    def scale_model_input(self, sample: mx.array, timestep: int | None = None) -> mx.array:
        """
        Ensures interchangeability with schedulers that need to scale the denoising model input depending on the
        current timestep. DDIM does not scale: the sample is returned as it is.
        """
        return sample

    def _get_variance(self, timestep: int, prev_timestep: int) -> mx.array:
        """
        Computes the variance of the noise added at a given diffusion step, formula (16) of the DDIM paper:
            var_t = (beta_prod_t_prev / beta_prod_t) * (1 - alpha_prod_t / alpha_prod_t_prev)
        If `prev_timestep` is negative, `final_alpha_cumprod` stands for alpha_prod_t_prev. Returns a float32 scalar.
        """
        alpha_prod_t = self._alpha_prod_host(timestep)
        alpha_prod_t_prev = self._alpha_prod_prev_host(prev_timestep)
        with np.errstate(divide="ignore", invalid="ignore"):
            return mx.array(_variance(alpha_prod_t, alpha_prod_t_prev), dtype=mx.float32)

    def _threshold_sample(self, sample: mx.array) -> mx.array:
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

        s = quantile_rows(abs_sample, self.config.dynamic_thresholding_ratio)
        # torch.clamp(s, min=1, max=sample_max_value): When clamped to min=1, equivalent to standard clipping to [-1, 1]
        s = mx.minimum(mx.maximum(s, 1.0), self.config.sample_max_value)
        s = s[:, None]  # (batch_size, 1) because clamp will broadcast along dim=0
        sample = (
            mx.minimum(mx.maximum(sample, -s), s) / s
        )  # "we threshold xt0 to the range [-s, s] and then divide by s"

        sample = sample.reshape(batch_size, channels, *remaining_dims)
        return sample.astype(dtype)

    def set_timesteps(self, num_inference_steps: int, device: Any = None) -> None:
        """
        Sets the discrete timesteps used for the diffusion chain (to be run before inference).

        Args:
            num_inference_steps (`int`):
                The number of diffusion steps used when generating samples with a pre-trained model.
            device (*optional*):
                Accepted for signature compatibility with diffusers and ignored: MLX arrays live in unified memory.

        Raises:
            ValueError: If `num_inference_steps` is not a positive integer, or is larger than
                `self.config.num_train_timesteps`.
        """
        if not _is_integer(num_inference_steps) or num_inference_steps < 1:
            # The reference divides by zero, returns an empty schedule or float timesteps here.
            raise ValueError(f"`num_inference_steps` must be a positive integer, got {num_inference_steps!r}")
        num_inference_steps = int(num_inference_steps)
        if num_inference_steps > self.config.num_train_timesteps:
            raise ValueError(
                f"`num_inference_steps`: {num_inference_steps} cannot be larger than `self.config.train_timesteps`:"
                f" {self.config.num_train_timesteps} as the unet model trained with this scheduler can only handle"
                f" maximal {self.config.num_train_timesteps} timesteps."
            )

        self.num_inference_steps = num_inference_steps

        # "linspace", "leading", "trailing" corresponds to annotation of Table 2. of https://arxiv.org/abs/2305.08891
        # The reference computes the timesteps in numpy, and so does the port: the same expressions.
        if self.config.timestep_spacing == "linspace":
            timesteps = (
                np.linspace(0, self.config.num_train_timesteps - 1, num_inference_steps)
                .round()[::-1]
                .copy()
                .astype(np.int64)
            )
        elif self.config.timestep_spacing == "leading":
            step_ratio = self.config.num_train_timesteps // self.num_inference_steps
            # creates integer timesteps by multiplying by ratio
            # casting to int to avoid issues when num_inference_step is power of 3
            timesteps = (np.arange(0, num_inference_steps) * step_ratio).round()[::-1].copy().astype(np.int64)
            timesteps += self.config.steps_offset
        elif self.config.timestep_spacing == "trailing":
            step_ratio = self.config.num_train_timesteps / self.num_inference_steps
            # creates integer timesteps by multiplying by ratio
            # casting to int to avoid issues when num_inference_step is power of 3
            timesteps = np.round(np.arange(self.config.num_train_timesteps, 0, -step_ratio)).astype(np.int64)
            timesteps -= 1
        else:
            raise ValueError(
                f"{self.config.timestep_spacing} is not supported. Please make sure to choose one of 'leading' or 'trailing'."
            )

        self._set_timesteps_host(timesteps)

    def _set_timesteps_host(self, timesteps: np.ndarray) -> None:
        size = len(self._alphas_cumprod_host)
        self._timesteps_host = timesteps
        # An mx.array timestep cannot be bounds-checked without reading it back. If every scheduled timestep is in
        # range, `step` trusts array timesteps (and guards them with NaN on the device); if not, it reads them.
        self._timesteps_in_range = bool(np.all((timesteps >= -size) & (timesteps < size)))
        self.timesteps = mx.array(timesteps)

    def step(
        self,
        model_output: mx.array,
        timestep: int | mx.array,
        sample: mx.array,
        eta: float = 0.0,
        use_clipped_model_output: bool = False,
        generator: mx.array | None = None,
        variance_noise: mx.array | None = None,
        return_dict: bool = True,
    ) -> DDIMSchedulerOutput | tuple:
        """
        Predict the sample from the previous timestep by reversing the SDE. This function propagates the diffusion
        process from the learned model outputs (most often the predicted noise).

        Args:
            model_output (`mx.array`):
                The direct output from learned diffusion model.
            timestep (`int`, numpy integer or integer `mx.array`):
                The current discrete timestep in the diffusion chain, e.g. an element of `self.timesteps`.
            sample (`mx.array`):
                A current instance of a sample created by the diffusion process.
            eta (`float`, *optional*, defaults to 0.0):
                The weight of noise for added noise in diffusion step. A value of 0 corresponds to DDIM (deterministic)
                and 1 corresponds to DDPM (fully stochastic).
            use_clipped_model_output (`bool`, *optional*, defaults to `False`):
                If `True`, computes "corrected" `model_output` from the clipped predicted original sample.
            generator (`mx.array`, *optional*):
                An MLX PRNG key (`mx.random.key(seed)`) for reproducible sampling; diffusers takes a `torch.Generator`.
            variance_noise (`mx.array`, *optional*):
                Alternative to generating noise with `generator` by directly providing the noise for the variance
                itself. Useful for methods such as [`CycleDiffusion`].
            return_dict (`bool`, *optional*, defaults to `True`):
                Whether or not to return a [`DDIMSchedulerOutput`] or `tuple`.

        Returns:
            [`DDIMSchedulerOutput`] or `tuple`: (prev_sample, pred_original_sample).
        """
        if self.num_inference_steps is None:
            raise ValueError(
                "Number of inference steps is 'None', you need to run 'set_timesteps' after creating the scheduler"
            )

        # See formulas (12) and (16) of DDIM paper https://arxiv.org/abs/2010.02502
        # Notation (<variable name> -> <name in paper>
        # - pred_noise_t -> e_theta(x_t, t)
        # - pred_original_sample -> f_theta(x_t, t) or x_0
        # - std_dev_t -> sigma_t
        # - eta -> η
        # - pred_sample_direction -> "direction pointing to x_t"
        # - pred_prev_sample -> "x_t-1"

        # 1. get previous step value (=t-1), 2. compute alphas, betas and 5. compute variance: "sigma_t(η)",
        # see formula (16): the float32 scalars of this step, looked up in a table (_coefficient_table).
        coefficients = self._step_coefficients(timestep, eta)

        config = self.config
        if config.prediction_type not in ("epsilon", "sample", "v_prediction"):
            raise ValueError(
                f"prediction_type given as {config.prediction_type} must be one of `epsilon`, `sample`, or"
                " `v_prediction`"
            )

        # 3. compute "predicted x_0" of formula (12) and 4. clip it (see _pred_original_sample), or threshold it
        prediction_type, thresholding = config.prediction_type, config.thresholding
        compiled = _compiles(model_output, sample)
        clip, clip_bounds = None, (_UNUSED, _UNUSED)
        if config.clip_sample and not thresholding:
            *clip_bounds, ordered = self._clip_bounds_at()
            clip = "select" if compiled and ordered else "clamp"
        pred_original_sample = _kernel(compiled, _pred_original_sample, prediction_type, clip)(
            model_output, sample, coefficients.sqrt_alpha_prod_t, coefficients.sqrt_beta_prod_t, *clip_bounds
        )
        if thresholding:
            pred_original_sample = self._threshold_sample(pred_original_sample)

        noise = ()
        if eta > 0:
            if variance_noise is not None and generator is not None:
                raise ValueError(
                    "Cannot pass both generator and variance_noise. Please make sure that either `generator` or"
                    " `variance_noise` stays `None`."
                )

            if variance_noise is None:
                if generator is not None and not isinstance(generator, mx.array):
                    raise TypeError(
                        f"generator must be an MLX PRNG key such as mx.random.key(0), got {type(generator).__name__}"
                    )
                variance_noise = mx.random.normal(model_output.shape, dtype=model_output.dtype, key=generator)
            noise = (variance_noise,)

        # 6. compute "direction pointing to x_t" and 7. x_t-1 of formula (12), plus the noise (see _prev_sample)
        use_clipped = bool(use_clipped_model_output)
        if thresholding or not compiled:
            prev_sample = _kernel(compiled, _prev_sample_from_x0, prediction_type, use_clipped)(
                pred_original_sample, model_output, sample, *coefficients, *noise
            )
        else:
            prev_sample = _kernel(compiled, _prev_sample_from_model_output, prediction_type, clip, use_clipped)(
                model_output, sample, *clip_bounds, *coefficients, *noise
            )

        if not return_dict:
            return (
                prev_sample,
                pred_original_sample,
            )

        return DDIMSchedulerOutput(prev_sample=prev_sample, pred_original_sample=pred_original_sample)

    def _clip_bounds_at(self) -> tuple[mx.array, mx.array, bool]:
        """-clip_sample_range and clip_sample_range as float32 arrays, and whether -r < 0 < r (where clipping by
        selects is exact, see `_pred_original_sample`). Built on first use: the reference reads
        clip_sample_range only when it clips, so a config that does not clip may hold anything there."""
        if self._clip_bounds is None:
            r = self.config.clip_sample_range
            self._clip_bounds = (mx.array(-r, mx.float32), mx.array(r, mx.float32), bool(np.float32(r) > 0))
        return self._clip_bounds

    def _alpha_prod_host(self, timestep: int) -> np.float32:
        """`alphas_cumprod[timestep]` from the host copy, with torch's bounds check (negative indices count back)."""
        size = len(self._alphas_cumprod_host)
        if not -size <= timestep < size:
            raise IndexError(f"index {timestep} is out of bounds for dimension 0 with size {size}")
        return self._alphas_cumprod_host[timestep]

    def _alpha_prod_prev_host(self, prev_timestep: int) -> np.float32:
        """alpha_prod_t_prev: `final_alpha_cumprod` stands in for a negative previous timestep."""
        return self._alpha_prod_host(prev_timestep) if prev_timestep >= 0 else self._final_alpha_cumprod_host

    def _coefficient_table(self, eta: float) -> _CoefficientTable:
        """The float32 scalars of `step` at every timestep t in [-size, size), row t + size + 1, for this
        schedule's step ratio and `eta`; rows 0 and 2 * size + 1 are NaN and stand for any timestep out of
        range. Computed once per (num_inference_steps, eta) on the host, with the reference's float32
        expressions (correctly rounded square roots)."""
        key = (self.num_inference_steps, float(eta))
        if key in self._coefficient_tables:
            return self._coefficient_tables[key]
        # The reference's quirk is kept: the previous timestep uses the integer ratio whatever the spacing.
        step_ratio = self.config.num_train_timesteps // self.num_inference_steps

        size = len(self._alphas_cumprod_host)
        timesteps = np.arange(-size, size)
        # 1. get previous step value (=t-1)
        prev_timestep = timesteps - step_ratio
        # 2. compute alphas, betas (a negative timestep counts back, as torch indexes), then 5. (_step_scalars)
        alpha_prod_t = self._alphas_cumprod_host[timesteps]
        alpha_prod_t_prev = np.where(
            prev_timestep >= 0, self._alphas_cumprod_host[np.maximum(prev_timestep, 0)], self._final_alpha_cumprod_host
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            columns = _step_scalars(alpha_prod_t, alpha_prod_t_prev, np.float32(eta))
        out_of_range = np.full((1, len(columns)), np.nan, np.float32)
        table = np.concatenate([out_of_range, np.stack(columns, axis=1), out_of_range]).astype(np.float32)

        if len(self._coefficient_tables) >= 16:  # a loop uses one or two; bound what a sweep over eta leaves
            self._coefficient_tables.clear()
        device_columns = StepCoefficients(*(mx.array(column) for column in table.T))
        rows_at = (mx.array(size + 1, mx.int64), mx.array(2 * size + 1, mx.int64))
        self._coefficient_tables[key] = _CoefficientTable(table, device_columns, rows_at, {})
        return self._coefficient_tables[key]

    def _step_coefficients(self, timestep: int | mx.array, eta: float) -> StepCoefficients:
        """The float32 scalars of `step` at `timestep`.

        A host integer picks its row on the host, bounds-checked as torch indexes. An integer mx.array gathers
        it on the device without reading the timestep back: out of range, it gets the NaN row, as no exception
        can be raised there; but if this schedule itself holds timesteps out of range, the array is read back
        to raise IndexError like torch.
        """
        table = self._coefficient_table(eta)
        size = len(self._alphas_cumprod_host)
        if isinstance(timestep, mx.array):
            if not mx.issubdtype(timestep.dtype, mx.integer):
                raise IndexError(f"timestep must be an integer, got an mx.array of dtype {timestep.dtype}")
            if not self._timesteps_in_range:
                # This schedule holds timesteps past alphas_cumprod: read the value to raise IndexError like torch.
                return self._step_coefficients(timestep.item(), eta)
            gather = _kernel(mx.default_device() == mx.cpu, _coefficients_at)
            needed = table.columns if eta > 0 else table.columns._replace(std_dev_t=None)
            gathered = iter(gather(timestep, *table.rows_at, *(column for column in needed if column is not None)))
            return StepCoefficients(*(_UNUSED if column is None else next(gathered) for column in needed))
        if not _is_integer(timestep):
            raise IndexError(
                f"timestep must be an integer (a Python or numpy integer, or an element of scheduler.timesteps), "
                f"got {timestep!r}"
            )
        row = int(timestep) + size + 1
        if row not in table.rows:
            self._alpha_prod_host(int(timestep))  # torch's bounds check
            table.rows[row] = StepCoefficients(*(mx.array(value, mx.float32) for value in table.host[row].tolist()))
        return table.rows[row]

    def _schedule_at(self, timesteps: Any, dtype: mx.Dtype, ndim: int) -> tuple[mx.array, mx.array]:
        """sqrt(alpha_prod) and sqrt(1 - alpha_prod) at per-sample timesteps, computed in `dtype` and shaped to
        broadcast over samples of `ndim` dimensions, as the reference's add_noise and get_velocity do."""
        timesteps = timesteps if isinstance(timesteps, mx.array) else mx.array(np.asarray(timesteps))
        if not mx.issubdtype(timesteps.dtype, mx.integer):
            raise IndexError(f"timesteps must be integers, got dtype {timesteps.dtype}")
        size = len(self._alphas_cumprod_host)
        out_of_range = (timesteps < -size) | (timesteps >= size)
        if mx.any(out_of_range).item():  # MLX does not bounds-check; torch raises IndexError
            bad = np.array(timesteps)[np.array(out_of_range)]
            raise IndexError(f"index {int(bad.flat[0])} is out of bounds for dimension 0 with size {size}")
        alphas_cumprod = self.alphas_cumprod.astype(dtype)
        alpha_prod = alphas_cumprod[mx.where(timesteps < 0, timesteps + size, timesteps)]

        sqrt_alpha_prod = mx.sqrt(alpha_prod).flatten()
        sqrt_one_minus_alpha_prod = mx.sqrt(1 - alpha_prod).flatten()
        shape = sqrt_alpha_prod.shape + (1,) * max(ndim - 1, 0)
        return sqrt_alpha_prod.reshape(shape), sqrt_one_minus_alpha_prod.reshape(shape)

    def add_noise(self, original_samples: mx.array, noise: mx.array, timesteps: mx.array) -> mx.array:
        """
        Add noise to the original samples according to the noise magnitude at each timestep (this is the forward
        diffusion process, formula (4) of the DDPM paper): sqrt(alpha_prod) * x_0 + sqrt(1 - alpha_prod) * noise.

        `timesteps` holds one integer per sample (or one for all); the schedule is cast to the samples' dtype first,
        as in the reference.
        """
        sqrt_alpha_prod, sqrt_one_minus_alpha_prod = self._schedule_at(
            timesteps, original_samples.dtype, original_samples.ndim
        )
        noisy_samples = sqrt_alpha_prod * original_samples + sqrt_one_minus_alpha_prod * noise
        return noisy_samples

    def get_velocity(self, sample: mx.array, noise: mx.array, timesteps: mx.array) -> mx.array:
        """
        Compute the velocity prediction from the sample and noise (section 2.4 of https://arxiv.org/abs/2210.02303):
        sqrt(alpha_prod) * noise - sqrt(1 - alpha_prod) * sample.
        """
        sqrt_alpha_prod, sqrt_one_minus_alpha_prod = self._schedule_at(timesteps, sample.dtype, sample.ndim)
        velocity = sqrt_alpha_prod * noise - sqrt_one_minus_alpha_prod * sample
        return velocity

    def __len__(self) -> int:
        return self.config.num_train_timesteps
