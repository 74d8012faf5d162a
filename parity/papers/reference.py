"""The reference side of the paper properties: diffusers' DDIMScheduler and DDPMScheduler in torch (the only
module of parity.papers that imports torch or diffusers)."""

from __future__ import annotations

import numpy as np
import torch
from diffusers import DDIMScheduler, DDPMScheduler

from .sides import Side

__all__ = ["ReferenceSide", "reference_side"]


class ReferenceSide(Side):
    """torch tensors on the CPU; a generator is a torch.Generator. diffusers' DDPM step has no `variance_noise`:
    it draws `torch.randn(shape, generator=generator, dtype=dtype)`, so an identical fresh generator gives the
    noise it used."""

    name = "diffusers (torch)"

    def array(self, values: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(np.array(values, dtype=np.float32))

    def numpy(self, tensor: torch.Tensor) -> np.ndarray:
        if tensor.is_floating_point():
            return tensor.detach().to(torch.float64).numpy().copy()
        return tensor.detach().numpy().copy()

    def timesteps(self, values: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(np.array(values, dtype=np.int64))

    def generator(self, seed: int) -> torch.Generator:
        return torch.Generator().manual_seed(seed)

    def random_state(self, generator: torch.Generator | None = None) -> bytes:
        state = torch.get_rng_state().numpy().tobytes()
        return state + (b"" if generator is None else generator.get_state().numpy().tobytes())

    def ddpm_step(self, scheduler, model_output, t, sample, seed):
        model_output = self.array(model_output)
        noise = torch.randn(model_output.shape, generator=self.generator(seed), dtype=model_output.dtype)
        out = scheduler.step(model_output, t, self.array(sample), generator=self.generator(seed))
        return self.numpy(out.prev_sample), self.numpy(out.pred_original_sample), self.numpy(noise)


def reference_side(ddim: type | None = None, ddpm: type | None = None) -> ReferenceSide:
    """diffusers' classes (or the given ones in their place, e.g. a deliberately wrong subclass)."""
    return ReferenceSide(ddim or DDIMScheduler, ddpm or DDPMScheduler)
