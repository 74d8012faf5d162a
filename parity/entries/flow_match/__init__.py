"""diffusers' FlowMatchEulerDiscreteScheduler (FLUX, SD3, Z-Image, LTX-Video, Qwen-Image...), as the parity engine
verifies it: the declarations that name it (the interface every entry declares is parity/entries/__init__.py's).

The modules beside this one hold the parts: `reference` (the torch side), `checks` (the case runners), `judge`
(scales and judgements, torch-free), `oracle` (the papers' equations in float64), `tolerances`, `enums`,
`strategies`, `features`, `fixtures`, `shipped` (real models' configs, each with its source), `pipelines` (how
diffusers' pipelines call the scheduler), `mutants` and `upstream/`.
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
