"""diffusers' DDIMScheduler, as the parity engine verifies it: everything DDIM-specific, declared in one place.

The modules beside this one hold the parts: `reference` (the torch side, the only module that imports torch or
diffusers), `cases` (named configs and a pair of schedulers), `checks` (the replayable case runners), `judge` (scale
rules and the step's judgement, torch-free), `oracle` (float64 formulas), `tolerances` (the policy), `strategies`
(Hypothesis), `enums` (what the properties must cover), `features` (the conformance rows), `fixtures` (what a
recorded fixture holds and how it is judged), `shipped` (configs real models ship) and `upstream/` (the validated
reference file). The interface every entry declares is listed in parity/entries/__init__.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parity.upstream import Upstream

from . import fixtures
from .enums import ENUMS, coverage
from .tolerances import POLICY

__all__ = [
    "DEFAULT_PORT",
    "ENUMS",
    "FIXTURES",
    "NAME",
    "POLICY",
    "REFERENCE",
    "UPSTREAM",
    "conformance_features",
    "coverage",
    "fixtures",
    "installed_reference",
    "listed_differences",
    "mutant_catalog",
    "properties",
    "runners",
    "surface_sides",
]

NAME = "ddim"
REFERENCE = "diffusers:DDIMScheduler"
DEFAULT_PORT = "mlx_ddim:DDIMScheduler"
UPSTREAM = Upstream(
    version="0.42.1",
    sha256="a61e4d99402d1186d2aec1bec8b0f336108b06d72c07e7eb2eb837a44a9b196c",
    copy=Path(__file__).parent / "upstream" / "scheduling_ddim.py.txt",
)
FIXTURES = Path(__file__).resolve().parents[2] / "recorded" / NAME  # fixtures/<name>, shipped as package data


def runners() -> dict[str, Any]:
    """check name -> runner(case, replay): how each kind of replayable case is run and judged."""
    from . import checks

    return {
        "step": checks.run_step_case,
        "schedule": checks.run_schedule_case,
        "noise": checks.run_noise_case,
        "error": checks.run_error_case,
        "config": checks.run_config_case,
        "output": checks.run_output_case,
        "fixture": checks.run_fixture_case,
    }


def properties() -> dict[str, tuple[Any, int]]:
    """The Hypothesis properties (parity/tests/test_properties.py): name -> (strategy, share of the examples per 100 of
    the profile's max_examples). ci: 1300 + 260 + 260 + 180 = 2,000 examples (2,300 before DDPM joined the gate: its
    60 s budget holds both entries, and issue 13 asks for at least 2,000 of DDIM's)."""
    from . import strategies

    return {
        "step": (strategies.step_cases(), 1300),
        "schedule": (strategies.schedule_cases(), 260),
        "noise": (strategies.noise_cases(), 260),
        "error": (strategies.invalid_cases(), 180),
    }


def installed_reference() -> tuple[str, str]:
    """The installed reference source file and diffusers' version, for the drift guard (imports diffusers)."""
    import diffusers

    from .reference import reference_module

    return reference_module.__file__, diffusers.__version__


def mutant_catalog():
    """The mutant catalog module (CATALOG, EQUIVALENT, GENERIC_SOURCES, PORT_PACKAGE, TEST_ORDER)."""
    from . import mutants

    return mutants


def conformance_features() -> list:
    """The conformance report's behaviour rows."""
    from . import features

    return features.features()


def surface_sides():
    from .cases import surface_sides as sides

    return sides()


def listed_differences() -> dict[str, str]:
    from .cases import listed_differences as listed

    return listed()
