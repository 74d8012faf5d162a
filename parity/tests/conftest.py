"""How the gate runs each test with its scheduler entry (parity.entries) active.

- A test under `parity/tests/<name>/`, where <name> is an entry of parity.entries.ENTRIES (`parity/tests/ddim/`,
  `parity/tests/ddpm/`), runs with that entry active (`parity.entries.using(name)`): `current()`, the port under test
  (`parity.port`), the tolerance policy and `parity.running.run` are that entry's. Its module is also imported
  (collected) with the entry active, so module-level code such as `port.scheduler_class()` or a parametrize list
  computed at import sees its own entry. Nothing to write in the test: the folder is the declaration.
- A test elsewhere in `parity/tests/` that takes the fixture `entry` is generic: it runs once per entry, with that
  entry active, and reads what it needs from the entry module the fixture gives (its properties, fixtures, upstream
  file, surface sides: the interface documented in parity/entries/__init__.py).
- Under pytest-xdist (`make parity`: 2 workers, `--dist loadgroup`), each entry's tests of the files listed in
  GROUPED_PER_ENTRY (the root conftest.py: the properties and their coverage ledger) run on one worker, in order, so
  the ledger counts what its own worker's properties recorded; every other test is scheduled on its own.
- Only the entries under test run (parity.entries.selected: every entry when PORT is unset; with PORT, the entry whose
  reference class has the port class's name, or the one PARITY_ENTRY names); the other entries' tests are skipped,
  with the reason.
- Tests marked `own_port` check this project's port itself (its README table, its internals, its packaging), not
  the reference's API: they are skipped when the port under test is not the entry's own.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from pathlib import Path

import pytest

from parity import entries, port

TESTS = Path(__file__).resolve().parent


def entry_of_path(path: Path) -> str | None:
    """The entry whose folder `path` is in (parity/tests/<entry>/...), or None."""
    try:
        parts = path.resolve().relative_to(TESTS).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 and parts[0] in entries.ENTRIES else None


def entry_of(item: pytest.Item) -> str | None:
    """The entry a test verifies: its folder's, or its `entry` parameter's (a generic test); None for neither."""
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "entry" in callspec.params:
        return callspec.params["entry"]
    return entry_of_path(item.path)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """Import (collect) a module of parity/tests/<entry>/ with its entry active."""
    name = entry_of_path(collector.path) if isinstance(collector, pytest.Module) else None
    with entries.using(name) if name else nullcontext():
        return (yield)


def pytest_generate_tests(metafunc):
    """A generic test (one taking `entry`) runs once per entry, with the entry module as its argument."""
    if "entry" in metafunc.fixturenames and "entry" not in _parametrized(metafunc):
        metafunc.parametrize("entry", list(entries.ENTRIES), indirect=True)


def _parametrized(metafunc) -> set[str]:
    """The argument names the test's own parametrize marks cover (a test may pair `entry` with more, itself)."""
    names: set[str] = set()
    for mark in metafunc.definition.iter_markers("parametrize"):
        given = mark.args[0]
        names.update(n.strip() for n in given.split(",")) if isinstance(given, str) else names.update(given)
    return names


@pytest.fixture
def entry(request):
    """The entry module a generic test checks (active while it runs: see run_with_its_entry)."""
    return entries.load(request.param)


@pytest.fixture(autouse=True)
def run_with_its_entry(request):
    """Every test of an entry runs with the entry active."""
    name = entry_of(request.node)
    with entries.using(name) if name else nullcontext():
        yield


def pytest_collection_modifyitems(config, items):
    under_test = entries.selected()
    for item in items:
        name = entry_of(item)
        if name is not None and name not in under_test:
            item.add_marker(pytest.mark.skip(reason=_not_under_test(name, under_test)))
            continue
        with entries.using(name) if name else nullcontext():
            if item.get_closest_marker("own_port") and not port.is_own_port():
                item.add_marker(pytest.mark.skip(reason=f"checks this project's own port, and PORT is {port.spec()}"))


def _not_under_test(name: str, under_test: list[str]) -> str:
    chosen = (
        f"PARITY_ENTRY={os.environ['PARITY_ENTRY']}"
        if os.environ.get("PARITY_ENTRY")
        else (f"PORT={os.environ.get('PARITY_PORT')}")
    )
    return f"entry {name} is not under test: {chosen} selects {', '.join(under_test)}"


@pytest.fixture
def replay(request) -> str:
    """The one-line command that re-runs exactly this test, for failure reports."""
    return f"python -m pytest -q '{request.node.nodeid}'"
