"""A reference scheduler and the port under test built from one config, and the inputs both sides get."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from parity import port
from parity.adapter import Unsupported
from parity.surface import Side

__all__ = [
    "ODD_TRAIN_STEPS",
    "ZERO_SNR_TRAILING_V",
    "Pair",
    "current_reference",
    "inputs",
    "listed_differences",
    "surface_sides",
]

# Named configs that the DDPM-family entries' fixed-case tests (DDIM's and DDPM's CONFIGS) share.
ZERO_SNR_TRAILING_V = {
    "rescale_betas_zero_snr": True,
    "timestep_spacing": "trailing",
    "prediction_type": "v_prediction",
    "clip_sample": False,
}
ODD_TRAIN_STEPS = {"num_train_timesteps": 997, "timestep_spacing": "trailing", "steps_offset": 2}


class Pair:
    """The reference scheduler (made by `build_reference`; by default the current entry's reference class, built
    from the config's keywords) and the port, built from the same config: `adapted` is the port as the checks call
    it (through the active adapter, parity.adapter), `port` the port object itself."""

    def __init__(self, config: dict[str, Any], build_reference: Callable[[dict[str, Any]], Any] | None = None):
        self.config = config
        self.torch = (build_reference or current_reference)(config)
        self.adapted = port.adapter().build(config)
        self.port = self.adapted.instance

    def set_timesteps(self, num_inference_steps: int | None = None, **kwargs: Any) -> None:
        self.torch.set_timesteps(num_inference_steps, **kwargs)
        self.adapted.set_timesteps(num_inference_steps, **kwargs)

    def call(self, method: str, *args: Any) -> None:
        """`method(*args)` on both sides (the port's through the adapter): set_shift, set_begin_index..."""
        getattr(self.torch, method)(*args)
        self.adapted.call(method, *args)

    def port_config(self) -> dict[str, Any]:
        """The port's config values, as a pipeline reads them from its scheduler (`scheduler.config.base_shift`):
        a pipeline call computes the port's arguments from the port's own config, as it would in the port's
        pipeline. A key the port lacks is left out."""
        found = {}
        for key in self.torch.config:
            try:
                found[key] = self.adapted.attribute(key)
            except Unsupported:
                continue
        return found

    def reference_config(self) -> dict[str, Any]:
        """The reference's whole config (every constructor keyword, defaults filled in): what the judge reads, so
        that a port's own config (or its lack of one) never changes how it is judged."""
        return dict(self.torch.config)

    def describe(self, **extra: Any) -> dict[str, Any]:
        config = {
            k: (np.asarray(v).tolist() if k == "trained_betas" and v is not None else v) for k, v in self.config.items()
        }
        return {"config": config, **extra}


def current_reference(config: dict[str, Any]) -> Any:
    """The current entry's reference scheduler (its class, parity.entries.Entry.reference_class), built from
    `config`'s keywords."""
    from parity.entries import current

    return current().reference_class()(**config)


def inputs(shape: tuple[int, ...], seed: int, count: int = 3, magnitude: float = 1.0) -> list[np.ndarray]:
    """`count` float32 standard-normal arrays of `shape`, reproducible from `seed`."""
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(shape) * magnitude).astype(np.float32) for _ in range(count)]


def surface_sides(reference_side: Side) -> tuple[Side, Side]:
    """The reference and the port under test, as the API-surface check sees them."""
    return reference_side, port.side(reference_side.output.__name__)


def listed_differences(scheduler_name: str) -> dict[str, str]:
    """The deliberate differences the port declares for `scheduler_name` (this project's table; another port under
    test has none). A surface key starts with its class's name (`DDPMScheduler.push_to_hub`,
    `DDPMSchedulerOutput.__init_subclass__`): keys of the port's other schedulers are left out, so one table serves
    every scheduler the port has."""
    if not port.is_own_port():
        return {}
    from mlx_ddim.differences import surface_reasons

    return {key: why for key, why in surface_reasons().items() if key.startswith(scheduler_name)}
