"""The recorded DDPM fixtures: every one replays against the port under test, without torch."""

from __future__ import annotations

import os
import subprocess
import sys

from parity import fixtures
from parity.entries.ddpm import FIXTURES
from parity.entries.ddpm import fixtures as canonical

BLOCK_REFERENCE = """
import importlib.abc, sys
class Blocked(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {"torch", "diffusers", "hypothesis"}:
            raise ImportError(f"{name} is not installed for this check")
sys.meta_path.insert(0, Blocked())
from parity.fixtures import main
sys.exit(main(sys.argv[1:]))
"""


def test_every_fixture_replays_without_torch():
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_REFERENCE, "check"],
        cwd=fixtures.ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PARITY_ENTRY": "ddpm"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 failed" in done.stdout


def test_the_canonical_fixtures_are_all_recorded():
    recorded = {p.name for p in FIXTURES.iterdir() if p.is_dir()} if FIXTURES.is_dir() else set()
    assert set(canonical.CANONICAL) <= recorded, f"not recorded: {set(canonical.CANONICAL) - recorded} (make fixtures)"
