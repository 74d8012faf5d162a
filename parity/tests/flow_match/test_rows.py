"""The flow-matching gate's fixed cases: the cases of every conformance row (parity/entries/flow_match/features.py),
run as the report runs them; the properties, fixtures, surface and drift guard are the generic tests' (parity/tests/)."""

from __future__ import annotations

import pytest

from parity.entries import load
from parity.running import run

ROWS = [(f"{row.family}: {row.name} #{i}", case) for row in load("flow_match").conformance_features()
        for i, case in enumerate(row.cases)]  # fmt: skip


@pytest.mark.parametrize("case", [case for _, case in ROWS], ids=[name for name, _ in ROWS])
def test_row(case):
    run(case)
