"""diffusers' DDPMScheduler, as the parity engine verifies it: the declarations that name it (the interface every
entry declares is parity/entries/__init__.py's).

The modules beside this one hold the parts: `reference` (the torch side, the only module of this entry that imports
torch or diffusers; it also draws the reference's step noise), `cases` (named configs, a pair of schedulers, a
step's inputs), `checks` (the replayable case runners), `judge` (scale rules and the judgement, torch-free),
`oracle` (DDPM's equations in float64), `tolerances` (the policy), `strategies` (Hypothesis), `enums`, `features`
(the conformance rows), `fixtures` (what a recorded fixture holds and how it is judged), `shipped` (configs real
models ship), `mutants` (the catalog) and `upstream/` (the validated reference file). What DDPM shares with DDIM, as
diffusers' "Copied from" has it, is in parity.entries.common.
"""

from __future__ import annotations

from pathlib import Path

from parity.upstream import Upstream

NAME = "ddpm"
REFERENCE = "diffusers:DDPMScheduler"
DEFAULT_PORT = "mlx_ddim:DDPMScheduler"
UPSTREAM = Upstream(
    "0.42.1", "3822205d8e95938da6af85dfb9e0455c15bc37983d2d5842ee586c29bc75b74a", Path(__file__).parent / "upstream"
)
