"""diffusers' DDPMScheduler, as the parity engine verifies it: everything DDPM-specific, declared in one place.

The modules beside this one hold the parts: `reference` (the torch side, the only module of this entry that imports
torch or diffusers; it also draws the reference's step noise), `cases` (named configs, a pair of schedulers, a
step's inputs), `checks` (the replayable case runners), `judge` (scale rules and the judgement, torch-free),
`oracle` (DDPM's equations in float64), `tolerances` (the policy), `strategies` (Hypothesis), `features` (the
conformance rows), `fixtures` (what a recorded fixture holds and how it is judged), `shipped` (configs real models
ship), `mutants` (the catalog) and `upstream/` (the validated reference file). What DDPM shares with DDIM, as
diffusers' "Copied from" has it, is in parity.entries.common.
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

NAME = "ddpm"
REFERENCE = "diffusers:DDPMScheduler"
DEFAULT_PORT = "mlx_ddim:DDPMScheduler"
UPSTREAM = Upstream(
    version="0.42.1",
    sha256="3822205d8e95938da6af85dfb9e0455c15bc37983d2d5842ee586c29bc75b74a",
    copy=Path(__file__).parent / "upstream" / "scheduling_ddpm.py.txt",
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
        "generator": checks.run_generator_case,
        "variance_noise": checks.run_variance_noise_case,
        "fixture": checks.run_fixture_case,
    }


def properties() -> dict[str, tuple[Any, int]]:
    """The Hypothesis properties (parity/tests/test_properties.py): name -> (strategy, share of the examples per 100 of
    the profile's max_examples). ci: 580 + 120 + 120 + 13 * 12 + 60 = 1,036 examples. Error parity is one property
    per kind of invalid input: drawn from all 13 at once, Hypothesis left two kinds out of 200 cases."""
    from . import strategies

    errors = {f"error-{kind}": (strategies.invalid_cases(kind), 12) for kind in ENUMS["invalid"]}
    return {
        "step": (strategies.step_cases(), 580),
        "schedule": (strategies.schedule_cases(), 120),
        "noise": (strategies.noise_cases(), 120),
        **errors,
        "generator": (strategies.generator_cases(), 60),
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
