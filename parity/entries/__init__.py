"""One entry per scheduler: everything the engine (the modules of parity/) needs to verify a port of it.

An entry is a package `parity/entries/<name>/` whose `__init__` declares, in one place: the reference class, the
default port, the tolerance policy, the upstream file it was validated against, the fixtures folder and canonical
cases, the replay runners of its cases (and so its float64 oracle and scale rules), its conformance features, its
API-surface sides and deliberate differences, and its mutant catalog. Importing an entry never imports torch:
what needs the reference is behind its functions, so the fixture replay stays torch-free.

Which entry a check verifies: the one made active by `using(name)` (a gate that covers several entries runs each
inside it); else the one PARITY_ENTRY names; else the one whose reference class has the name of the port under
test's class; else the first entry.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import ModuleType

__all__ = ["ENTRIES", "current", "load", "using"]

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


def current() -> ModuleType:
    """The entry this check verifies."""
    if name := _USING.get() or os.environ.get("PARITY_ENTRY"):
        return load(name)
    port = os.environ.get("PARITY_PORT", "")
    class_name = port.partition(":")[2]
    for name in ENTRIES:
        entry = load(name)
        if entry.REFERENCE.partition(":")[2] == class_name:
            return entry
    return load(next(iter(ENTRIES)))
