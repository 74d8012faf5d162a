"""API-surface parity, for every entry: diffusers' whole public surface, found by introspection, is the port's, or
the difference is listed with its reason (this project's: `mlx_ddim/differences.py`, which README prints). The
compared table of each entry is recorded for the summary (reports/surface.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parity import surface
from parity.record import active

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_difference_is_listed_and_every_listed_one_is_real(entry):
    listed = entry.listed_differences()
    comparison = surface.surface_gaps(*entry.surface_sides(), lambda cls: cls())
    active().surfaces[entry.NAME] = surface.markdown(comparison.gaps, listed, comparison.counts)
    surface.assert_listed(comparison.gaps, listed)


@pytest.mark.own_port
def test_readme_prints_the_table_of_differences():
    from mlx_ddim.differences import markdown

    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- differences: .*? -->\n(.*?)<!-- /differences -->", text, re.S)
    assert found, "README.md has no generated differences block"
    assert found.group(1) == markdown(), (
        "README's differences table is not mlx_ddim/differences.py's: paste `python -m mlx_ddim.differences`"
    )
