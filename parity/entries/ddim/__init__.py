"""diffusers' DDIMScheduler, as the parity engine verifies it: the declarations that name it (the interface every
entry declares is parity/entries/__init__.py's).

The modules beside this one hold the parts: `reference` (the torch side, the only module that imports torch or
diffusers), `cases` (named configs and a pair of schedulers), `checks` (the replayable case runners), `judge` (scale
rules and the step's judgement, torch-free), `oracle` (float64 formulas), `tolerances` (the policy), `strategies`
(Hypothesis), `enums` (what the properties must cover), `features` (the conformance rows), `fixtures` (what a
recorded fixture holds and how it is judged), `shipped` (configs real models ship), `mutants` (the catalog) and
`upstream/` (the validated reference file).
"""

from __future__ import annotations

from pathlib import Path

from parity.upstream import Upstream

NAME = "ddim"
REFERENCE = "diffusers:DDIMScheduler"
DEFAULT_PORT = "mlx_ddim:DDIMScheduler"
UPSTREAM = Upstream(
    "0.42.1", "a61e4d99402d1186d2aec1bec8b0f336108b06d72c07e7eb2eb837a44a9b196c", Path(__file__).parent / "upstream"
)
