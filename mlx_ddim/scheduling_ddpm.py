# An MLX port of diffusers' DDPMScheduler (diffusers/schedulers/scheduling_ddpm.py, diffusers 0.42.1).
# Same names, signatures, defaults, method order and exceptions as the reference, so the two files read side by
# side; `mx.array` stands where the reference has `torch.Tensor`, and `generator` is an MLX PRNG key.
#
# Papers: DDPM https://arxiv.org/abs/2006.11239, zero terminal SNR https://arxiv.org/abs/2305.08891,
# improved DDPM (learned variances) https://arxiv.org/abs/2102.09672.
#
# Numerics, as in scheduling_ddim.py: the schedule arrays are computed on the host with torch's float32 rounding
# (shared.float32_schedule); the per-step scalars (alpha_prod_t, the coefficients of formula (7), the variances)
# are float32 0-dim arrays computed with the reference's expressions, on the device (an mx.array timestep is never
# read back to the host); square roots are correctly rounded (`mx.sqrt` where the reference writes `** 0.5`:
# torch's are off by one ULP on some inputs), and the logs and exps of the scalars are torch's float32 ones
# (torch_scalars.log and exp). In `step`, a float32 scalar meets a half-precision array the way a 0-dim torch
# tensor does (torch_scalars.py), so the outputs keep the sample's dtype.

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import mlx.core as mx
import numpy as np

from .configuration import ConfigMixin, register_to_config
from .outputs import BaseOutput
from .scheduler_mixin import KarrasDiffusionSchedulers, SchedulerMixin
from .shared import (
    add_noise,
    checked_timestep,
    float32_schedule,
    get_velocity,
    index_padded,
    is_integer,
    padded,
    spaced_timesteps,
    threshold_sample,
)
from .torch_scalars import clamp, divide, exp, log, scale, times

__all__ = ["DDPMScheduler", "DDPMSchedulerOutput"]

VARIANCE_TYPES = ("fixed_small", "fixed_small_log", "fixed_large", "fixed_large_log", "learned", "learned_range")
BETA_SCHEDULES = ("linear", "scaled_linear", "squaredcos_cap_v2", "laplace", "sigmoid")


@dataclass
class DDPMSchedulerOutput(BaseOutput):
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


class DDPMScheduler(SchedulerMixin, ConfigMixin):
    """
    `DDPMScheduler` explores the connections between denoising score matching and Langevin dynamics sampling. An MLX
    port of diffusers' `DDPMScheduler`: the arguments below are the reference's.

    Args:
        num_train_timesteps (`int`, defaults to `1000`):
            The number of diffusion steps to train the model.
        beta_start (`float`, defaults to `0.0001`):
            The starting `beta` value of inference.
        beta_end (`float`, defaults to `0.02`):
            The final `beta` value.
        beta_schedule (`str`, defaults to `"linear"`):
            `"linear"`, `"scaled_linear"`, `"squaredcos_cap_v2"`, or `"sigmoid"` (and the undocumented `"laplace"`).
        trained_betas (`np.ndarray | list[float]`, *optional*):
            An array of betas to pass directly to the constructor without using `beta_start` and `beta_end`.
        variance_type (`str`, defaults to `"fixed_small"`):
            `"fixed_small"`, `"fixed_small_log"`, `"fixed_large"`, `"fixed_large_log"`, `"learned"` or
            `"learned_range"`: the variance of the noise added at each step. The learned ones read it from a model
            output with twice the sample's channels.
        clip_sample (`bool`, defaults to `True`):
            Clip the predicted sample for numerical stability.
        prediction_type (`str`, defaults to `"epsilon"`):
            `"epsilon"` (predicts the noise), `"sample"` (predicts the clean sample), or `"v_prediction"`.
        thresholding (`bool`, defaults to `False`):
            Whether to use the "dynamic thresholding" method (unsuitable for latent-space models).
        dynamic_thresholding_ratio (`float`, defaults to `0.995`):
            The ratio for the dynamic thresholding method. Valid only when `thresholding=True`.
        clip_sample_range (`float`, defaults to `1.0`):
            The maximum magnitude for sample clipping. Valid only when `clip_sample=True`.
        sample_max_value (`float`, defaults to `1.0`):
            The threshold value for dynamic thresholding. Valid only when `thresholding=True`.
        timestep_spacing (`str`, defaults to `"leading"`):
            `"linspace"`, `"leading"`, or `"trailing"`: Table 2 of https://arxiv.org/abs/2305.08891.
        steps_offset (`int`, defaults to `0`):
            An offset added to the inference steps, as required by some model families.
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
        beta_schedule: Literal["linear", "scaled_linear", "squaredcos_cap_v2", "sigmoid"] = "linear",
        trained_betas: np.ndarray | list[float] | None = None,
        variance_type: Literal[
            "fixed_small",
            "fixed_small_log",
            "fixed_large",
            "fixed_large_log",
            "learned",
            "learned_range",
        ] = "fixed_small",
        clip_sample: bool = True,
        prediction_type: Literal["epsilon", "sample", "v_prediction"] = "epsilon",
        thresholding: bool = False,
        dynamic_thresholding_ratio: float = 0.995,
        clip_sample_range: float = 1.0,
        sample_max_value: float = 1.0,
        timestep_spacing: Literal["linspace", "leading", "trailing"] = "leading",
        steps_offset: int = 0,
        rescale_betas_zero_snr: bool = False,
    ):
        if not is_integer(num_train_timesteps) or num_train_timesteps < 1:
            raise ValueError(f"num_train_timesteps must be a positive integer, got {num_train_timesteps!r}")
        if not is_integer(steps_offset):
            raise ValueError(f"steps_offset must be an integer, got {steps_offset!r}")
        if variance_type is not None and variance_type not in VARIANCE_TYPES:
            # The reference accepts any value and treats an unknown one as "fixed_small"; None, which a config saved
            # by DPMSolverMultistepScheduler holds, is accepted and acts so here too.
            raise ValueError(f"variance_type must be one of {', '.join(VARIANCE_TYPES)}; got {variance_type!r}")

        betas, alphas, alphas_cumprod = float32_schedule(
            self.__class__, BETA_SCHEDULES, num_train_timesteps=num_train_timesteps, beta_start=beta_start,
            beta_end=beta_end, beta_schedule=beta_schedule, trained_betas=trained_betas,
            rescale_betas_zero_snr=rescale_betas_zero_snr,
        )  # fmt: skip
        self.betas = mx.array(betas)
        self.alphas = mx.array(alphas)
        self.alphas_cumprod = mx.array(alphas_cumprod)
        self._alphas_cumprod_padded = padded(alphas_cumprod)  # for `_alphas_cumprod_at`
        self.one = mx.array(1.0)

        # standard deviation of the initial noise distribution
        self.init_noise_sigma = 1.0

        # setable values
        self.custom_timesteps = False
        self.num_inference_steps = None
        self._set_timesteps_host(np.arange(0, num_train_timesteps)[::-1].copy().astype(np.int64))

        self.variance_type = variance_type

    def scale_model_input(self, sample: mx.array, timestep: int | None = None) -> mx.array:
        """
        Ensures interchangeability with schedulers that need to scale the denoising model input depending on the
        current timestep. DDPM does not scale: the sample is returned as it is.
        """
        return sample

    def set_timesteps(
        self,
        num_inference_steps: int | None = None,
        device: Any = None,
        timesteps: list[int] | None = None,
    ) -> None:
        """
        Sets the discrete timesteps used for the diffusion chain (to be run before inference).

        Args:
            num_inference_steps (`int`, *optional*):
                The number of diffusion steps used when generating samples with a pre-trained model. If used,
                `timesteps` must be `None`.
            device (*optional*):
                Accepted for signature compatibility with diffusers and ignored: MLX arrays live in unified memory.
            timesteps (`list[int]`, *optional*):
                Custom timesteps used to support arbitrary spacing between timesteps. If `None`, then the default
                timestep spacing strategy of equal spacing between timesteps is used. If `timesteps` is passed,
                `num_inference_steps` must be `None`.

        Raises:
            ValueError: If both or neither of the arguments are given, if the custom timesteps are empty, not
                integers, not descending or do not start before `num_train_timesteps`, or if `num_inference_steps`
                is not a positive integer or is larger than `num_train_timesteps`.
        """
        if num_inference_steps is not None and timesteps is not None:
            raise ValueError("Can only pass one of `num_inference_steps` or `custom_timesteps`.")

        if timesteps is not None:
            timesteps = _custom_timesteps(timesteps)  # the reference crashes on an empty list or truncates floats
            for i in range(1, len(timesteps)):
                if timesteps[i] >= timesteps[i - 1]:
                    raise ValueError("`custom_timesteps` must be in descending order.")

            if timesteps[0] >= self.config.num_train_timesteps:
                raise ValueError(
                    f"`timesteps` must start before `self.config.train_timesteps`: {self.config.num_train_timesteps}."
                )

            self.custom_timesteps = True
        else:
            if num_inference_steps is None:
                # The reference compares None with an int here (a TypeError).
                raise ValueError("set_timesteps needs one of `num_inference_steps` or `timesteps`; both are None")
            if not is_integer(num_inference_steps) or num_inference_steps < 1:
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
            self.custom_timesteps = False

            timesteps = spaced_timesteps(
                self.config.timestep_spacing, self.config.num_train_timesteps, num_inference_steps,
                self.config.steps_offset, supported="'linspace', 'leading' or 'trailing'",
            )  # fmt: skip

        self._set_timesteps_host(timesteps)

    def _get_variance(
        self,
        t: int | mx.array,
        predicted_variance: mx.array | None = None,
        variance_type: str | None = None,
    ) -> mx.array | None:
        """
        Compute the variance for a given timestep according to the specified variance type.

        Args:
            t (`int` or integer `mx.array`):
                The current timestep.
            predicted_variance (`mx.array`, *optional*):
                The predicted variance from the model. Used only when `variance_type` is `"learned"` or
                `"learned_range"`.
            variance_type (`str`, *optional*):
                The type of variance to compute. If `None`, uses the variance type specified in the scheduler
                configuration.

        Returns:
            `mx.array`: The computed variance: a float32 scalar for the fixed types; for the learned ones, an array
            in `predicted_variance`'s dtype (for `"learned"`, `predicted_variance` itself).
        """
        t = checked_timestep(t, len(self.alphas_cumprod), self._timesteps_in_range)  # torch's checks, as in `step`
        prev_t = self.previous_timestep(t)

        alpha_prod_t = self._alphas_cumprod_at(t)
        alpha_prod_t_prev = mx.where(prev_t >= 0, self._alphas_cumprod_at(prev_t), self.one)
        current_beta_t = 1 - alpha_prod_t / alpha_prod_t_prev

        # For t > 0, compute predicted variance βt (see formula (6) and (7) from https://arxiv.org/abs/2006.11239)
        # and sample from it to get previous sample
        # x_{t-1} ~ N(pred_prev_sample, variance) == add variance to pred_sample
        variance = (1 - alpha_prod_t_prev) / (1 - alpha_prod_t) * current_beta_t

        # we always take the log of variance, so clamp it to ensure it's not 0
        variance = mx.maximum(variance, 1e-20)

        if variance_type is None:
            variance_type = self.config.variance_type

        # hacks - were probably added for training stability
        if variance_type == "fixed_small":
            variance = variance
        # for rl-diffuser https://arxiv.org/abs/2205.09991
        elif variance_type == "fixed_small_log":
            variance = log(variance)
            variance = exp(0.5 * variance)
        elif variance_type == "fixed_large":
            variance = current_beta_t
        elif variance_type == "fixed_large_log":
            # Glide max_log
            variance = log(current_beta_t)
        elif variance_type == "learned":
            return predicted_variance
        elif variance_type == "learned_range":
            min_log = log(variance)
            max_log = log(current_beta_t)
            frac = (predicted_variance + 1) / 2
            variance = times(frac, max_log) + times(1 - frac, min_log)

        return variance

    # Mirrors diffusers.schedulers.scheduling_ddpm.DDPMScheduler._threshold_sample (shared.threshold_sample)
    def _threshold_sample(self, sample: mx.array) -> mx.array:
        """
        Apply dynamic thresholding to the predicted sample (https://arxiv.org/abs/2205.11487): set s to a certain
        percentile absolute pixel value in x_0; if s > 1, threshold x_0 to [-s, s] and divide by s. Computed in
        float32, returned in the sample's dtype.
        """
        return threshold_sample(sample, self.config.dynamic_thresholding_ratio, self.config.sample_max_value)

    def step(
        self,
        model_output: mx.array,
        timestep: int | mx.array,
        sample: mx.array,
        generator: mx.array | None = None,
        return_dict: bool = True,
        variance_noise: mx.array | None = None,
    ) -> DDPMSchedulerOutput | tuple:
        """
        Predict the sample from the previous timestep by reversing the SDE. This function propagates the diffusion
        process from the learned model outputs (most often the predicted noise).

        Args:
            model_output (`mx.array`):
                The direct output from learned diffusion model (with twice the sample's channels for a learned
                variance).
            timestep (`int`, numpy integer or integer `mx.array`):
                The current discrete timestep in the diffusion chain, e.g. an element of `self.timesteps`.
            sample (`mx.array`):
                A current instance of a sample created by the diffusion process.
            generator (`mx.array`, *optional*):
                An MLX PRNG key (`mx.random.key(seed)`) for reproducible sampling; diffusers takes a `torch.Generator`.
            return_dict (`bool`, defaults to `True`):
                Whether or not to return a [`DDPMSchedulerOutput`] or `tuple`.
            variance_noise (`mx.array`, *optional*):
                The unit-normal noise of step 6, of the sample's shape and the model output's dtype, used instead of
                drawing it with `generator` (as DDIM's `step` allows; diffusers' DDPM `step` has no such argument).

        Returns:
            [`DDPMSchedulerOutput`] or `tuple`: (prev_sample, pred_original_sample).
        """
        # t = timestep, with torch's checks of it as an index (an mx.array timestep is not read back)
        t = checked_timestep(timestep, len(self.alphas_cumprod), self._timesteps_in_range)

        prev_t = self.previous_timestep(t)

        if model_output.shape[1] == sample.shape[1] * 2 and self.variance_type in [
            "learned",
            "learned_range",
        ]:
            model_output, predicted_variance = mx.split(model_output, [sample.shape[1]], axis=1)
        else:
            predicted_variance = None

        # 1. compute alphas, betas (on the device for an mx.array timestep: `_alphas_cumprod_at` is
        # `self.alphas_cumprod[t]`, and the reference's `if prev_t >= 0 else` is an mx.where)
        alpha_prod_t = self._alphas_cumprod_at(t)
        alpha_prod_t_prev = mx.where(prev_t >= 0, self._alphas_cumprod_at(prev_t), self.one)
        beta_prod_t = 1 - alpha_prod_t
        beta_prod_t_prev = 1 - alpha_prod_t_prev
        current_alpha_t = alpha_prod_t / alpha_prod_t_prev
        current_beta_t = 1 - current_alpha_t

        # 2. compute predicted original sample from predicted noise also called
        # "predicted x_0" of formula (15) from https://arxiv.org/abs/2006.11239
        if self.config.prediction_type == "epsilon":
            pred_original_sample = divide(sample - scale(mx.sqrt(beta_prod_t), model_output), mx.sqrt(alpha_prod_t))
        elif self.config.prediction_type == "sample":
            pred_original_sample = model_output
        elif self.config.prediction_type == "v_prediction":
            pred_original_sample = scale(mx.sqrt(alpha_prod_t), sample) - scale(mx.sqrt(beta_prod_t), model_output)
        else:
            raise ValueError(
                f"prediction_type given as {self.config.prediction_type} must be one of `epsilon`, `sample` or"
                " `v_prediction`  for the DDPMScheduler."
            )

        # 3. Clip or threshold "predicted x_0"
        if self.config.thresholding:
            pred_original_sample = self._threshold_sample(pred_original_sample)
        elif self.config.clip_sample:
            pred_original_sample = clamp(
                pred_original_sample, -self.config.clip_sample_range, self.config.clip_sample_range
            )

        # 4. Compute coefficients for pred_original_sample x_0 and current sample x_t
        # See formula (7) from https://arxiv.org/abs/2006.11239
        pred_original_sample_coeff = (mx.sqrt(alpha_prod_t_prev) * current_beta_t) / beta_prod_t
        current_sample_coeff = mx.sqrt(current_alpha_t) * beta_prod_t_prev / beta_prod_t

        # 5. Compute predicted previous sample µ_t
        # See formula (7) from https://arxiv.org/abs/2006.11239
        pred_prev_sample = scale(pred_original_sample_coeff, pred_original_sample) + scale(current_sample_coeff, sample)

        # 6. Add noise (at t > 0; for an mx.array timestep the noise is drawn and masked on the device)
        variance = 0
        if isinstance(t, mx.array) or t > 0:
            if predicted_variance is None and self.variance_type in ("learned", "learned_range"):
                # The reference raises a TypeError from `None ** 0.5` (or `None + 1`) here.
                raise ValueError(
                    f"variance_type {self.variance_type!r} reads the variance from the model output, which must have"
                    f" twice the sample's channels ({2 * sample.shape[1]}); got shape {model_output.shape}"
                )
            variance_noise = self._variance_noise(model_output, generator, variance_noise)
            if self.variance_type == "fixed_small_log":
                variance = scale(self._get_variance(t, predicted_variance=predicted_variance), variance_noise)
            elif self.variance_type == "learned_range":
                variance = self._get_variance(t, predicted_variance=predicted_variance)
                variance = mx.exp(0.5 * variance) * variance_noise
            else:
                variance = scale(mx.sqrt(self._get_variance(t, predicted_variance=predicted_variance)), variance_noise)
            if isinstance(t, mx.array):
                variance = mx.where(t > 0, variance, 0)

        pred_prev_sample = pred_prev_sample + variance

        if not return_dict:
            return (
                pred_prev_sample,
                pred_original_sample,
            )

        return DDPMSchedulerOutput(prev_sample=pred_prev_sample, pred_original_sample=pred_original_sample)

    # Mirrors diffusers.schedulers.scheduling_ddpm.DDPMScheduler.add_noise (shared.add_noise)
    def add_noise(self, original_samples: mx.array, noise: mx.array, timesteps: mx.array) -> mx.array:
        """
        Add noise to the original samples according to the noise magnitude at each timestep (this is the forward
        diffusion process): sqrt(alpha_prod) * x_0 + sqrt(1 - alpha_prod) * noise, in the samples' dtype.
        """
        return add_noise(self.alphas_cumprod, original_samples, noise, timesteps)

    # Mirrors diffusers.schedulers.scheduling_ddpm.DDPMScheduler.get_velocity (shared.get_velocity)
    def get_velocity(self, sample: mx.array, noise: mx.array, timesteps: mx.array) -> mx.array:
        """
        Compute the velocity prediction from the sample and noise (section 2.4 of https://arxiv.org/abs/2210.02303):
        sqrt(alpha_prod) * noise - sqrt(1 - alpha_prod) * sample.
        """
        return get_velocity(self.alphas_cumprod, sample, noise, timesteps)

    def __len__(self) -> int:
        return self.config.num_train_timesteps

    def previous_timestep(self, timestep: int | mx.array) -> int | mx.array:
        """
        Compute the previous timestep in the diffusion chain: the next one of a set schedule (an int64 `mx.array`,
        -1 after the last), else `timestep - 1`. An `mx.array` timestep is looked up on the device, never read
        back: one not in the schedule has no previous timestep, and gets `num_train_timesteps` (past the end of
        `alphas_cumprod`, so that `step` there gives NaN).

        Raises:
            IndexError: If a schedule is set and a host `timestep` is not in it (as the reference's `nonzero()`).
        """
        if self.custom_timesteps or self.num_inference_steps:
            if isinstance(timestep, mx.array) and self._timesteps_in_range:
                is_timestep = self.timesteps == timestep
                index = mx.argmax(is_timestep)  # its first occurrence, if any
                prev_t = self._timesteps_then_end[index + 1]  # self.timesteps[index + 1], -1 after the last
                prev_t = mx.where(mx.any(is_timestep), prev_t, len(self))
            else:
                index = self._index_of(timestep)
                if index == self.timesteps.shape[0] - 1:
                    prev_t = mx.array(-1, mx.int64)
                else:
                    prev_t = self.timesteps[index + 1]
        else:
            prev_t = timestep - 1
        return prev_t

    # The port's own helpers (the reference has none of these).

    def _set_timesteps_host(self, timesteps: np.ndarray) -> None:
        size = self.alphas_cumprod.shape[0]
        self._timesteps_host = timesteps  # for `_index_of`
        self._timesteps_then_end = mx.array(np.append(timesteps, -1).astype(np.int64))  # for `previous_timestep`
        # An mx.array timestep cannot be bounds-checked without reading it back. If every scheduled timestep is in
        # range, `step` trusts array timesteps (and guards them with NaN on the device); if not, it reads them.
        self._timesteps_in_range = bool(np.all((timesteps >= -size) & (timesteps < size)))
        self.timesteps = mx.array(timesteps)

    def _alphas_cumprod_at(self, timestep: int | mx.array) -> mx.array:
        """`self.alphas_cumprod[timestep]` (a negative timestep counts back), on the device for an mx.array
        timestep, without reading it back: NaN out of range (`checked_timestep` raises torch's IndexError first
        wherever the timestep can be read)."""
        return index_padded(self._alphas_cumprod_padded, timestep)

    def _index_of(self, timestep: int | mx.array) -> int:
        """The index of `timestep`'s first occurrence in the set schedule (an mx.array is read back)."""
        value = timestep.item() if isinstance(timestep, mx.array) else timestep
        (indices,) = np.nonzero(self._timesteps_host == value)
        if len(indices) == 0:
            # the reference's IndexError (from an empty `nonzero()`), with a message that names the timestep
            raise IndexError(f"timestep {value!r} is not in the scheduler's timesteps (set by set_timesteps)")
        return int(indices[0])

    def _variance_noise(
        self, model_output: mx.array, generator: mx.array | None, variance_noise: mx.array | None
    ) -> mx.array:
        """The unit-normal noise of step 6: `variance_noise` if given, else drawn from `generator` (the reference's
        randn_tensor, with an MLX key)."""
        if variance_noise is not None and generator is not None:
            raise ValueError(
                "Cannot pass both generator and variance_noise. Please make sure that either `generator` or"
                " `variance_noise` stays `None`."
            )
        if variance_noise is not None:
            if tuple(variance_noise.shape) != tuple(model_output.shape):
                raise ValueError(
                    f"variance_noise must have the shape of the (split) model output {model_output.shape}, got"
                    f" {variance_noise.shape}"
                )
            return variance_noise
        if generator is not None and not isinstance(generator, mx.array):
            raise TypeError(
                f"generator must be an MLX PRNG key such as mx.random.key(0), got {type(generator).__name__}"
            )
        return mx.random.normal(model_output.shape, dtype=model_output.dtype, key=generator)


def _custom_timesteps(timesteps: Any) -> np.ndarray:
    """Custom timesteps as int64, refusing what the reference crashes on (none) or silently truncates (floats)."""
    values = np.asarray(timesteps)
    if values.ndim != 1 or len(values) == 0:
        raise ValueError(f"`timesteps` must be a non-empty list of integers, got {timesteps!r}")
    if values.dtype.kind not in "iu" and not (values.dtype.kind == "f" and np.all(values == np.round(values))):
        raise ValueError(f"`timesteps` must be integers, got {timesteps!r}")
    return values.astype(np.int64)
