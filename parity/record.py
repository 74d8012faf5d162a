"""What a run judged: the one recorder the checks write to and the report reads.

A case flows one way: a strategy or a fixture gives it, both sides run it, the judge (parity.compare through the
entry's checks) decides, and every judgement lands in the active `Recorder`; the summary is made from that recorder
alone. The pytest session makes one recorder active for the whole run (conftest.py), `python -m parity.replay`
and the fixture replay make their own; tests never write shared state. Outside any of them, judgements go to a
throwaway recorder.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Measurement", "Recorder", "active", "recording"]


@dataclass
class Measurement:
    quantity: str
    dtype: str
    ok: bool
    max_ulp: int = 0
    error_over_scale: float = 0.0
    tolerance: Any = None  # the parity.tolerances.Tolerance that judged it
    detail: dict[str, Any] = field(default_factory=dict)
    port_vs_oracle: float | None = None  # max |port - float64 oracle| / scale
    reference_vs_oracle: float | None = None


@dataclass
class Recorder:
    """Every judgement of one run, the property cases it ran, their seconds, and free-running trajectories."""

    measurements: list[Measurement] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)  # property cases run, for throughput and coverage
    property_seconds: list[float] = field(default_factory=list)
    trajectories: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # name -> side -> error per step

    def add(self, measurement: Measurement) -> Measurement:
        self.measurements.append(measurement)
        return measurement

    def examples(self) -> Counter[str]:
        return Counter(case["check"] for case in self.cases)


_ACTIVE: ContextVar[Recorder | None] = ContextVar("parity_recorder", default=None)


def active() -> Recorder:
    """The recorder of the run in progress (a throwaway one when no run made one active)."""
    recorder = _ACTIVE.get()
    return recorder if recorder is not None else Recorder()


@contextmanager
def recording(recorder: Recorder) -> Iterator[Recorder]:
    """Make `recorder` the active one inside the block."""
    token = _ACTIVE.set(recorder)
    try:
        yield recorder
    finally:
        _ACTIVE.reset(token)


def activate(recorder: Recorder) -> None:
    """Make `recorder` active for the rest of this context (a pytest session: the hooks have no block to wrap)."""
    _ACTIVE.set(recorder)
