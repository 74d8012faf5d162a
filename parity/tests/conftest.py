"""Fixtures shared by the parity tests."""

from __future__ import annotations

import pytest

from parity import port


def pytest_collection_modifyitems(config, items):
    """Tests marked `own_port` check this project's port itself (its README table, its internals, its packaging),
    not the reference's API: they are skipped when PORT names another class."""
    if port.is_own_port():
        return
    skip = pytest.mark.skip(reason=f"checks this project's own port, and PORT is {port.spec()}")
    for item in items:
        if item.get_closest_marker("own_port"):
            item.add_marker(skip)


@pytest.fixture
def replay(request) -> str:
    """The one-line command that re-runs exactly this test, for failure reports."""
    return f"python -m pytest -q '{request.node.nodeid}'"
