"""Fixtures shared by the parity tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def replay(request) -> str:
    """The one-line command that re-runs exactly this test, for failure reports."""
    return f"python -m pytest -q '{request.node.nodeid}'"
