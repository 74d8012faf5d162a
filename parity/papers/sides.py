"""A side that the paper properties run on: a pair of scheduler classes (DDIM, DDPM) and the few operations whose
spelling differs between torch and MLX (arrays in and out, the random generator, the DDPM step's noise).

`Side` is the interface; the reference side (diffusers in torch) lives in parity.papers.reference, the only module
of this package that imports torch; the port side (mlx_ddim) is `PortSide` below. Properties see numpy float32
inputs and get numpy float64 copies of the outputs, so one property runs unchanged on every side.
"""

from __future__ import annotations

from typing import Any

import mlx.core as mx
import numpy as np

__all__ = ["PortSide", "Side", "port_side"]


class Side:
    """What a property needs of one implementation. Subclasses set `name`, `ddim` and `ddpm` (a class, or None
    where this side has no such scheduler) and the array operations."""

    name: str
    ddim: type | None
    ddpm: type | None

    def __init__(self, ddim: type | None, ddpm: type | None, name: str | None = None) -> None:
        self.ddim, self.ddpm = ddim, ddpm
        if name is not None:
            self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"

    def kinds(self) -> tuple[str, ...]:
        """The scheduler kinds this side has, of "ddim" and "ddpm"."""
        return tuple(kind for kind, cls in (("ddim", self.ddim), ("ddpm", self.ddpm)) if cls is not None)

    def scheduler(self, kind: str, **config: Any) -> Any:
        """A scheduler of `kind` ("ddim" or "ddpm") built from `config`."""
        cls = {"ddim": self.ddim, "ddpm": self.ddpm}[kind]
        if cls is None:
            raise LookupError(f"{self.name} has no {kind.upper()} scheduler")
        return cls(**config)

    # Arrays
    def array(self, values: np.ndarray) -> Any:
        raise NotImplementedError

    def numpy(self, array: Any) -> np.ndarray:
        """A float64 (or int64) numpy copy."""
        raise NotImplementedError

    def timesteps(self, values: np.ndarray) -> Any:
        raise NotImplementedError

    # Randomness
    def generator(self, seed: int) -> Any:
        raise NotImplementedError

    def random_state(self, generator: Any = None) -> bytes:
        """Everything a draw would change: the generator's state (if it has one) and the global one."""
        raise NotImplementedError

    # Steps
    def ddim_step(
        self, scheduler: Any, model_output: np.ndarray, t: int, sample: np.ndarray, *, eta: float,
        use_clipped_model_output: bool = False, variance_noise: Any = None, generator: Any = None,
    ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """(prev_sample, pred_original_sample) of DDIMScheduler.step; `variance_noise` as given (numpy is
        converted)."""
        if isinstance(variance_noise, np.ndarray):
            variance_noise = self.array(variance_noise)
        out = scheduler.step(
            self.array(model_output), t, self.array(sample), eta=eta,
            use_clipped_model_output=use_clipped_model_output, variance_noise=variance_noise, generator=generator,
        )  # fmt: skip
        return self.numpy(out.prev_sample), self.numpy(out.pred_original_sample)

    def ddpm_step(
        self, scheduler: Any, model_output: np.ndarray, t: int, sample: np.ndarray, seed: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(prev_sample, pred_original_sample, the unit-normal noise it used) of DDPMScheduler.step, its noise
        determined by `seed`."""
        raise NotImplementedError


class PortSide(Side):
    """mlx_ddim: MLX arrays; a generator is an MLX PRNG key; the DDPM step takes its noise as `variance_noise`."""

    name = "mlx_ddim"

    def array(self, values: np.ndarray) -> mx.array:
        return mx.array(np.ascontiguousarray(values, dtype=np.float32))

    def numpy(self, array: mx.array) -> np.ndarray:
        if mx.issubdtype(array.dtype, mx.floating):
            return np.array(array.astype(mx.float32)).astype(np.float64)
        return np.array(array)

    def timesteps(self, values: np.ndarray) -> mx.array:
        return mx.array(np.asarray(values, np.int64))

    def generator(self, seed: int) -> mx.array:
        return mx.random.key(seed)

    def random_state(self, generator: mx.array | None = None) -> bytes:
        """MLX's global key (a draw without a key splits it); a key itself is an immutable value."""
        state = np.array(mx.random.state[0]).tobytes()
        return state + (b"" if generator is None else np.array(generator).tobytes())

    def ddpm_step(self, scheduler, model_output, t, sample, seed):
        noise = np.random.default_rng(seed).standard_normal(np.shape(sample)).astype(np.float32)
        out = scheduler.step(self.array(model_output), t, self.array(sample), variance_noise=self.array(noise))
        return self.numpy(out.prev_sample), self.numpy(out.pred_original_sample), noise.astype(np.float64)


def port_side(ddim: type | None = None, ddpm: type | None = None) -> PortSide:
    """The ports under test (or the given classes in their place): each entry's, PORT's class for the entry PORT
    selects (parity.entries.selected); None for an entry not under test, whose properties are then skipped."""
    from parity import port
    from parity.entries import selected, using

    under_test = {}
    for name in ("ddim", "ddpm"):
        if name in selected():
            with using(name):
                under_test[name] = port.scheduler_class()
    return PortSide(ddim or under_test.get("ddim"), ddpm or under_test.get("ddpm"))
