"""A DDIM port of another shape, and the adapter that lets the harness judge it (README "How to verify a port that
is not a drop-in" walks through it).

The port is shaped as many MLX pipelines' schedulers are: built from the pipeline's own config object
(`SamplerConfig`, with its own names: `prediction`, `spacing`, `zero_terminal_snr`; the step count is part of it, so
the schedule is fixed at construction), stepped by loop index (`step(noise_prediction, i, latents)`), returning the
new latents alone, deterministic (no eta), without dynamic thresholding, and exposing only `timesteps` and
`alphas_cumprod`. Its arithmetic is this project's (it wraps mlx_ddim.DDIMScheduler), so every row the adapter
reaches holds; what the port cannot do blocks exactly the rows that need it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import mlx.core as mx
import numpy as np

from parity.adapter import Adapted, Unsupported

__all__ = ["IndexedAdapter", "IndexedDDIM", "SamplerConfig"]


@dataclass
class SamplerConfig:
    """The pipeline's own config: what its scheduler is built from."""

    num_inference_steps: int = 50
    num_train_timesteps: int = 1000
    beta_start: float = 0.00085
    beta_end: float = 0.012
    beta_schedule: str = "scaled_linear"
    prediction: str = "epsilon"
    spacing: str = "leading"
    steps_offset: int = 1
    clip_sample: bool = False
    clip_sample_range: float = 1.0
    set_alpha_to_one: bool = False
    zero_terminal_snr: bool = False


class IndexedDDIM:
    """Deterministic DDIM (eta = 0), built from a SamplerConfig."""

    def __init__(self, config: SamplerConfig):
        from mlx_ddim import DDIMScheduler

        self._scheduler = DDIMScheduler(
            num_train_timesteps=config.num_train_timesteps, beta_start=config.beta_start, beta_end=config.beta_end,
            beta_schedule=config.beta_schedule, prediction_type=config.prediction, timestep_spacing=config.spacing,
            steps_offset=config.steps_offset, clip_sample=config.clip_sample,
            clip_sample_range=config.clip_sample_range, set_alpha_to_one=config.set_alpha_to_one,
            rescale_betas_zero_snr=config.zero_terminal_snr,
        )  # fmt: skip
        self._scheduler.set_timesteps(config.num_inference_steps)
        self.timesteps = self._scheduler.timesteps
        self.alphas_cumprod = self._scheduler.alphas_cumprod

    def step(self, noise_prediction: mx.array, i: int, latents: mx.array) -> mx.array:
        return self._scheduler.step(noise_prediction, self.timesteps[i], latents, return_dict=False)[0]


# ------------------------------------------------------------------------------------------------ the adapter

# diffusers' constructor keyword -> the SamplerConfig field that holds it (the same name where it is not here)
RENAMED = {
    "prediction_type": "prediction",
    "timestep_spacing": "spacing",
    "rescale_betas_zero_snr": "zero_terminal_snr",
}


class IndexedAdapted(Adapted):
    """The port as the engine calls it: diffusers' calls translated into the port's."""

    def __init__(self, port_class: type, sampler: SamplerConfig, reference_defaults) -> None:
        sampler.num_inference_steps = min(sampler.num_inference_steps, sampler.num_train_timesteps)
        super().__init__(port_class(sampler), reference_defaults)  # built now: a bad config raises here
        self.port_class, self.sampler = port_class, sampler

    def set_timesteps(self, num_inference_steps: int | None = None, **kwargs: Any) -> None:
        if kwargs or num_inference_steps is None:
            raise Unsupported(f"set_timesteps({', '.join(kwargs) or 'None'})", "a step count is all it takes")
        self.sampler.num_inference_steps = num_inference_steps
        self.instance = self.port_class(self.sampler)  # its schedule is fixed at construction

    def step(self, model_output: Any, timestep: Any, sample: Any, **kwargs: Any) -> tuple:
        if kwargs.get("eta", 0.0) != 0.0:
            raise Unsupported("step(eta=...)", "deterministic DDIM only")
        if kwargs.get("use_clipped_model_output", False):
            raise Unsupported("step(use_clipped_model_output=...)", "deterministic DDIM only")
        timesteps = np.array(self.instance.timesteps)
        index = int(np.flatnonzero(timesteps == int(np.asarray(timestep)))[0])  # it steps by loop index
        return (self.instance.step(model_output, index, sample),)  # prev_sample; no pred_original_sample

    def attribute(self, name: str) -> Any:
        if name not in ("timesteps", "alphas_cumprod"):
            raise Unsupported(name, "the port exposes only timesteps and alphas_cumprod")
        return getattr(self.instance, name)


class IndexedAdapter:
    """`make conformance PORT=parity.meta_tests.ports.indexed_ddim:IndexedDDIM PARITY_ENTRY=ddim
    ADAPTER=parity.meta_tests.ports.indexed_ddim:IndexedAdapter`."""

    capabilities = frozenset({"set_timesteps", "step", "timesteps", "alphas_cumprod"})

    def __init__(self, port_class: type, reference_defaults) -> None:
        self.port_class, self.reference_defaults = port_class, reference_defaults

    def build(self, config: dict[str, Any]) -> IndexedAdapted:
        """A SamplerConfig holding the reference config (its defaults filled in); a keyword it has no field for
        blocks the build unless it is at the reference's default."""
        full = {**self.reference_defaults["__init__"], **config}
        names = {field.name for field in fields(SamplerConfig)}
        values = {}
        for key, value in full.items():
            field = RENAMED.get(key, key)
            if field in names:
                values[field] = value
            elif value != self.reference_defaults["__init__"].get(key):
                raise Unsupported(f"constructor parameter {key}", "SamplerConfig has no such field")
        return IndexedAdapted(self.port_class, SamplerConfig(**values), self.reference_defaults)

    def load(self, config: dict[str, Any]) -> IndexedAdapted:
        keywords = self.reference_defaults["__init__"]
        return self.build({key: value for key, value in config.items() if key in keywords})


# ------------------------------------------------------------------------- two broken ones, for the meta-tests


class OffByOneDDIM(IndexedDDIM):
    """A planted bug of this shape of port: the loop index read one step ahead."""

    def step(self, noise_prediction: mx.array, i: int, latents: mx.array) -> mx.array:
        ahead = self.timesteps[min(i + 1, len(self.timesteps) - 1)]
        return self._scheduler.step(noise_prediction, ahead, latents, return_dict=False)[0]


class OffByOneAdapter(IndexedAdapter):
    def __init__(self, port_class: type, reference_defaults) -> None:
        super().__init__(OffByOneDDIM, reference_defaults)


class CrashingAdapter(IndexedAdapter):
    """An adapter with a bug of its own: its step raises."""

    def build(self, config: dict[str, Any]) -> IndexedAdapted:
        adapted = super().build(config)

        def step(*args: Any, **kwargs: Any) -> tuple:
            raise RuntimeError("the adapter's step is broken")

        adapted.step = step
        return adapted
