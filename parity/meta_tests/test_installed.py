"""The package as another project's CI uses it: the wheel built, installed outside the checkout, and
`python -m parity.conformance` run from another folder gives the clone's rows and verdicts; a data file missing
from the installation is a failing row, never a shorter report."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from parity import entries
from parity.mutants import ROOT

pytestmark = pytest.mark.own_port  # this project's package


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PARITY_")}
    environment.pop("PYTHONPATH", None)
    return subprocess.run(command, cwd=cwd, env={**environment, **env}, capture_output=True, text=True, timeout=900)


def _verdicts(report: Path) -> dict[str, tuple[str, str]]:
    sections = json.loads((report / "conformance.json").read_text())
    return {row["id"]: (row["status"], row["severity"]) for section in sections.values() for row in section["rows"]}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built from a copy of the checkout, installed (without dependencies: the gate's venv has them)
    into a folder of its own."""
    folder = tmp_path_factory.mktemp("installed")
    project = folder / "project"
    for name in ("mlx_ddim", "parity", "fixtures"):
        shutil.copytree(ROOT / name, project / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                  str(folder / "dist"), str(project)], folder)  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (folder / "dist").glob("mlx_ddim-*.whl")
    site = folder / "site"
    done = _run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)], folder)
    assert done.returncode == 0, done.stderr
    return site


def test_the_installed_package_gives_the_clones_rows(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([sys.executable, "-c", "import parity; print(parity.__file__)"], elsewhere, PYTHONPATH=str(installed))
    assert where.stdout.strip().startswith(str(installed)), where  # not the checkout's
    from_wheel = _run([sys.executable, "-m", "parity.conformance", "--reports", str(tmp_path / "wheel")], elsewhere,
                      PYTHONPATH=str(installed))  # fmt: skip
    from_clone = _run([sys.executable, "-m", "parity.conformance", "--reports", str(tmp_path / "clone")], ROOT)
    assert from_clone.returncode == from_wheel.returncode == 0, from_wheel.stdout[-3000:] + from_wheel.stderr[-3000:]
    wheel, clone = _verdicts(tmp_path / "wheel"), _verdicts(tmp_path / "clone")
    assert wheel == clone
    canonical = sum(len(entries.load(name).fixtures.CANONICAL) for name in entries.ENTRIES)
    assert sum(row_id.split("/")[1] == "fixture" for row_id in wheel) >= canonical  # every canonical fixture a row


def test_a_data_file_missing_from_the_installation_is_a_failing_row(installed, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(installed, site)
    shutil.rmtree(site / "parity" / "recorded" / "ddim" / "sd15")
    ran = _run([sys.executable, "-m", "parity.conformance", "--entry", "ddim", "--reports", str(tmp_path / "out")],
               tmp_path, PYTHONPATH=str(site))  # fmt: skip
    assert ran.returncode == 1
    verdicts = _verdicts(tmp_path / "out")
    assert verdicts["ddim/fixture/sd15"] == ("fail", "missing data")
    assert sum(status != "pass" for status, _ in verdicts.values()) == 1
