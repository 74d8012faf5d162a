"""The DDPM gate: every test here runs with the DDPM entry active (parity.entries.using), so the port, the policy
and the fixtures it resolves are DDPM's."""

from __future__ import annotations

import pytest

from parity.entries import using


@pytest.fixture(autouse=True)
def ddpm_entry():
    with using("ddpm") as entry:
        yield entry
