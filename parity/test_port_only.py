"""Properties of the port that need no reference: import hygiene and laziness."""

from __future__ import annotations

import subprocess
import sys


def test_import_mlx_ddim_never_imports_torch():
    code = "import sys, mlx_ddim; s = mlx_ddim.DDIMScheduler(); s.set_timesteps(5); assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
