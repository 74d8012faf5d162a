# An MLX port of diffusers' FlowMatchEulerDiscreteScheduler (diffusers/schedulers/
# scheduling_flow_match_euler_discrete.py, diffusers 0.42.1). Same names, signatures, defaults, method order and
# exceptions as the reference, so the two files read side by side; `mx.array` stands where the reference has
# `torch.Tensor`, and `generator` is an MLX PRNG key.
#
# Papers: flow matching https://arxiv.org/abs/2210.02747, rectified flow https://arxiv.org/abs/2209.03003,
# SD3's timestep shift (and its resolution-dependent form) https://arxiv.org/abs/2403.03206, Karras sigmas
# https://arxiv.org/abs/2206.00364, beta sigmas https://arxiv.org/abs/2407.12173.
#
# Numerics. The schedule is host arithmetic in the reference, and it is here too, on the same types:
# - `__init__` is float32 torch arithmetic (a numpy float32 linspace, `/ N`, the static shift with Python-float
#   scalars, which torch rounds to float32 before each op): numpy float32 gives the same bits;
# - `set_timesteps` is numpy in the reference (float64 from its linspace, or float32 from custom sigmas and
#   timesteps, with NEP 50's weak Python scalars; the time shift, the terminal stretch, Karras/exponential/beta
#   sigmas), so this port runs the reference's numpy expressions as they are; what follows in torch (the cast to
#   float32, `sigmas * N`, `1 - sigmas`, the appended 0 or 1) is single float32 ops, the same in numpy.
# - In `step`, the sigmas are float32 host scalars (0-dim tensors in the reference): `dt`, `sigma` and `1 - sigma`
#   are computed on the host, and each meets a half-precision model output the way a 0-dim torch tensor on the left
#   does, rounded to the output's dtype first (torch_scalars.py); the sample is upcast to float32 and the result
#   cast back to the model output's dtype, as in the reference. `step` is plain MLX ops in the reference's order.
# - `per_token_timesteps` is device arithmetic on arrays of both sides' shapes, promoted as torch promotes them.

from __future__ import annotations

import importlib
import logging
import math
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import mlx.core as mx
import numpy as np

from .configuration import ConfigMixin, register_to_config
from .outputs import BaseOutput
from .scheduler_mixin import SchedulerMixin
from .torch_scalars import scale

__all__ = ["FlowMatchEulerDiscreteScheduler", "FlowMatchEulerDiscreteSchedulerOutput"]

logger = logging.getLogger("mlx_ddim")  # diffusers logs to diffusers.schedulers.scheduling_flow_match_euler_discrete

_REDUCED_FLOATS = (mx.float16, mx.bfloat16)


def is_scipy_available() -> bool:
    """Whether scipy can be imported (diffusers' `is_scipy_available`): beta sigmas need `scipy.stats`, which this
    package imports only when they are used, so scipy stays an optional dependency."""
    try:
        importlib.import_module("scipy.stats")
    except ImportError:
        return False
    return True


@dataclass
class FlowMatchEulerDiscreteSchedulerOutput(BaseOutput):
    """
    Output class for the scheduler's `step` function output.

    Args:
        prev_sample (`mx.array` of shape `(batch_size, num_channels, height, width)` for images):
            Computed sample `(x_{t-1})` of previous timestep. `prev_sample` should be used as next model input in the
            denoising loop.
    """

    prev_sample: mx.array


class FlowMatchEulerDiscreteScheduler(SchedulerMixin, ConfigMixin):
    """
    Euler scheduler. An MLX port of diffusers' `FlowMatchEulerDiscreteScheduler`: the arguments below are the
    reference's.

    This model inherits from [`SchedulerMixin`] and [`ConfigMixin`]. Check the superclass documentation for the generic
    methods the library implements for all schedulers such as loading and saving.

    Args:
        num_train_timesteps (`int`, defaults to 1000):
            The number of diffusion steps to train the model.
        shift (`float`, defaults to 1.0):
            The shift value for the timestep schedule.
        use_dynamic_shifting (`bool`, defaults to False):
            Whether to apply timestep shifting on-the-fly based on the image resolution.
        base_shift (`float`, defaults to 0.5):
            Value to stabilize image generation. Increasing `base_shift` reduces variation and image is more consistent
            with desired output.
        max_shift (`float`, defaults to 1.15):
            Value change allowed to latent vectors. Increasing `max_shift` encourages more variation and image may be
            more exaggerated or stylized.
        base_image_seq_len (`int`, defaults to 256):
            The base image sequence length.
        max_image_seq_len (`int`, defaults to 4096):
            The maximum image sequence length.
        invert_sigmas (`bool`, defaults to False):
            Whether to invert the sigmas.
        shift_terminal (`float`, defaults to None):
            The end value of the shifted timestep schedule.
        use_karras_sigmas (`bool`, defaults to False):
            Whether to use Karras sigmas for step sizes in the noise schedule during sampling.
        use_exponential_sigmas (`bool`, defaults to False):
            Whether to use exponential sigmas for step sizes in the noise schedule during sampling.
        use_beta_sigmas (`bool`, defaults to False):
            Whether to use beta sigmas for step sizes in the noise schedule during sampling (needs scipy).
        time_shift_type (`str`, defaults to "exponential"):
            The type of dynamic resolution-dependent timestep shifting to apply. Either "exponential" or "linear".
        stochastic_sampling (`bool`, defaults to False):
            Whether to use stochastic sampling.
    """

    _compatibles: ClassVar[list[str]] = []
    order = 1

    @register_to_config
    def __init__(
        self,
        num_train_timesteps: int = 1000,
        shift: float = 1.0,
        use_dynamic_shifting: bool = False,
        base_shift: float | None = 0.5,
        max_shift: float | None = 1.15,
        base_image_seq_len: int = 256,
        max_image_seq_len: int = 4096,
        invert_sigmas: bool = False,
        shift_terminal: float | None = None,
        use_karras_sigmas: bool = False,
        use_exponential_sigmas: bool = False,
        use_beta_sigmas: bool = False,
        time_shift_type: Literal["exponential", "linear"] = "exponential",
        stochastic_sampling: bool = False,
    ):
        if self.config.use_beta_sigmas and not is_scipy_available():
            raise ImportError("Make sure to install scipy if you want to use beta sigmas.")
        if (
            sum(
                [
                    self.config.use_beta_sigmas,
                    self.config.use_exponential_sigmas,
                    self.config.use_karras_sigmas,
                ]
            )
            > 1
        ):
            raise ValueError(
                "Only one of `config.use_beta_sigmas`, `config.use_exponential_sigmas`, `config.use_karras_sigmas` can be used."
            )
        if time_shift_type not in {"exponential", "linear"}:
            raise ValueError("`time_shift_type` must either be 'exponential' or 'linear'.")

        timesteps = np.linspace(1, num_train_timesteps, num_train_timesteps, dtype=np.float32)[::-1].copy()
        if len(timesteps) == 0:
            # The reference fails on `self.sigmas[-1]` below, an IndexError from an empty tensor.
            raise IndexError(f"num_train_timesteps must be a positive integer, got {num_train_timesteps!r}")

        # float32 torch arithmetic in the reference: each Python scalar is rounded to float32 before its op, and
        # torch does not warn where numpy would (0 / 0 with shift=0).
        with np.errstate(all="ignore"):
            sigmas = timesteps / np.float32(num_train_timesteps)
            if not use_dynamic_shifting:
                # when use_dynamic_shifting is True, we apply the timestep shifting on the fly based on the image resolution
                sigmas = np.float32(shift) * sigmas / (np.float32(1) + np.float32(shift - 1) * sigmas)

            timesteps = sigmas * np.float32(num_train_timesteps)

        self._set_schedule(timesteps, sigmas)
        self._step_index = None
        self._begin_index = None

        self._shift = shift

        self.sigma_min = sigmas[-1].item()
        self.sigma_max = sigmas[0].item()

    @property
    def shift(self):
        """
        The value used for shifting.
        """
        return self._shift

    @property
    def step_index(self):
        """
        The index counter for current timestep. It will increase 1 after each scheduler step.
        """
        return self._step_index

    @property
    def begin_index(self):
        """
        The index for the first timestep. It should be set from pipeline with `set_begin_index` method.
        """
        return self._begin_index

    # Mirrors diffusers.schedulers.scheduling_dpmsolver_multistep.DPMSolverMultistepScheduler.set_begin_index
    def set_begin_index(self, begin_index: int = 0):
        """
        Sets the begin index for the scheduler. This function should be run from pipeline before the inference.

        Args:
            begin_index (`int`, defaults to `0`):
                The begin index for the scheduler.
        """
        self._begin_index = begin_index

    def set_shift(self, shift: float):
        """
        Sets the shift value for the scheduler (used by the next `set_timesteps`; the current schedule is kept).

        Args:
            shift (`float`):
                The shift value to be set.
        """
        self._shift = shift

    def scale_noise(
        self,
        sample: mx.array,
        timestep: mx.array,
        noise: mx.array | None = None,
    ) -> mx.array:
        """
        Forward process in flow-matching

        Args:
            sample (`mx.array`):
                The input sample.
            timestep (`mx.array`):
                The current timestep in the diffusion chain: one per sample, as an array with a first dimension.
            noise (`mx.array`):
                The noise tensor.

        Returns:
            `mx.array`:
                A scaled input sample.
        """
        # The reference crashes on these (`timestep.to`, iterating a 0-d tensor, `timestep.shape[0]`, `None * x`).
        if not isinstance(timestep, mx.array):
            raise AttributeError(
                "scale_noise takes `timestep` as an mx.array of timesteps, one per sample; got "
                f"{type(timestep).__name__}"
            )
        if timestep.ndim == 0:
            error = TypeError if self.begin_index is None else IndexError
            raise error("scale_noise takes `timestep` as an array with a first dimension (one per sample); got 0-d")
        if noise is None:
            raise TypeError("scale_noise needs `noise`: the sample is moved towards it")

        # self.begin_index is None when scheduler is used for training, or pipeline does not implement set_begin_index
        if self.begin_index is None:
            # The timesteps are read back to the host (one sync), as the reference's `.item()` reads each.
            step_indices = [self.index_for_timestep(t, self.timesteps) for t in _host_array(timestep)]
        elif self.step_index is not None:
            # add_noise is called after first denoising step (for inpainting)
            step_indices = [self.step_index] * timestep.shape[0]
        else:
            # add noise is called before first denoising step to create initial latent(img2img)
            step_indices = [self.begin_index] * timestep.shape[0]

        # Make sure sigmas have the same dtype as original_samples (picked on the host, then cast: the same values)
        sigma = mx.array(self._host_sigmas()[step_indices]).astype(sample.dtype).flatten()
        while len(sigma.shape) < len(sample.shape):
            sigma = mx.expand_dims(sigma, -1)

        sample = sigma * noise + (1.0 - sigma) * sample

        return sample

    def _sigma_to_t(self, sigma) -> float:
        return sigma * self.config.num_train_timesteps

    def time_shift(self, mu: float, sigma: float, t: np.ndarray) -> np.ndarray:
        """
        Apply time shifting to the sigmas.

        Args:
            mu (`float`):
                The mu parameter for the time shift.
            sigma (`float`):
                The sigma parameter for the time shift.
            t (`np.ndarray`):
                The input timesteps.

        Returns:
            `np.ndarray`:
                The time-shifted timesteps.
        """
        if self.config.time_shift_type == "exponential":
            return self._time_shift_exponential(mu, sigma, t)
        elif self.config.time_shift_type == "linear":
            return self._time_shift_linear(mu, sigma, t)

    def stretch_shift_to_terminal(self, t: np.ndarray) -> np.ndarray:
        r"""
        Stretches and shifts the timestep schedule to ensure it terminates at the configured `shift_terminal` config
        value.

        Reference:
        https://github.com/Lightricks/LTX-Video/blob/a01a171f8fe3d99dce2728d60a73fecf4d4238ae/ltx_video/schedulers/rf.py#L51

        Args:
            t (`np.ndarray`):
                A tensor of timesteps to be stretched and shifted.

        Returns:
            `np.ndarray`:
                A tensor of adjusted timesteps such that the final value equals `self.config.shift_terminal`.
        """
        one_minus_z = 1 - t
        if len(one_minus_z) == 0:  # the reference fails on `one_minus_z[-1]`
            raise IndexError("`shift_terminal` stretches the schedule to its last sigma: the schedule is empty")
        scale_factor = one_minus_z[-1] / (1 - self.config.shift_terminal)
        stretched_t = 1 - (one_minus_z / scale_factor)
        return stretched_t

    def set_timesteps(
        self,
        num_inference_steps: int | None = None,
        device: Any = None,
        sigmas: list[float] | None = None,
        mu: float | None = None,
        timesteps: list[float] | None = None,
    ):
        """
        Sets the discrete timesteps used for the diffusion chain (to be run before inference).

        Args:
            num_inference_steps (`int`, *optional*):
                The number of diffusion steps used when generating samples with a pre-trained model.
            device (*optional*):
                Accepted for signature compatibility with diffusers and ignored: MLX arrays live in unified memory.
            sigmas (`list[float]`, *optional*):
                Custom values for sigmas to be used for each diffusion step. If `None`, the sigmas are computed
                automatically.
            mu (`float`, *optional*):
                Determines the amount of shifting applied to sigmas when performing resolution-dependent timestep
                shifting.
            timesteps (`list[float]`, *optional*):
                Custom values for timesteps to be used for each diffusion step. If `None`, the timesteps are computed
                automatically.
        """
        if self.config.use_dynamic_shifting and mu is None:
            raise ValueError("`mu` must be passed when `use_dynamic_shifting` is set to be `True`")

        if sigmas is not None and timesteps is not None:
            if len(sigmas) != len(timesteps):
                raise ValueError("`sigmas` and `timesteps` should have the same length")

        if num_inference_steps is not None:
            if (sigmas is not None and len(sigmas) != num_inference_steps) or (
                timesteps is not None and len(timesteps) != num_inference_steps
            ):
                raise ValueError(
                    "`sigmas` and `timesteps` should have the same length as num_inference_steps, if `num_inference_steps` is provided"
                )
        else:
            if sigmas is None and timesteps is None:  # the reference fails on `len(None)`
                raise TypeError("set_timesteps needs `num_inference_steps`, `sigmas` or `timesteps`; all are None")
            num_inference_steps = len(sigmas) if sigmas is not None else len(timesteps)

        self.num_inference_steps = num_inference_steps

        # 1. Prepare default sigmas
        is_timesteps_provided = timesteps is not None
        if is_timesteps_provided and sigmas is None:
            logger.warning(
                "`timesteps` were passed without `sigmas`. The timesteps are used as given, while the sigmas derived "
                "from them go through the scheduler's shifting, so the two may not be consistent. Pass `sigmas` to "
                "get a shifted schedule, or pass both `sigmas` and `timesteps` to control them separately."
            )

        if is_timesteps_provided:
            timesteps = _host_array(timesteps).astype(np.float32)

        if sigmas is None:
            if timesteps is None:
                timesteps = np.linspace(
                    self._sigma_to_t(self.sigma_max),
                    self._sigma_to_t(self.sigma_min),
                    num_inference_steps,
                )
            sigmas = timesteps / self.config.num_train_timesteps
        else:
            sigmas = _host_array(sigmas).astype(np.float32)
            num_inference_steps = len(sigmas)

        # 2. Perform timestep shifting. Either no shifting is applied, or resolution-dependent shifting of
        #    "exponential" or "linear" type is applied
        if self.config.use_dynamic_shifting:
            sigmas = self.time_shift(mu, 1.0, sigmas)
        else:
            sigmas = self.shift * sigmas / (1 + (self.shift - 1) * sigmas)

        # 3. If required, stretch the sigmas schedule to terminate at the configured `shift_terminal` value
        if self.config.shift_terminal:
            sigmas = self.stretch_shift_to_terminal(sigmas)

        # 4. If required, convert sigmas to one of karras, exponential, or beta sigma schedules
        if self.config.use_karras_sigmas:
            sigmas = self._convert_to_karras(in_sigmas=sigmas, num_inference_steps=num_inference_steps)
        elif self.config.use_exponential_sigmas:
            sigmas = self._convert_to_exponential(in_sigmas=sigmas, num_inference_steps=num_inference_steps)
        elif self.config.use_beta_sigmas:
            sigmas = self._convert_to_beta(in_sigmas=sigmas, num_inference_steps=num_inference_steps)

        # 5. Convert sigmas and timesteps to float32 (torch tensors in the reference: single float32 ops from here)
        num_train_timesteps = np.float32(self.config.num_train_timesteps)
        with np.errstate(all="ignore"):
            sigmas = np.asarray(sigmas).astype(np.float32)
            if is_timesteps_provided:
                timesteps = timesteps.astype(np.float32)
            else:
                timesteps = sigmas * num_train_timesteps

            # 6. Append the terminal sigma value.
            #    If a model requires inverted sigma schedule for denoising but timesteps without inversion, the
            #    `invert_sigmas` flag can be set to `True`. This case is only required in Mochi
            if self.config.invert_sigmas:
                sigmas = np.float32(1.0) - sigmas
                timesteps = sigmas * num_train_timesteps
                sigmas = np.concatenate([sigmas, np.ones(1, np.float32)])
            else:
                sigmas = np.concatenate([sigmas, np.zeros(1, np.float32)])

        self._set_schedule(timesteps, sigmas)
        self._step_index = None
        self._begin_index = None

    def index_for_timestep(
        self,
        timestep: float | mx.array,
        schedule_timesteps: mx.array | None = None,
    ) -> int:
        """
        Get the index for the given timestep.

        Args:
            timestep (`float` or `mx.array`):
                The timestep to find the index for (an `mx.array` is read back to the host).
            schedule_timesteps (`mx.array`, *optional*):
                The schedule timesteps to validate against. If `None`, the scheduler's timesteps are used.

        Returns:
            `int`:
                The index of the timestep.
        """
        if schedule_timesteps is None:
            schedule_timesteps = self.timesteps

        schedule = self._host_timesteps() if schedule_timesteps is self.timesteps else _host_array(schedule_timesteps)
        indices = np.argwhere(schedule == _comparable(timestep, schedule.dtype))
        if len(indices) == 0:  # the reference fails on `indices[0]` of an empty nonzero()
            raise IndexError(f"timestep {_describe(timestep)} is not in the schedule's timesteps")

        # The sigma index that is taken for the **very** first `step`
        # is always the second index (or the last index if there is only 1)
        # This way we can ensure we don't accidentally skip a sigma in
        # case we start in the middle of the denoising schedule (e.g. for image-to-image)
        pos = 1 if len(indices) > 1 else 0

        return indices[pos].item()

    def _init_step_index(self, timestep: float | mx.array) -> None:
        if self.begin_index is None:
            self._step_index = self.index_for_timestep(timestep)
        else:
            self._step_index = self._begin_index

    def step(
        self,
        model_output: mx.array,
        timestep: float | mx.array,
        sample: mx.array,
        s_churn: float = 0.0,
        s_tmin: float = 0.0,
        s_tmax: float = float("inf"),
        s_noise: float = 1.0,
        generator: mx.array | None = None,
        per_token_timesteps: mx.array | None = None,
        return_dict: bool = True,
        variance_noise: mx.array | None = None,
    ) -> FlowMatchEulerDiscreteSchedulerOutput | tuple:
        """
        Predict the sample from the previous timestep by reversing the SDE. This function propagates the diffusion
        process from the learned model outputs (most often the predicted noise).

        Args:
            model_output (`mx.array`):
                The direct output from learned diffusion model.
            timestep (`float` or float `mx.array`):
                The current discrete timestep in the diffusion chain: one of `scheduler.timesteps`.
            sample (`mx.array`):
                A current instance of a sample created by the diffusion process.
            s_churn (`float`):
            s_tmin  (`float`):
            s_tmax  (`float`):
            s_noise (`float`, defaults to 1.0):
                Scaling factor for noise added to the sample (unused, as in the reference).
            generator (`mx.array`, *optional*):
                An MLX PRNG key (`mx.random.key(seed)`) for the noise of stochastic sampling; diffusers takes a
                `torch.Generator`.
            per_token_timesteps (`mx.array`, *optional*):
                The timesteps for each token in the sample.
            return_dict (`bool`, defaults to `True`):
                Whether or not to return a [`FlowMatchEulerDiscreteSchedulerOutput`] or tuple.
            variance_noise (`mx.array`, *optional*):
                The unit-normal noise of stochastic sampling, of the sample's shape (float32, as the reference draws
                it; another dtype is upcast), used instead of drawing it with `generator` (diffusers' `step` has no
                such argument).

        Returns:
            [`FlowMatchEulerDiscreteSchedulerOutput`] or `tuple`:
                If return_dict is `True`, [`FlowMatchEulerDiscreteSchedulerOutput`] is returned, otherwise a tuple is
                returned where the first element is the sample tensor.
        """

        if _is_integer_timestep(timestep):
            raise ValueError(
                (
                    "Passing integer indices (e.g. from `enumerate(timesteps)`) as timesteps to"
                    " `FlowMatchEulerDiscreteScheduler.step()` is not supported. Make sure to pass"
                    " one of the `scheduler.timesteps` as a timestep."
                ),
            )

        # Host syncs: only here, on the first step of a schedule without a begin index, is an mx.array timestep read
        # back (`index_for_timestep` matches its value, as the reference's `.item()`); after that the step index is
        # host state, as in the reference, and the sigmas of the default path are host scalars.
        if self.step_index is None:
            self._init_step_index(timestep)

        # Upcast to avoid precision issues when computing prev_sample
        sample = sample.astype(mx.float32)

        if per_token_timesteps is not None:
            per_token_sigmas = _divide(per_token_timesteps, self.config.num_train_timesteps)

            sigmas = self.sigmas[:, None, None]
            # `- 1e-6` rounds the number to a half-precision array's dtype, as torch does (measured on every value)
            lower_mask = sigmas < per_token_sigmas[None] - 1e-6
            lower_sigmas = lower_mask * sigmas
            lower_sigmas = lower_sigmas.max(axis=0)

            current_sigma = per_token_sigmas[..., None]
            next_sigma = lower_sigmas[..., None]
            dt = current_sigma - next_sigma
        else:
            sigma_idx = self.step_index
            sigmas = self._host_sigmas()
            if not -len(sigmas) <= sigma_idx + 1 < len(sigmas):  # the reference fails on `self.sigmas[sigma_idx + 1]`
                raise IndexError(
                    f"step index {sigma_idx} has no next sigma: the schedule has {len(sigmas) - 1} steps (call "
                    "set_timesteps to start another)"
                )
            sigma = sigmas[sigma_idx]
            sigma_next = sigmas[sigma_idx + 1]

            current_sigma = sigma
            next_sigma = sigma_next
            dt = sigma_next - sigma

        if self.config.stochastic_sampling:
            x0 = sample - _times(current_sigma, model_output)
            noise = _noise(sample, generator, variance_noise)
            prev_sample = _times(1.0 - next_sigma, x0) + _times(next_sigma, noise)
        else:
            prev_sample = sample + _times(dt, model_output)

        # upon completion increase step index by one
        self._step_index += 1
        if per_token_timesteps is None:
            # Cast sample back to model compatible dtype
            prev_sample = prev_sample.astype(model_output.dtype)

        if not return_dict:
            return (prev_sample,)

        return FlowMatchEulerDiscreteSchedulerOutput(prev_sample=prev_sample)

    # Mirrors diffusers.schedulers.scheduling_euler_discrete.EulerDiscreteScheduler._convert_to_karras
    def _convert_to_karras(self, in_sigmas: np.ndarray, num_inference_steps: int) -> np.ndarray:
        """
        Construct the noise schedule as proposed in [Elucidating the Design Space of Diffusion-Based Generative
        Models](https://huggingface.co/papers/2206.00364).

        Args:
            in_sigmas (`np.ndarray`):
                The input sigma values to be converted.
            num_inference_steps (`int`):
                The number of inference steps to generate the noise schedule for.

        Returns:
            `np.ndarray`:
                The converted sigma values following the Karras noise schedule.
        """
        sigma_min, sigma_max = self._sigma_range(in_sigmas)

        rho = 7.0  # 7.0 is the value used in the paper
        ramp = np.linspace(0, 1, num_inference_steps)
        min_inv_rho = sigma_min ** (1 / rho)
        max_inv_rho = sigma_max ** (1 / rho)
        sigmas = (max_inv_rho + ramp * (min_inv_rho - max_inv_rho)) ** rho
        return sigmas

    # Mirrors diffusers.schedulers.scheduling_euler_discrete.EulerDiscreteScheduler._convert_to_exponential
    def _convert_to_exponential(self, in_sigmas: np.ndarray, num_inference_steps: int) -> np.ndarray:
        """
        Construct an exponential noise schedule.

        Args:
            in_sigmas (`np.ndarray`):
                The input sigma values to be converted.
            num_inference_steps (`int`):
                The number of inference steps to generate the noise schedule for.

        Returns:
            `np.ndarray`:
                The converted sigma values following an exponential schedule.
        """
        sigma_min, sigma_max = self._sigma_range(in_sigmas)

        sigmas = np.exp(np.linspace(math.log(sigma_max), math.log(sigma_min), num_inference_steps))
        return sigmas

    # Mirrors diffusers.schedulers.scheduling_euler_discrete.EulerDiscreteScheduler._convert_to_beta
    def _convert_to_beta(
        self, in_sigmas: np.ndarray, num_inference_steps: int, alpha: float = 0.6, beta: float = 0.6
    ) -> np.ndarray:
        """
        Construct a beta noise schedule as proposed in [Beta Sampling is All You
        Need](https://huggingface.co/papers/2407.12173).

        Args:
            in_sigmas (`np.ndarray`):
                The input sigma values to be converted.
            num_inference_steps (`int`):
                The number of inference steps to generate the noise schedule for.
            alpha (`float`, *optional*, defaults to `0.6`):
                The alpha parameter for the beta distribution.
            beta (`float`, *optional*, defaults to `0.6`):
                The beta parameter for the beta distribution.

        Returns:
            `np.ndarray`:
                The converted sigma values following a beta distribution schedule.
        """
        import scipy.stats  # optional: `__init__` checked that it is there (is_scipy_available)

        sigma_min, sigma_max = self._sigma_range(in_sigmas)

        # The reference calls ppf once per timestep; one call on the array gives the same float64 values (the same
        # special function per element, checked bit for bit) 20 to 60 times faster (measured, 10 to 200 steps).
        sigmas = np.array(
            [
                sigma_min + (ppf * (sigma_max - sigma_min))
                for ppf in scipy.stats.beta.ppf(1 - np.linspace(0, 1, num_inference_steps), alpha, beta)
            ]
        )
        return sigmas

    def _time_shift_exponential(self, mu: float, sigma: float, t: np.ndarray) -> np.ndarray:
        return math.exp(mu) / (math.exp(mu) + (1 / t - 1) ** sigma)

    def _time_shift_linear(self, mu: float, sigma: float, t: np.ndarray) -> np.ndarray:
        return mu / (mu + (1 / t - 1) ** sigma)

    def __len__(self) -> int:
        return self.config.num_train_timesteps

    # The port's own helpers (the reference has none of these).

    def _sigma_range(self, in_sigmas: np.ndarray) -> tuple[float, float]:
        """The range of `_convert_to_karras` and its siblings, as the reference's "hack" reads it: the config's
        `sigma_min` and `sigma_max` if it holds them (this scheduler takes neither, but a loaded config may carry
        them as hidden keys), else the last and first of `in_sigmas`."""
        # Hack to make sure that other schedulers which copy this function don't break
        # TODO: Add this logic to the other schedulers
        if hasattr(self.config, "sigma_min"):
            sigma_min = self.config.sigma_min
        else:
            sigma_min = None

        if hasattr(self.config, "sigma_max"):
            sigma_max = self.config.sigma_max
        else:
            sigma_max = None

        if len(in_sigmas) == 0 and (sigma_min is None or sigma_max is None):  # the reference fails on `in_sigmas[-1]`
            raise IndexError("Karras, exponential and beta sigmas span the schedule's sigmas: the schedule is empty")
        sigma_min = sigma_min if sigma_min is not None else in_sigmas[-1].item()
        sigma_max = sigma_max if sigma_max is not None else in_sigmas[0].item()
        return sigma_min, sigma_max

    def _set_schedule(self, timesteps: np.ndarray, sigmas: np.ndarray) -> None:
        """Set `timesteps` and `sigmas` (float32), keeping the host copies `step` and `index_for_timestep` read."""
        self.timesteps = mx.array(timesteps)
        self.sigmas = mx.array(sigmas)
        self._host_copies = {"timesteps": (self.timesteps, timesteps), "sigmas": (self.sigmas, sigmas)}

    def _host_copy(self, name: str) -> np.ndarray:
        """The host copy of `self.timesteps` or `self.sigmas`; if the caller assigned a new array there, it is read
        back once (a sync) and kept."""
        array = getattr(self, name)
        source, host = self._host_copies[name]
        if array is not source:
            host = _host_array(array)
            self._host_copies[name] = (array, host)
        return host

    def _host_timesteps(self) -> np.ndarray:
        return self._host_copy("timesteps")

    def _host_sigmas(self) -> np.ndarray:
        return self._host_copy("sigmas")


def _host_array(values: Any) -> np.ndarray:
    """`np.array(values)`, for an mx.array too (a bfloat16 one upcast, exactly: numpy has no bfloat16)."""
    if isinstance(values, mx.array):
        if values.dtype == mx.bfloat16:
            values = values.astype(mx.float32)
        return np.array(values)
    return np.array(values)


def _comparable(timestep: Any, dtype: np.dtype) -> np.ndarray:
    """`timestep` as torch's `schedule_timesteps == timestep` compares it: a Python number, numpy scalar or 0-d
    array meets the dimensioned float32 schedule in the schedule's dtype (rounded to it); an array with dimensions
    promotes, so a float64 one is compared in float64."""
    value = _host_array(timestep)
    if value.ndim > 0 and value.dtype.kind == "f" and value.dtype.itemsize > dtype.itemsize:
        return value
    return value.astype(dtype)


def _describe(timestep: Any) -> str:
    value = _host_array(timestep)
    return repr(value.item()) if value.size == 1 else repr(value.tolist())


def _is_integer_timestep(timestep: Any) -> bool:
    """The reference refuses a Python int (a bool included) and an int32 or int64 tensor: integer indices. Here:
    a Python or numpy integer, and an integer numpy or mx array of any width."""
    if isinstance(timestep, (int, np.integer)):
        return True
    if isinstance(timestep, mx.array):
        return mx.issubdtype(timestep.dtype, mx.integer)
    return isinstance(timestep, np.ndarray) and timestep.dtype.kind in "iu"


def _times(coefficient: np.floating | mx.array, x: mx.array) -> mx.array:
    """`coefficient * x` as torch computes it: a host scalar stands for a 0-dim float32 tensor on the left, rounded
    to x's dtype first (torch_scalars.scale); an array with dimensions promotes with x as MLX and torch both do."""
    if isinstance(coefficient, mx.array):
        return coefficient * x
    return scale(coefficient, x)


def _divide(x: mx.array, number: int) -> mx.array:
    """`x / number` with a Python number on the right, as torch divides: a half-precision x by the float32 number
    at float32 "opmath", then rounded (not by the number rounded to x's dtype: 999 is 1000 in bfloat16); a float32
    x by the float32 number; an integer x in float32."""
    if not mx.issubdtype(x.dtype, mx.floating):
        x = x.astype(mx.float32)
    if x.dtype in _REDUCED_FLOATS:
        return (x.astype(mx.float32) / mx.array(number, mx.float32)).astype(x.dtype)
    return x / mx.array(number, x.dtype)


def _noise(sample: mx.array, generator: mx.array | None, variance_noise: mx.array | None) -> mx.array:
    """The unit-normal noise of stochastic sampling: `variance_noise` if given, else drawn from `generator` (the
    reference's randn_tensor of the upcast sample's shape and dtype, float32, with an MLX key)."""
    if variance_noise is not None and generator is not None:
        raise ValueError(
            "Cannot pass both generator and variance_noise. Please make sure that either `generator` or"
            " `variance_noise` stays `None`."
        )
    if variance_noise is not None:
        if tuple(variance_noise.shape) != tuple(sample.shape):
            raise ValueError(f"variance_noise must have the sample's shape {sample.shape}, got {variance_noise.shape}")
        return variance_noise.astype(mx.float32)
    if generator is not None and not isinstance(generator, mx.array):
        raise TypeError(f"generator must be an MLX PRNG key such as mx.random.key(0), got {type(generator).__name__}")
    return mx.random.normal(sample.shape, dtype=mx.float32, key=generator)
