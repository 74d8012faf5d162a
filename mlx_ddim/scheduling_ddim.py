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
# - the per-step scalars (alpha_prod_t, std_dev_t, ...) are float32 0-dim arrays computed with the reference's
#   expressions, on the device (an mx.array timestep is never read back to the host), except that this port's
#   square roots are correctly rounded (`mx.sqrt` where the reference writes `** 0.5`), while torch 2.13's float32
#   sqrt is off by one ULP on about 20% of inputs (measured on x86-64);
# - in `step`, a float32 scalar meets a half-precision array the way a 0-dim torch tensor does (torch_scalars.py:
#   `scale(a, x)` is the reference's `a * x`, `divide(x, a)` its `x / a`), so prev_sample and pred_original_sample
#   keep the sample's dtype.
# What diffusers shares between schedulers ("Copied from") lives in shared.py.

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
    betas_for_alpha_bar,
    checked_timestep,
    float32_schedule,
    get_velocity,
    index_padded,
    is_integer,
    padded,
    rescale_zero_terminal_snr,
    spaced_timesteps,
    threshold_sample,
)
from .torch_scalars import clamp, divide, scale

__all__ = ["DDIMScheduler", "DDIMSchedulerOutput", "betas_for_alpha_bar", "rescale_zero_terminal_snr"]


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
        if not is_integer(num_train_timesteps) or num_train_timesteps < 1:
            raise ValueError(f"num_train_timesteps must be a positive integer, got {num_train_timesteps!r}")
        if not is_integer(steps_offset):
            raise ValueError(f"steps_offset must be an integer, got {steps_offset!r}")

        betas, alphas, alphas_cumprod = float32_schedule(
            self.__class__, ("linear", "scaled_linear", "squaredcos_cap_v2"), num_train_timesteps=num_train_timesteps,
            beta_start=beta_start, beta_end=beta_end, beta_schedule=beta_schedule, trained_betas=trained_betas,
            rescale_betas_zero_snr=rescale_betas_zero_snr,
        )  # fmt: skip

        # At every step in ddim, we are looking into the previous alphas_cumprod
        # For the final step, there is no previous alphas_cumprod because we are already at 0
        # `set_alpha_to_one` decides whether we set this parameter simply to one or
        # whether we use the final alpha of the "non-previous" one.
        final_alpha_cumprod = np.float32(1.0) if set_alpha_to_one else alphas_cumprod[0]

        self.betas = mx.array(betas)
        self.alphas = mx.array(alphas)
        self.alphas_cumprod = mx.array(alphas_cumprod)
        self.final_alpha_cumprod = mx.array(final_alpha_cumprod, dtype=mx.float32)
        self._alphas_cumprod_padded = padded(alphas_cumprod)  # for `_alphas_cumprod_at`

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

    def _get_variance(self, timestep: int | mx.array, prev_timestep: int | mx.array) -> mx.array:
        """
        Computes the variance of the noise added at a given diffusion step, formula (16) of the DDIM paper:
            var_t = (beta_prod_t_prev / beta_prod_t) * (1 - alpha_prod_t / alpha_prod_t_prev)
        If `prev_timestep` is negative, `final_alpha_cumprod` stands for alpha_prod_t_prev. Returns a float32 scalar.
        """
        timestep = checked_timestep(timestep, len(self.alphas_cumprod), self._timesteps_in_range)
        alpha_prod_t = self._alphas_cumprod_at(timestep)
        alpha_prod_t_prev = mx.where(
            prev_timestep >= 0, self._alphas_cumprod_at(prev_timestep), self.final_alpha_cumprod
        )  # the reference's `self.alphas_cumprod[prev_timestep] if prev_timestep >= 0 else self.final_alpha_cumprod`
        beta_prod_t = 1 - alpha_prod_t
        beta_prod_t_prev = 1 - alpha_prod_t_prev

        variance = (beta_prod_t_prev / beta_prod_t) * (1 - alpha_prod_t / alpha_prod_t_prev)

        return variance

    # Mirrors diffusers.schedulers.scheduling_ddpm.DDPMScheduler._threshold_sample (shared.threshold_sample)
    def _threshold_sample(self, sample: mx.array) -> mx.array:
        """
        Apply dynamic thresholding to the predicted sample (https://arxiv.org/abs/2205.11487): set s to a certain
        percentile absolute pixel value in x_0; if s > 1, threshold x_0 to [-s, s] and divide by s. Computed in
        float32, returned in the sample's dtype.
        """
        return threshold_sample(sample, self.config.dynamic_thresholding_ratio, self.config.sample_max_value)

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

        timesteps = spaced_timesteps(
            self.config.timestep_spacing, self.config.num_train_timesteps, num_inference_steps,
            self.config.steps_offset, supported="'leading' or 'trailing'",
        )  # fmt: skip
        self._set_timesteps_host(timesteps)

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
        # Ideally, read DDIM paper in-detail understanding

        # Notation (<variable name> -> <name in paper>
        # - pred_noise_t -> e_theta(x_t, t)
        # - pred_original_sample -> f_theta(x_t, t) or x_0
        # - std_dev_t -> sigma_t
        # - eta -> η
        # - pred_sample_direction -> "direction pointing to x_t"
        # - pred_prev_sample -> "x_t-1"

        # torch's checks of the timestep as an index, where torch makes them (an mx.array is not read back)
        timestep = checked_timestep(timestep, len(self.alphas_cumprod), self._timesteps_in_range)

        # 1. get previous step value (=t-1)
        prev_timestep = timestep - self.config.num_train_timesteps // self.num_inference_steps

        # 2. compute alphas, betas (on the device for an mx.array timestep: `_alphas_cumprod_at` is
        # `self.alphas_cumprod[timestep]`, and the reference's `if prev_timestep >= 0 else` is an mx.where)
        alpha_prod_t = self._alphas_cumprod_at(timestep)
        alpha_prod_t_prev = mx.where(
            prev_timestep >= 0, self._alphas_cumprod_at(prev_timestep), self.final_alpha_cumprod
        )

        beta_prod_t = 1 - alpha_prod_t

        # 3. compute predicted original sample from predicted noise also called
        # "predicted x_0" of formula (12) from https://arxiv.org/abs/2010.02502
        if self.config.prediction_type == "epsilon":
            pred_original_sample = divide(sample - scale(mx.sqrt(beta_prod_t), model_output), mx.sqrt(alpha_prod_t))
            pred_epsilon = model_output
        elif self.config.prediction_type == "sample":
            pred_original_sample = model_output
            pred_epsilon = divide(sample - scale(mx.sqrt(alpha_prod_t), pred_original_sample), mx.sqrt(beta_prod_t))
        elif self.config.prediction_type == "v_prediction":
            pred_original_sample = scale(mx.sqrt(alpha_prod_t), sample) - scale(mx.sqrt(beta_prod_t), model_output)
            pred_epsilon = scale(mx.sqrt(alpha_prod_t), model_output) + scale(mx.sqrt(beta_prod_t), sample)
        else:
            raise ValueError(
                f"prediction_type given as {self.config.prediction_type} must be one of `epsilon`, `sample`, or"
                " `v_prediction`"
            )

        # 4. Clip or threshold "predicted x_0"
        if self.config.thresholding:
            pred_original_sample = self._threshold_sample(pred_original_sample)
        elif self.config.clip_sample:
            pred_original_sample = clamp(
                pred_original_sample, -self.config.clip_sample_range, self.config.clip_sample_range
            )

        # 5. compute variance: "sigma_t(η)" -> see formula (16)
        # σ_t = sqrt((1 − α_t−1)/(1 − α_t)) * sqrt(1 − α_t/α_t−1)
        variance = self._get_variance(timestep, prev_timestep)
        std_dev_t = eta * mx.sqrt(variance)

        if use_clipped_model_output:
            # the pred_epsilon is always re-derived from the clipped x_0 in Glide
            pred_epsilon = divide(sample - scale(mx.sqrt(alpha_prod_t), pred_original_sample), mx.sqrt(beta_prod_t))

        # 6. compute "direction pointing to x_t" of formula (12) from https://arxiv.org/abs/2010.02502
        pred_sample_direction = scale(mx.sqrt(1 - alpha_prod_t_prev - mx.square(std_dev_t)), pred_epsilon)

        # 7. compute x_t without "random noise" of formula (12) from https://arxiv.org/abs/2010.02502
        prev_sample = scale(mx.sqrt(alpha_prod_t_prev), pred_original_sample) + pred_sample_direction

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
            variance = scale(std_dev_t, variance_noise)

            prev_sample = prev_sample + variance

        if not return_dict:
            return (
                prev_sample,
                pred_original_sample,
            )

        return DDIMSchedulerOutput(prev_sample=prev_sample, pred_original_sample=pred_original_sample)

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

    # The port's own helpers (the reference has none of these).

    def _set_timesteps_host(self, timesteps: np.ndarray) -> None:
        size = self.alphas_cumprod.shape[0]
        # An mx.array timestep cannot be bounds-checked without reading it back. If every scheduled timestep is in
        # range, `step` trusts array timesteps (and guards them with NaN on the device); if not, it reads them.
        self._timesteps_in_range = bool(np.all((timesteps >= -size) & (timesteps < size)))
        self.timesteps = mx.array(timesteps)

    def _alphas_cumprod_at(self, timestep: int | mx.array) -> mx.array:
        """`self.alphas_cumprod[timestep]` (a negative timestep counts back), on the device for an mx.array
        timestep, without reading it back: NaN out of range (`checked_timestep` raises torch's IndexError first
        wherever the timestep can be read)."""
        return index_padded(self._alphas_cumprod_padded, timestep)
