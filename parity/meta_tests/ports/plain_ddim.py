"""A plain-class MLX DDIM, shaped as MLX ports written before this project are (the harness's meta-tests judge it).

It is this project's port reduced to that API: diffusers' constructor keywords except the three thresholding ones;
no ConfigMixin (its config values are plain attributes: no `config`, no `from_config`); `step(model_output,
timestep, sample, eta, use_clipped_model_output, generator, variance_noise)` returns a plain `(prev_sample,
pred_original_sample)` tuple and takes no `return_dict`; no `get_velocity`; `add_noise` indexes `alphas_cumprod`
with the timesteps it is given. Its schedule is built by `mx.linspace` and `mx.cumprod` in float32, as such ports
build it (a few hundred ULP from torch's); `ExactDDIMScheduler` takes this project's schedule instead, so its math
is exact and only its API differs. The step's arithmetic is the reference's, with torch's scalar rules
(mlx_ddim.torch_scalars), so the harness has numbers to judge on every row the API lets it reach.
"""

from __future__ import annotations

import math

import mlx.core as mx
import numpy as np

from mlx_ddim.torch_scalars import divide, scale

__all__ = ["DDIMScheduler", "ExactDDIMScheduler"]


def _cosine_betas(num_train_timesteps: int, max_beta: float = 0.999) -> list[float]:
    def alpha_bar(t: float) -> float:
        return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2

    return [
        min(1 - alpha_bar((i + 1) / num_train_timesteps) / alpha_bar(i / num_train_timesteps), max_beta)
        for i in range(num_train_timesteps)
    ]


class DDIMScheduler:
    order = 1

    def __init__(
        self,
        num_train_timesteps: int = 1000,
        beta_start: float = 0.0001,
        beta_end: float = 0.02,
        beta_schedule: str = "linear",
        trained_betas: list[float] | None = None,
        clip_sample: bool = True,
        set_alpha_to_one: bool = True,
        steps_offset: int = 0,
        prediction_type: str = "epsilon",
        clip_sample_range: float = 1.0,
        timestep_spacing: str = "leading",
        rescale_betas_zero_snr: bool = False,
    ):
        self.num_train_timesteps = num_train_timesteps
        self.beta_start, self.beta_end, self.beta_schedule = beta_start, beta_end, beta_schedule
        self.trained_betas = trained_betas
        self.clip_sample, self.clip_sample_range = clip_sample, clip_sample_range
        self.set_alpha_to_one, self.steps_offset = set_alpha_to_one, steps_offset
        self.prediction_type, self.timestep_spacing = prediction_type, timestep_spacing
        self.rescale_betas_zero_snr = rescale_betas_zero_snr
        self.betas, self.alphas, self.alphas_cumprod = self._schedule()
        self.final_alpha_cumprod = mx.array(1.0) if set_alpha_to_one else self.alphas_cumprod[0]
        self.init_noise_sigma = 1.0
        self.num_inference_steps = None
        self.timesteps = mx.array(np.arange(0, num_train_timesteps)[::-1].copy().astype(np.int64))

    def _schedule(self) -> tuple[mx.array, mx.array, mx.array]:
        n = self.num_train_timesteps
        if self.trained_betas is not None:
            betas = mx.array(self.trained_betas, dtype=mx.float32)
        elif self.beta_schedule == "linear":
            betas = mx.linspace(self.beta_start, self.beta_end, n)
        elif self.beta_schedule == "scaled_linear":
            betas = mx.linspace(self.beta_start**0.5, self.beta_end**0.5, n) ** 2
        elif self.beta_schedule == "squaredcos_cap_v2":
            betas = mx.array(_cosine_betas(n), dtype=mx.float32)
        else:
            raise NotImplementedError(f"{self.beta_schedule} is not implemented for {self.__class__}")
        if self.rescale_betas_zero_snr:
            root = mx.sqrt(mx.cumprod(1.0 - betas))
            first, last = root[0], root[-1]
            root = (root - last) * first / (first - last)
            bar = root**2
            betas = 1.0 - mx.concatenate([bar[:1], bar[1:] / bar[:-1]])
        alphas = 1.0 - betas
        return betas, alphas, mx.cumprod(alphas)

    def scale_model_input(self, sample: mx.array, timestep: int | None = None) -> mx.array:
        return sample

    def _host(self, timestep: int, prev_timestep: int) -> tuple[np.float32, np.float32]:
        alphas_cumprod = np.array(self.alphas_cumprod)
        alpha_prod_t = alphas_cumprod[timestep]
        alpha_prod_t_prev = alphas_cumprod[prev_timestep] if prev_timestep >= 0 else np.array(self.final_alpha_cumprod)
        return np.float32(alpha_prod_t), np.float32(alpha_prod_t_prev)

    def _get_variance(self, timestep: int, prev_timestep: int) -> mx.array:
        alpha_prod_t, alpha_prod_t_prev = self._host(int(timestep), int(prev_timestep))
        beta_prod_t, beta_prod_t_prev = np.float32(1) - alpha_prod_t, np.float32(1) - alpha_prod_t_prev
        return mx.array((beta_prod_t_prev / beta_prod_t) * (np.float32(1) - alpha_prod_t / alpha_prod_t_prev))

    def set_timesteps(self, num_inference_steps: int, device=None) -> None:
        n = self.num_train_timesteps
        if num_inference_steps > n:
            raise ValueError(
                f"`num_inference_steps`: {num_inference_steps} cannot be larger than `self.config.train_timesteps`:"
                f" {n} as the unet model trained with this scheduler can only handle maximal {n} timesteps."
            )
        self.num_inference_steps = num_inference_steps
        if self.timestep_spacing == "linspace":
            timesteps = np.linspace(0, n - 1, num_inference_steps).round()[::-1].copy().astype(np.int64)
        elif self.timestep_spacing == "leading":
            timesteps = (np.arange(0, num_inference_steps) * (n // num_inference_steps)).round()[::-1].copy()
            timesteps = timesteps.astype(np.int64) + self.steps_offset
        elif self.timestep_spacing == "trailing":
            timesteps = np.round(np.arange(n, 0, -n / num_inference_steps)).astype(np.int64) - 1
        else:
            raise ValueError(
                f"{self.timestep_spacing} is not supported. Please make sure to choose one of 'leading' or 'trailing'."
            )
        self.timesteps = mx.array(timesteps)

    def step(self, model_output, timestep, sample, eta=0.0, use_clipped_model_output=False, generator=None,
             variance_noise=None):  # fmt: skip
        if self.num_inference_steps is None:
            raise ValueError("Number of inference steps is 'None', you need to run 'set_timesteps' first")
        t = int(timestep.item()) if isinstance(timestep, mx.array) else int(timestep)
        prev_timestep = t - self.num_train_timesteps // self.num_inference_steps
        alpha_prod_t, alpha_prod_t_prev = self._host(t, prev_timestep)
        beta_prod_t = np.float32(1) - alpha_prod_t
        sqrt_alpha, sqrt_beta = np.sqrt(alpha_prod_t), np.sqrt(beta_prod_t)
        if self.prediction_type == "epsilon":
            pred_original_sample = divide(sample - scale(sqrt_beta, model_output), sqrt_alpha)
            pred_epsilon = model_output
        elif self.prediction_type == "sample":
            pred_original_sample = model_output
            pred_epsilon = divide(sample - scale(sqrt_alpha, pred_original_sample), sqrt_beta)
        elif self.prediction_type == "v_prediction":
            pred_original_sample = scale(sqrt_alpha, sample) - scale(sqrt_beta, model_output)
            pred_epsilon = scale(sqrt_alpha, model_output) + scale(sqrt_beta, sample)
        else:
            raise ValueError(f"prediction_type given as {self.prediction_type} must be one of `epsilon`, `sample`, or"
                             " `v_prediction`")  # fmt: skip
        if self.clip_sample:
            r = self.clip_sample_range
            pred_original_sample = mx.clip(pred_original_sample, -r, r)
        variance = np.array(self._get_variance(t, prev_timestep))
        std_dev_t = np.float32(eta) * np.sqrt(variance)
        if use_clipped_model_output:
            pred_epsilon = divide(sample - scale(sqrt_alpha, pred_original_sample), sqrt_beta)
        direction = scale(np.sqrt(np.float32(1) - alpha_prod_t_prev - std_dev_t * std_dev_t), pred_epsilon)
        prev_sample = scale(np.sqrt(alpha_prod_t_prev), pred_original_sample) + direction
        if eta > 0:
            if variance_noise is not None and generator is not None:
                raise ValueError("Cannot pass both generator and variance_noise.")
            if variance_noise is None:
                variance_noise = mx.random.normal(model_output.shape, dtype=model_output.dtype, key=generator)
            prev_sample = prev_sample + scale(std_dev_t, variance_noise)
        return prev_sample, pred_original_sample

    def add_noise(self, original_samples: mx.array, noise: mx.array, timesteps: mx.array) -> mx.array:
        alphas_cumprod = self.alphas_cumprod.astype(original_samples.dtype)[timesteps].flatten()
        shape = (-1,) + (1,) * (original_samples.ndim - 1)
        sqrt_alpha_prod = (alphas_cumprod**0.5).reshape(shape)
        sqrt_one_minus_alpha_prod = ((1 - alphas_cumprod) ** 0.5).reshape(shape)
        return sqrt_alpha_prod * original_samples + sqrt_one_minus_alpha_prod * noise

    def __len__(self) -> int:
        return self.num_train_timesteps


class ExactDDIMScheduler(DDIMScheduler):
    """The same plain API with this project's schedule (torch's bits) and add_noise's bounds check (torch's
    IndexError): exact math and behaviour, another API."""

    def add_noise(self, original_samples: mx.array, noise: mx.array, timesteps: mx.array) -> mx.array:
        size = self.num_train_timesteps
        if not np.all((np.array(timesteps) >= -size) & (np.array(timesteps) < size)):
            raise IndexError(f"index out of bounds for dimension 0 with size {size}")
        return super().add_noise(original_samples, noise, timesteps)

    def _schedule(self) -> tuple[mx.array, mx.array, mx.array]:
        from mlx_ddim import DDIMScheduler as Ported

        ported = Ported(
            num_train_timesteps=self.num_train_timesteps, beta_start=self.beta_start, beta_end=self.beta_end,
            beta_schedule=self.beta_schedule, trained_betas=self.trained_betas,
            rescale_betas_zero_snr=self.rescale_betas_zero_snr,
        )  # fmt: skip
        return ported.betas, ported.alphas, ported.alphas_cumprod
