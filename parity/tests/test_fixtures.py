"""The recorded fixtures of every entry: each replays against the port under test, without torch (the storage itself
is tested in parity/meta_tests/test_fixture_storage.py)."""

from __future__ import annotations

import subprocess
import sys

from parity import fixtures

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


def run_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", BLOCK_REFERENCE, "check", *args], cwd=fixtures.ROOT, capture_output=True, text=True
    )


def test_every_fixture_replays_without_torch(entry):
    done = run_check("--entry", entry.NAME)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(entry.fixtures.CANONICAL)} passed, 0 failed" in done.stdout or " 0 failed" in done.stdout


def test_the_canonical_fixtures_are_all_recorded(entry):
    recorded = {p.name for p in entry.FIXTURES.iterdir() if p.is_dir()}
    assert set(entry.fixtures.CANONICAL) <= recorded, (
        f"not recorded: {set(entry.fixtures.CANONICAL) - recorded} (make fixtures)"
    )
