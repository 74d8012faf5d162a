"""Properties of the port that need no reference: import hygiene."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.own_port  # this project's port itself (skipped when PORT names another)


def test_import_mlx_ddim_never_imports_torch():
    code = "import sys, mlx_ddim; s = mlx_ddim.DDIMScheduler(); s.set_timesteps(5); assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
