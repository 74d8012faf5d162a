"""Two broken ways to judge mflux, for the meta-tests (parity/meta_tests/test_mflux.py): an adapter with a bug of its
own (building the port the way mflux's model does raises), and mflux's LinearScheduler with a planted bug (its step
reads the sigmas the wrong way round), reached through mflux's own mechanism for a scheduler of one's own (Config's
dotted-path import). Each judges a few of the real rows: FLUX.1-dev's schedule and its float32 loop."""

from __future__ import annotations

from typing import Any

from mflux.models.common.schedulers import LinearScheduler

from parity.adapters.mflux import LinearAdapter

__all__ = ["CrashingLinearAdapter", "PlantedBugAdapter", "SwappedLinearScheduler"]


def _few(features: list) -> list:
    return [f for f in features if f.cases[0]["model"] == "dev" and f.cases[0]["height"] == 1024]


class CrashingLinearAdapter(LinearAdapter):
    """An adapter whose `pipeline` raises: every mflux row fails as a crash, naming it, and the report goes on."""

    def pipeline(self, case: dict[str, Any]) -> Any:
        raise RuntimeError("the adapter's pipeline is broken")

    def features(self) -> list:
        return _few(super().features())


class SwappedLinearScheduler(LinearScheduler):
    """A planted bug: dt = sigma - sigma_next (the step runs the flow backwards)."""

    def step(self, noise, timestep, latents, **kwargs):
        dt = (self._sigmas[timestep] - self._sigmas[timestep + 1]).astype(latents.dtype)
        return latents + noise.astype(latents.dtype) * dt


class PlantedBugAdapter(LinearAdapter):
    """The real adapter, on the buggy scheduler."""

    def __init__(self, port_class: type, reference_defaults: Any) -> None:
        super().__init__(SwappedLinearScheduler, reference_defaults)

    def features(self) -> list:
        return _few(super().features())
