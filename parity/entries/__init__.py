"""One entry per scheduler: everything the engine (the modules of parity/) needs to verify a port of it.

An entry is a package `parity/entries/<name>/`, listed in ENTRIES, whose `__init__` declares, in one place (the
DDIM entry is the model to copy):

    NAME                    the entry's name (its key in ENTRIES, its fixtures folder, its report section)
    REFERENCE               "diffusers:DDIMScheduler": the reference class (its class name selects the entry for a PORT)
    DEFAULT_PORT            "mlx_ddim:DDIMScheduler": the project's own port, checked when PORT is unset
    POLICY                  the tolerance policy {(quantity, dtype): Tolerance} (parity.tolerances)
    UPSTREAM                the reference file it was validated against (parity.upstream.Upstream)
    FIXTURES, fixtures      the fixtures folder (fixtures/<name>/) and the module saying what a fixture holds
    ENUMS, coverage(case)   the enum-like values its properties must exercise, and which ones a case exercises
    properties()            {property name: (strategy, share)}: the Hypothesis properties (each drawn case is run by
                            `parity.running.run`), each share of examples per 100 of the profile's max_examples
    runners()               {check name: runner(case, replay)}: how each kind of replayable case is run and judged
    installed_reference()   (path of the installed reference source file, diffusers version), for the drift guard
    surface_sides(), listed_differences()   the API-surface check's two sides and the port's deliberate differences
    conformance_features()  the conformance report's behaviour rows
    mutant_catalog()        the module holding CATALOG, EQUIVALENT, GENERIC_SOURCES, PORT_PACKAGE and TEST_ORDER

Importing an entry never imports torch: what needs the reference is behind its functions, so the fixture replay
stays torch-free.

Which entries are under test (`selected()`): the one PARITY_ENTRY names; else, when PARITY_PORT (make's PORT) names a
class, the entry whose reference class has that class's name; else every entry, each against its own DEFAULT_PORT.
Which entry a check verifies (`current()`): the one made active by `using(name)` (the gate runs each test inside its
entry: see parity/tests/conftest.py); else the first entry under test.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import ModuleType

__all__ = ["ENTRIES", "current", "load", "selected", "using"]

_USING: ContextVar[str | None] = ContextVar("parity_entry", default=None)

ENTRIES = {"ddim": "parity.entries.ddim", "ddpm": "parity.entries.ddpm"}


def load(name: str) -> ModuleType:
    if name not in ENTRIES:
        raise ValueError(f"no scheduler entry {name!r}; the entries are {sorted(ENTRIES)}")
    return importlib.import_module(ENTRIES[name])


@contextmanager
def using(name: str) -> Iterator[ModuleType]:
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


def current() -> ModuleType:
    """The entry this check verifies."""
    return load(_USING.get() or selected()[0])
