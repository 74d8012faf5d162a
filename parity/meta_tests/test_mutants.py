"""The mutant catalog stays applicable: each mutant's text occurs exactly once in its function of the current
port, and a mutated file still parses (so `make mutants` measures the gate, not a stale catalog); a stale anchor,
catalog or EQUIVALENT key, fails loudly."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys

import pytest

from parity.entries import ENTRIES, load, using
from parity.entries.ddim.mutants import CATALOG, EQUIVALENT
from parity.mutants import (
    ROOT,
    GenericMutant,
    StaleAnchor,
    check_equivalent,
    copy_project,
    generic_mutants,
    mutated,
    verdict,
)


@pytest.mark.parametrize("mutant", CATALOG, ids=lambda m: m.name)
def test_mutant_applies(mutant):
    ast.parse(mutated(mutant))


def test_names_are_unique():
    names = [m.name for m in CATALOG]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", ENTRIES)
def test_every_entrys_catalog_applies(name):
    """Each entry's mutants apply and still parse (a mutant that leaves an empty block would be "killed" by the
    import error of every test, not by a check), under unique names."""
    with using(name):
        catalog = load(name).mutant_catalog().CATALOG
        for mutant in catalog:
            ast.parse(mutated(mutant))
    assert len({m.name for m in catalog}) == len(catalog)


def test_generic_sample_is_reproducible_and_applies():
    first, again = generic_mutants(30, seed=0), generic_mutants(30, seed=0)
    assert first == again and len(first) == 30
    for mutant in first:
        ast.parse(mutated(mutant))


def test_equivalent_keys_name_current_sites():
    check_equivalent()


def _variance_mutant():
    return next(m for m in CATALOG if m.name == "variance-ratio-inverted")


def test_stale_catalog_anchor_fails_loudly():
    mutant = _variance_mutant()
    with pytest.raises(StaleAnchor, match="0 definitions of _no_such_function"):
        mutated(dataclasses.replace(mutant, function="_no_such_function"))
    # the text exists in the file, but not in the function the mutant names
    with pytest.raises(StaleAnchor, match="found it 0 times"):
        mutated(dataclasses.replace(mutant, function="DDIMScheduler.step"))


def test_stale_generic_anchor_fails_loudly():
    site = generic_mutants(1, seed=0)[0]
    with pytest.raises(StaleAnchor, match="no such token"):
        mutated(dataclasses.replace(site, occurrence=site.occurrence + 1000))
    with pytest.raises(StaleAnchor, match="name no generic site"):
        check_equivalent(
            {**EQUIVALENT, "scheduling_ddim.py:718:105 0 -> 1": ("", "a key of the old line:column format")}
        )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # a refactor renames a function that catalog mutants name
        (
            "def _get_variance(",
            "def _get_variance_of_formula_16(",
            "0 definitions of DDIMScheduler._get_variance in mlx_ddim/scheduling_ddim.py",
        ),
        # a `>=` added before the one an EQUIVALENT key names: that key now names another token
        (
            "        self._timesteps_in_range = bool(",
            "        assert not size >= 1e9\n        self._timesteps_in_range = bool(",
            "DDIMScheduler._set_timesteps_host >=#0",
        ),
    ],
    ids=["catalog", "equivalent"],
)
def test_moved_code_makes_make_mutants_fail(tmp_path, old, new, message):
    """`make mutants` (python -m parity.mutants) on a port whose code moved: it exits non-zero and names the stale
    anchor, before running any mutant."""
    copy_project(tmp_path)
    port = tmp_path / "mlx_ddim" / "scheduling_ddim.py"
    source = port.read_text(encoding="utf-8")
    assert old in source
    port.write_text(source.replace(old, new), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "parity.mutants", "--generic", "0"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,  # a stale anchor stops it at once; a missed one would run the whole catalog
    )
    assert done.returncode != 0
    assert "STALE ANCHOR" in done.stderr and message in done.stderr, done.stderr


def test_generic_mutant_names_its_scope():
    site = GenericMutant("mlx_ddim/quantile.py", "_fma_float32", ">", 0, ">=")
    assert site.name == "quantile.py:_fma_float32 >#0 -> >="
    assert "(error >= 0)" in mutated(site)


@pytest.mark.parametrize(
    ("returncode", "stdout", "expected"),
    [
        (0, "800 passed", "survived"),
        (1, "FAILED parity/tests/test_step.py::test_x - ParityError\nPARITY FAILURE in prev_sample: ...", "killed"),
        (2, "ERROR parity/tests/test_step.py - ImportError\nInterrupted: 1 error during collection", "error"),
        (4, "ERROR: file or directory not found: parity/test_step.py", "error"),
        (5, "no tests ran", "error"),
    ],
)
def test_only_a_failed_check_kills(returncode, stdout, expected):
    """A gate that could not collect or find its tests (a moved test path, say) kills nothing."""
    assert verdict(returncode, stdout, "")[0] == expected


def test_a_missing_test_file_is_a_usage_error_for_pytest():
    """The exit status `verdict` relies on for a test path that does not exist (pytest's documented 4)."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "parity/tests/test_no_such_file.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 4, done.stdout + done.stderr
