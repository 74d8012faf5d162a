"""API-surface parity, for every entry: diffusers' whole public surface, found by introspection, is the port's, or
the difference is listed with its reason (this project's: `mlx_ddim/differences.py`, which README prints). The
compared table of each entry is recorded for the summary (reports/surface.md)."""

from __future__ import annotations

import functools
import importlib
import inspect
import logging
import re
from pathlib import Path

import pytest

from parity import port, surface
from parity.compare import assert_same
from parity.entries import ENTRIES, load
from parity.entries.common.checks import normalized
from parity.entries.common.torch_arrays import compatible_class, compatible_names
from parity.record import active

README = Path(__file__).resolve().parents[2] / "README.md"
UNKNOWN_KEY_WARNING = "are not expected and will be ignored"


def reference_class(name: str) -> type:
    """The entry's diffusers class (its REFERENCE, `module:Class`)."""
    module, _, cls = load(name).REFERENCE.partition(":")
    return getattr(importlib.import_module(module), cls)


# By name: importing the 15 classes (scipy and torchsde behind two of them) at collection cost each pytest-xdist
# worker 2.3 s; a test imports its own.
COMPATIBLES = [(name, compatible) for name in ENTRIES for compatible in compatible_names(reference_class(name))]


@functools.cache
def saved_by(compatible: str, folder: Path) -> Path:
    """A folder holding what diffusers' `compatible` scheduler saves by default (saved once per session: KDPM2's
    constructor alone takes 0.4 s)."""
    compatible_class(compatible)().save_pretrained(folder / compatible)
    return folder / compatible


def test_every_difference_is_listed_and_every_listed_one_is_real(entry):
    sides = entry.surface_sides()
    listed = surface.listed_for(sides[0], entry.listed_differences())
    comparison = surface.surface_gaps(*sides, lambda cls: cls())
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


@pytest.mark.own_port
def test_compatible_keys_match_every_compatible_scheduler():
    """The port's record of diffusers' compatible-scheduler keys (dropped silently on load) is current, computed
    from every compatible class of every entry that lists compatible schedulers, those behind optional packages
    included (a class listing none, as FlowMatchEulerDiscreteScheduler, drops no other class's keys)."""
    from mlx_ddim.configuration import COMPATIBLE_SCHEDULER_KEYS

    keys = set()
    for name, compatible in COMPATIBLES:
        if reference_class(name)._compatibles:
            keys |= set(inspect.signature(compatible_class(compatible).__init__).parameters)
    keys -= {"self"}
    assert_same("compatible scheduler keys", sorted(keys), sorted(COMPATIBLE_SCHEDULER_KEYS))


# Some compatible schedulers' constructors (LMS, KDPM2) run numpy functions on tensors: tens of thousands of numpy 2
# DeprecationWarnings from diffusers' own code, none about what is checked here
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(
    "entry, compatible", [pytest.param(n, c, id=f"{n}-{c}") for n, c in COMPATIBLES], indirect=["entry"]
)
def test_a_config_saved_by_each_compatible_scheduler_loads_both_ways(
    entry, compatible, tmp_path, tmp_path_factory, caplog
):
    reference = reference_class(entry.NAME)
    torch_dir, port_dir = saved_by(compatible, tmp_path_factory.getbasetemp()), tmp_path / "port"
    compatible = compatible_class(compatible)
    with caplog.at_level(logging.WARNING):
        expected = reference.from_pretrained(torch_dir)
        got = port.scheduler_class().from_pretrained(torch_dir)
    assert_same("warnings loading it", [], [r.getMessage() for r in caplog.records if UNKNOWN_KEY_WARNING in r.message])
    assert_same("config loaded from it", normalized(expected.config), normalized(got.config))

    # ... and what the port saves loads into diffusers as what diffusers' own scheduler saves
    got.save_pretrained(port_dir)
    expected.save_pretrained(torch_own_dir := tmp_path / "diffusers-own")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        from_port = [compatible.from_pretrained(port_dir), reference.from_pretrained(port_dir)]
    assert_same("warnings loading the port's folder", [], [r.getMessage() for r in caplog.records])
    # The port saved diffusers' own file, byte for byte: diffusers loads it as it loads its own (loading that again
    # cost a KDPM2 row 0.4 s per constructor). Otherwise both folders load as the same configs.
    port_text, own_text = ((folder / "scheduler_config.json").read_bytes() for folder in (port_dir, torch_own_dir))
    if port_text == own_text:
        return
    from_diffusers = [compatible.from_pretrained(torch_own_dir), reference.from_pretrained(torch_own_dir)]
    for ours, theirs in zip(from_port, from_diffusers, strict=True):
        assert_same(f"{type(ours).__name__} from the port's folder", normalized(theirs.config), normalized(ours.config))
