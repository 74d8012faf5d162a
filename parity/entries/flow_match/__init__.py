"""diffusers' FlowMatchEulerDiscreteScheduler (FLUX, SD3, Z-Image, LTX-Video, Qwen-Image...), as the parity engine
verifies it: the declarations that name it. Its modules are every entry's (parity/entries/__init__.py), plus
`pipelines` (how diffusers' pipelines call the scheduler) and `shipped` (real models' configs, each with its source).
"""

from __future__ import annotations

from pathlib import Path

from parity.upstream import Upstream

NAME = "flow_match"
REFERENCE = "diffusers:FlowMatchEulerDiscreteScheduler"
DEFAULT_PORT = "mlx_ddim:FlowMatchEulerDiscreteScheduler"
UPSTREAM = Upstream(
    "0.42.1", "5448bbfe15324ea8034470e742c7782b1de3864c0836d98ef3dade65e30df6a7", Path(__file__).parent / "upstream"
)
