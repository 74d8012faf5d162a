"""What a run judged: the one recorder the checks write to and the report reads.

A case flows one way: a strategy or a fixture gives it, both sides run it, the judge (parity.compare through the
entry's checks) decides, and every judgement lands in the active `Recorder`; the summary is made from that recorder
alone. The pytest session makes one recorder active for the whole run (conftest.py), `python -m parity.replay`
and the fixture replay make their own; tests never write shared state. Outside any of them, judgements go to a
throwaway recorder. Under pytest-xdist each worker fills its own, serialized with `to_json` at the end of its session
and merged into the controller's (`merge`), so the summary is the whole run's.

Sections: each measurement belongs to one section of the summary, one table each. By default it is the entry the
check verifies ("ddim", "ddpm"); a check that is not an entry's (the papers' properties, say) names its own, either
on the measurement (`Measurement(..., section="papers")`) or for everything judged inside a block:

    with section("papers: DDIM eta=1 is DDPM"):
        assert_close(...)  # recorded under that section

That is all a new section needs: the report makes one table per section, entries first, then the others in the order
they were first recorded.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = ["Measurement", "Recorder", "activate", "active", "recording", "section"]


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
    section: str = ""  # the summary table it belongs to; empty: filled in by Recorder.add (see the module docstring)


_SECTION: ContextVar[str | None] = ContextVar("parity_section", default=None)


@contextmanager
def section(name: str) -> Iterator[None]:
    """Record every measurement judged inside the block under the section `name` (one table of the summary)."""
    token = _SECTION.set(name)
    try:
        yield
    finally:
        _SECTION.reset(token)


def _default_section() -> str:
    if (name := _SECTION.get()) is not None:
        return name
    from parity.entries import current

    return current().NAME


@dataclass
class Recorder:
    """Every judgement of one run, the property cases it ran (per entry), their seconds, free-running trajectories,
    and the API-surface table of each entry checked."""

    measurements: list[Measurement] = field(default_factory=list)
    cases: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # entry -> cases run (throughput, coverage)
    property_seconds: dict[str, float] = field(default_factory=dict)  # entry -> seconds its properties took
    trajectories: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # name -> side -> error per step
    surfaces: dict[str, str] = field(default_factory=dict)  # entry -> its API-surface table (markdown)

    def add(self, measurement: Measurement) -> Measurement:
        if not measurement.section:
            measurement.section = _default_section()
        self.measurements.append(measurement)
        return measurement

    def add_case(self, entry: str, case: dict[str, Any]) -> None:
        self.cases.setdefault(entry, []).append(case)

    def examples(self, entry: str) -> Counter[str]:
        """How many cases of each check the entry's run held."""
        return Counter(case["check"] for case in self.cases.get(entry, []))

    def merge(self, other: Recorder) -> None:
        """Add everything `other` recorded (another pytest-xdist worker's) to this recorder."""
        self.measurements += other.measurements
        for entry, cases in other.cases.items():
            self.cases.setdefault(entry, []).extend(cases)
        for entry, seconds in other.property_seconds.items():
            self.property_seconds[entry] = self.property_seconds.get(entry, 0.0) + seconds
        self.trajectories.update(other.trajectories)
        self.surfaces.update(other.surfaces)

    def to_json(self) -> str:
        """The whole recorder as JSON text (what a pytest-xdist worker hands the controller); `from_json` reads it.
        Each measurement is a row of its fields in order, its tolerance an index into one table of the distinct
        ones (dataclasses.asdict, which copies every field of tens of thousands of measurements, took seconds at
        the end of each worker)."""
        tolerances: dict[Any, int] = {}
        rows = []
        for measurement in self.measurements:
            row = [getattr(measurement, name) for name in _FIELDS]
            tolerance = measurement.tolerance
            row[_TOLERANCE] = None if tolerance is None else tolerances.setdefault(tolerance, len(tolerances))
            rows.append(row)
        state = {attribute.name: getattr(self, attribute.name) for attribute in fields(self)}  # cases, seconds, ...
        state["measurements"] = rows
        state["tolerance_table"] = [asdict(tolerance) for tolerance in tolerances]
        return json.dumps(state, default=_jsonable)

    @classmethod
    def from_json(cls, text: str) -> Recorder:
        from parity.tolerances import Tolerance

        state = json.loads(text)
        table = [Tolerance(**given) for given in state.pop("tolerance_table")]
        measurements = []
        for row in state.pop("measurements"):
            if row[_TOLERANCE] is not None:
                row[_TOLERANCE] = table[row[_TOLERANCE]]
            measurements.append(Measurement(*row))
        return cls(measurements=measurements, **state)


_FIELDS = [field.name for field in fields(Measurement)]
_TOLERANCE = _FIELDS.index("tolerance")


def _jsonable(value: Any) -> Any:
    """numpy scalars and arrays (in a detail or a case) as plain numbers and lists; anything else as its text."""
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


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
