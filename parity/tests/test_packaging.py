"""Packaging: installing the port never adds an MLX backend, and a missing backend is a clear error.

What pip resolves for each install line is shown by `python -m parity.tools.install_lines` (it needs the registry, so it
is not part of the gate) and quoted in README "Installing"; this checks the declarations that produce it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.own_port  # this project's port itself (skipped when PORT names another)

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_no_dependency_names_a_backend():
    mlx = [d for d in PROJECT["dependencies"] if re.match(r"mlx\b", d)]
    assert mlx == ["mlx>=0.32"], f"the port must depend on plain mlx (no backend extra, no platform split): {mlx}"


def test_each_backend_is_an_extra():
    extras = PROJECT["optional-dependencies"]
    for backend in ("cpu", "cuda12", "cuda13"):
        assert extras[backend] == [f"mlx[{backend}]>=0.32"]


def test_mlx_without_a_backend_is_a_clear_error(tmp_path):
    """A stand-in `mlx` whose core fails to load its library, as plain `mlx` does on Linux."""
    (tmp_path / "mlx").mkdir()
    (tmp_path / "mlx" / "__init__.py").write_text("")
    (tmp_path / "mlx" / "core.py").write_text(
        "raise ImportError('libmlx.so: cannot open shared object file: No such file or directory')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import mlx_ddim"],
        env={"PYTHONPATH": f"{tmp_path}:{ROOT}"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "MLX is installed without a backend" in result.stderr
    assert "mlx-ddim[cpu]" in result.stderr
