"""One entry per scheduler: everything the engine (the modules of parity/) needs to verify a port of it.

An entry is a package `parity/entries/<name>/`, listed in ENTRIES. Its `__init__` declares only what names it:

    NAME                    the entry's name (its key in ENTRIES, its fixtures folder, its report section)
    REFERENCE               "diffusers:DDIMScheduler": the reference class (its class name selects the entry for a PORT;
                            its output class is the one its module names <class>Output)
    DEFAULT_PORT            "mlx_ddim:DDIMScheduler": the project's own port, checked when PORT is unset
    UPSTREAM                the reference file it was validated against (parity.upstream.Upstream)

and its modules hold the rest, each found by its name (`Entry`, below, is how the engine reads them):

    tolerances.POLICY       the tolerance policy {(quantity, dtype): Tolerance} (parity.tolerances)
    enums.ENUMS, COVERED    the enum-like values its properties must exercise, and where each kind of case holds them
    checks.RUNNERS          {check name: runner(case, replay)}: how each kind of replayable case is run and judged
                            (the "config" and "fixture" runners are every entry's: parity.entries.common.checks)
    strategies.properties() {property name: (strategy, share)}: the Hypothesis properties (each drawn case is run by
                            `parity.running.run`), each share of examples per 100 of the profile's max_examples
    features.features()     the conformance report's behaviour rows
    fixtures                what a recorded fixture holds: CANONICAL, describe, recorded, replay, promoted, ...
    mutants                 the catalog: CATALOG, GENERIC_SOURCES, TEST_ORDER, and EQUIVALENT (the generic mutants
                            shown equivalent, if any); the mutants apply to DEFAULT_PORT's package

What the engine derives for every entry: the fixtures folder (parity/recorded/<name>, a link to fixtures/<name>),
the installed reference source (for the drift guard), the API-surface check's two sides and the port's deliberate
differences. Importing an entry never imports torch: what needs the reference is behind its functions, so the fixture
replay stays torch-free.

Which entries are under test (`selected()`): the one PARITY_ENTRY names; else, when PARITY_PORT (make's PORT) names a
class, the entry whose reference class has that class's name; else every entry, each against its own DEFAULT_PORT.
Which entry a check verifies (`current()`): the one made active by `using(name)` (the gate runs each test inside its
entry: see parity/tests/conftest.py); else the first entry under test.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["ENTRIES", "Entry", "current", "load", "selected", "using"]

RECORDED = Path(__file__).resolve().parents[1] / "recorded"  # fixtures/, shipped as package data


class Entry:
    """An entry as the engine reads it: its package's declarations (NAME, REFERENCE, DEFAULT_PORT, UPSTREAM, and
    any other name, by attribute) and its modules by convention (the module docstring)."""

    def __init__(self, package: ModuleType) -> None:
        self.package = package

    def __getattr__(self, name: str) -> Any:
        return getattr(self.package, name)

    def part(self, module: str) -> ModuleType:
        """The entry's module `module` (checks, strategies, features, ...), imported on first use."""
        return importlib.import_module(f"{self.package.__name__}.{module}")

    @property
    def POLICY(self) -> dict:
        return self.part("tolerances").POLICY

    @property
    def ENUMS(self) -> dict:
        return self.part("enums").ENUMS

    @property
    def FIXTURES(self) -> Path:
        return RECORDED / self.NAME

    @property
    def fixtures(self) -> ModuleType:
        return self.part("fixtures")

    def coverage(self, case: dict[str, Any]) -> list[tuple[str, Any]]:
        """The (name, value) pairs of ENUMS a drawn case exercises: those enums.COVERED names for every case
        ("config") and for its kind of check, read from the case or else from its config; a flag whose value is
        not a bool there (trained_betas: a list, or absent) counts as whether it is given."""
        enums = self.part("enums")
        found = []
        for name in (*enums.COVERED.get("config", ()), *enums.COVERED.get(case["check"], ())):
            value = case[name] if name in case else case.get("config", {}).get(name)
            if enums.ENUMS[name] == (False, True) and not isinstance(value, bool):
                value = value is not None
            found.append((name, value))
        return found

    def runners(self) -> dict[str, Any]:
        """checks.RUNNERS, with every entry's "config" and "fixture" runners (a shipped config's round trip, a
        recorded fixture's replay)."""
        from parity.entries.common import checks

        return {"config": checks.run_config_case, "fixture": checks.run_fixture_case, **self.part("checks").RUNNERS}

    def properties(self) -> dict[str, tuple[Any, int]]:
        return self.part("strategies").properties()

    def conformance_features(self) -> list:
        return self.part("features").features()

    def mutant_catalog(self) -> ModuleType:
        return self.part("mutants")

    def reference_class(self) -> type:
        """The reference class (imports diffusers)."""
        module, _, name = self.REFERENCE.partition(":")
        return getattr(importlib.import_module(module), name)

    def installed_reference(self) -> tuple[str, str]:
        """The installed reference source file and its library's version, for the drift guard."""
        cls = self.reference_class()
        library = importlib.import_module(self.REFERENCE.partition(":")[0].partition(".")[0])
        return sys.modules[cls.__module__].__file__, library.__version__

    def surface_sides(self) -> tuple:
        """The reference and the port under test, as the API-surface check sees them."""
        from parity.entries.common import pairs, torch_arrays

        return pairs.surface_sides(torch_arrays.reference_side(self.reference_class()))

    def listed_differences(self) -> dict[str, str]:
        """The deliberate differences the port declares for this entry's classes."""
        from parity.entries.common import pairs

        return pairs.listed_differences(self.REFERENCE.partition(":")[2])


_USING: ContextVar[str | None] = ContextVar("parity_entry", default=None)

ENTRIES = {
    "ddim": "parity.entries.ddim",
    "ddpm": "parity.entries.ddpm",
    "flow_match": "parity.entries.flow_match",
}


def load(name: str) -> Entry:
    if name not in ENTRIES:
        raise ValueError(f"no scheduler entry {name!r}; the entries are {sorted(ENTRIES)}")
    return _loaded(ENTRIES[name])


@functools.cache
def _loaded(package: str) -> Entry:
    return Entry(importlib.import_module(package))


@contextmanager
def using(name: str) -> Iterator[Entry]:
    """Make the entry `name` the current one inside the block."""
    entry = load(name)
    token = _USING.set(name)
    try:
        yield entry
    finally:
        _USING.reset(token)


def selected() -> list[str]:
    """The names of the entries under test, in ENTRIES order (see the module docstring); a clear ValueError when
    PARITY_ENTRY names no entry, or PARITY_PORT's class matches none and PARITY_ENTRY does not say which it is."""
    if name := os.environ.get("PARITY_ENTRY"):
        load(name)  # an unknown name is a clear error
        return [name]
    port = os.environ.get("PARITY_PORT", "")
    if not port:
        return list(ENTRIES)
    class_name = port.partition(":")[2]
    matching = [name for name in ENTRIES if load(name).REFERENCE.partition(":")[2] == class_name]
    if not matching:
        references = ", ".join(f"{name}: {load(name).REFERENCE}" for name in ENTRIES)
        raise ValueError(
            f"PORT {port!r}: its class {class_name!r} has the name of no entry's reference class ({references}); "
            f"say which scheduler it ports with PARITY_ENTRY=<name>"
        )
    return matching


def current() -> Entry:
    """The entry this check verifies."""
    return load(_USING.get() or selected()[0])
