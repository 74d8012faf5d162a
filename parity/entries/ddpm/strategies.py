"""Hypothesis strategies over every DDPMScheduler parameter: configs (all 15 constructor parameters, the rare ones
included), step cases (after set_timesteps(n), set_timesteps(timesteps=[...]) or neither; a doubled-channel model
output for the learned variance types), schedule cases, add_noise/get_velocity cases, and one invalid input for
each validation error of the reference.

The strategies are pure: the entry's `coverage(case)` (parity.entries.Entry, with .enums) says which enum-like values a drawn case exercises, so the suite can count
them over the cases it ran (the coverage ledger) and fail when one value was never exercised.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st

from parity.entries.common import strategies as common

from .enums import ENUMS, LEARNED

__all__ = [
    "ENUMS",
    "configs",
    "custom_timesteps",
    "generator_cases",
    "invalid_cases",
    "noise_cases",
    "properties",
    "schedule_cases",
    "step_cases",
]


_ENUM = {name: st.sampled_from(values) for name, values in ENUMS.items()}  # built once (see common.BOOLEAN)
_CLIP_RANGE = st.sampled_from([1.0, 0.5, 1.5, 4.0])


@st.composite
def configs(draw, *, min_train: int = 2, max_train: int = 2000) -> dict[str, Any]:
    """A DDPMScheduler config: any schedule, variance type, spacing, prediction type, clipping, thresholding,
    offset and rescale (the 15 constructor parameters)."""
    num_train_timesteps = draw(st.one_of(st.integers(min_train, 64), st.integers(min_train, max_train)))
    config: dict[str, Any] = {"num_train_timesteps": num_train_timesteps}
    common.draw_trained_betas(draw, config)
    for name in ("beta_schedule", "variance_type", "timestep_spacing", "prediction_type"):
        config[name] = draw(_ENUM[name])
    common.draw_beta_range(draw, config)  # not for squaredcos_cap_v2 or laplace
    config["clip_sample"] = draw(common.BOOLEAN)
    config["clip_sample_range"] = draw(_CLIP_RANGE)
    common.draw_offset_thresholding_rescale(draw, config)
    return config


def custom_timesteps(n: int, max_size: int = 30) -> st.SearchStrategy:
    """Strictly descending timesteps in [0, n), as set_timesteps(timesteps=...) takes them."""
    unique = st.lists(st.integers(0, n - 1), min_size=1, max_size=min(n, max_size), unique=True)
    return unique.map(lambda values: sorted(values, reverse=True))


@st.composite
def _schedule(draw, n: int) -> dict[str, Any]:
    """How the case sets its timesteps: a step count, custom timesteps, or neither (the whole training chain)."""
    kind = draw(_ENUM["schedule_kind"])
    steps = draw(st.one_of(st.integers(1, min(n, 60)), st.integers(1, n))) if kind == "num_inference_steps" else None
    custom = draw(custom_timesteps(n)) if kind == "custom_timesteps" else None
    return {"schedule_kind": kind, "num_inference_steps": steps, "custom_timesteps": custom}


@st.composite
def step_cases(draw, check: str = "step") -> dict[str, Any]:
    """One step of a drawn config at a drawn index of its schedule (a JSON-able case for parity.replay). The
    learned variance types get a model output with twice the sample's channels, as such models give."""
    config = draw(configs())
    n = config["num_train_timesteps"]
    ndim = draw(st.integers(3 if config["thresholding"] else 2, 5))
    return {
        "check": check,
        "config": config,
        **draw(_schedule(n)),
        "step_index": draw(common.STEP_INDEX),  # reduced modulo the schedule's length
        "dtype": draw(_ENUM["dtype"]),
        "shape": common.draw_sample_shape(draw, ndim),
        "doubled": config["variance_type"] in LEARNED,
        "timestep_kind": draw(_ENUM["timestep_kind"]),
        "seed": draw(common.SEED),
    }


def generator_cases() -> st.SearchStrategy:
    """A step case run through the generator path (checks.run_generator_case)."""
    return step_cases(check="generator")


@st.composite
def schedule_cases(draw) -> dict[str, Any]:
    """A drawn config: its schedule arrays, timesteps and previous timesteps for several step counts and for drawn
    custom timesteps, and _get_variance of every type at drawn positions of a drawn schedule."""
    config = draw(configs())
    n = config["num_train_timesteps"]
    schedule = draw(_schedule(n))
    if schedule["custom_timesteps"] is None:
        schedule["custom_timesteps"] = draw(st.none() | custom_timesteps(n))
        schedule["num_inference_steps"] = None if schedule["custom_timesteps"] else schedule["num_inference_steps"]
    indices = draw(st.lists(st.integers(0, 10**6), min_size=1, max_size=3))
    return {"check": "schedule", "config": config, **schedule, "variance_indices": indices}


def noise_cases() -> st.SearchStrategy:
    """add_noise or get_velocity over a drawn config (parity.entries.common.strategies.noise_cases)."""
    return common.noise_cases(configs())


@st.composite
def invalid_cases(draw, kind: str | None = None) -> dict[str, Any]:
    """A valid config and one invalid input for it, of the given kind or any (see checks.run_error_case for where it
    goes in)."""
    config = draw(configs(max_train=1000))
    n = config["num_train_timesteps"]
    kind = kind or draw(st.sampled_from(ENUMS["invalid"]))
    out_of_range = st.one_of(st.integers(n, n + 5000), st.integers(-n - 5000, -n - 1))
    # never a valid value, so no draw is filtered away (Hypothesis also draws the string constants of the code under
    # test: "leading", "learned", ...)
    name = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).map(lambda v: f"unknown_{v}")
    ascending = st.lists(st.integers(0, n - 1), min_size=2, max_size=6).filter(
        lambda v: any(b >= a for a, b in itertools.pairwise(v))
    )
    too_large = st.tuples(st.integers(n, n + 100), custom_timesteps(n, 5)).map(lambda v: [v[0], *v[1]])
    value = {
        "num_inference_steps": st.one_of(
            st.integers(n + 1, n + 1000), st.integers(-20, 0), st.floats(0.5, 60).filter(lambda v: v != int(v))
        ),
        "add_noise_timestep": out_of_range,
        "timestep_out_of_range": out_of_range,
        "beta_schedule": name,
        "variance_type": name,
        "prediction_type": name,
        "timestep_spacing": name,
        "dynamic_thresholding_ratio": st.one_of(st.floats(1.0001, 3.0), st.floats(-3.0, -0.0001)),
        "timestep_not_in_schedule": st.tuples(st.integers(1, n - 1), st.integers(0, n - 1)).map(list),
        "custom_timesteps": st.one_of(ascending, too_large, st.just([])),
        "both_arguments": st.tuples(st.integers(1, n), custom_timesteps(n, 5)).map(list),
        "neither_argument": st.none(),
        "learned_without_variance": st.sampled_from(LEARNED),
    }[kind]
    if kind == "beta_schedule":
        config.pop("trained_betas", None)  # trained betas bypass the schedule name in the reference
    return {"check": "error", "config": config, "invalid": kind, "value": draw(value)}


def properties() -> dict[str, tuple[st.SearchStrategy, int]]:
    """The Hypothesis properties (parity/tests/test_properties.py): name -> (strategy, share of the examples per 100 of
    the profile's max_examples). ci: 580 + 120 + 120 + 13 * 12 + 60 = 1,036 examples. Error parity is one property
    per kind of invalid input: drawn from all 13 at once, Hypothesis left two kinds out of 200 cases."""
    errors = {f"error-{kind}": (invalid_cases(kind), 12) for kind in ENUMS["invalid"]}
    return {
        "step": (step_cases(), 580),
        "schedule": (schedule_cases(), 120),
        "noise": (noise_cases(), 120),
        **errors,
        "generator": (generator_cases(), 60),
    }
