"""Hypothesis strategies for flow matching: configs over all 14 parameters, every set_timesteps path as diffusers'
pipelines and users call it, steps and whole loops in float32, float16 and bfloat16, scale_noise's branches and the
invalid inputs. Pure: the entry's `coverage(case)` (parity.entries.Entry, with .enums) says what a case exercises."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from hypothesis import strategies as st

from parity.entries.common.strategies import BOOLEAN, ONE_IN_EIGHT, SEED, descending

from . import pipelines
from .enums import ENUMS

__all__ = ["configs", "invalid_cases", "noise_cases", "properties", "schedule_cases", "step_cases"]

# Every strategy that depends on no drawn value is built once, here (see common.BOOLEAN): a strategy built inside a
# draw is validated, and its properties computed, on each example.
_ENUM = {name: st.sampled_from(values) for name, values in ENUMS.items()}
TRAIN_STEPS = st.sampled_from([1000, 1000, 1000, 100, 4096, 37, 2])
SHIFT = st.sampled_from([1.0, 3.0, 5.0, 7.0]) | st.floats(0.2, 12.0)
SET_SHIFT = st.none() | st.none() | SHIFT
TERMINAL = st.none() | st.none() | st.floats(0.01, 0.5)
MU = st.floats(0.05, 3.0)
STEPS = st.integers(1, 60) | st.sampled_from([1, 2, 4, 8, 28, 50, 1000])
SIDE, SIDES = st.integers(1, 6), st.integers(4, 24)
SIGMA_FLAGS = {"karras": "use_karras_sigmas", "exponential": "use_exponential_sigmas", "beta": "use_beta_sigmas"}
# The seq-len bounds a pipeline reads (base_shift, max_shift, base_image_seq_len, max_image_seq_len), each of two
# values, drawn as one of their 16 combinations: the same choice of each, one draw instead of four.
SEQ_BOUNDS = st.sampled_from(list(itertools.product([0.5, 0.25], [1.15, 2.0], [256, 1024], [4096, 8192])))
ONE_IN_FOUR = st.integers(0, 3)
BATCH, NOISE_BATCH, NDIM = st.integers(1, 2), st.integers(1, 4), st.integers(1, 3)
INDEX, STEP_COUNT = st.integers(0, 10**6), st.integers(1, 4)
INDICES = {batch: st.lists(INDEX, min_size=batch, max_size=batch) for batch in range(1, 5)}
SAMPLE_DTYPE = {dtype: st.sampled_from([dtype, "float32"]) for dtype in ENUMS["dtype"]}
INVALID_STEPS = st.integers(1, 12)  # n, for the kinds whose lists disagree in length


@st.composite
def configs(draw) -> tuple[dict[str, Any], str]:
    """A config over all 14 constructor parameters (the seq-len and shift bounds are the pipelines' to read), and
    its sigma kind."""
    sigma_kind = draw(_ENUM["sigma_kind"])
    train_steps, shift, dynamic = draw(TRAIN_STEPS), draw(SHIFT), draw(BOOLEAN)
    base_shift, max_shift, base_seq_len, max_seq_len = draw(SEQ_BOUNDS)
    config = {
        "num_train_timesteps": train_steps,
        "shift": shift,
        "use_dynamic_shifting": dynamic,
        "base_shift": base_shift,
        "max_shift": max_shift,
        "base_image_seq_len": base_seq_len,
        "max_image_seq_len": max_seq_len,
        "invert_sigmas": draw(ONE_IN_EIGHT) == 0,
        "shift_terminal": draw(TERMINAL),
        "time_shift_type": draw(_ENUM["time_shift_type"]),
        "stochastic_sampling": draw(ONE_IN_FOUR) == 0,
        **{flag: sigma_kind == kind for kind, flag in SIGMA_FLAGS.items()},
    }
    return config, sigma_kind


@st.composite
def schedules(draw, config: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    """(the case's schedule, its set_timesteps path, the pipeline whose call it is): a pipeline's own call at a drawn
    resolution (pipelines.py: FLUX's linspace sigmas and its resolution's mu, FLUX.2's empirical mu, SD3's step
    count...), or a drawn call on any path, with mu wherever dynamic shifting needs it and, one list in four, the
    first custom timestep repeated (the second-index rule of index_for_timestep)."""
    pipeline = draw(_ENUM["pipeline"])
    n = draw(STEPS)
    if pipeline != "drawn":
        height, width = 64 * draw(SIDES), 64 * draw(SIDES)
        schedule = {"pipeline": pipeline, "height": height, "width": width, "steps": n}
        args = pipelines.SCHEDULES[pipeline](config, height, width, n)
        return schedule, "sigmas" if args.get("sigmas") is not None else "steps", pipeline
    path = draw(_ENUM["schedule_path"])
    sigmas = descending(draw, n, 0.01, 1.0) if path in ("sigmas", "both", "steps_and_sigmas") else None
    timesteps = (
        descending(draw, n, 1.0, float(config["num_train_timesteps"])) if path in ("timesteps", "both") else None
    )
    if timesteps and n > 1 and draw(ONE_IN_FOUR) == 0:
        timesteps[1] = timesteps[0]
    steps = n if path in ("steps", "steps_and_sigmas") else None
    mu = draw(MU) if config["use_dynamic_shifting"] else None
    return {"num_inference_steps": steps, "sigmas": sigmas, "mu": mu, "timesteps": timesteps}, path, "drawn"


def _scheduled(draw, check: str) -> dict[str, Any]:
    """What every case but an error's starts with: a config, a schedule, and the kinds they are (a plain function,
    not a strategy, so that the cases draw as they did inline)."""
    config, sigma_kind = draw(configs())
    schedule, path, pipeline = draw(schedules(config))
    return {"check": check, "config": config, "schedule": schedule, "schedule_path": path, "pipeline": pipeline,
            "sigma_kind": sigma_kind}  # fmt: skip


@st.composite
def schedule_cases(draw) -> dict[str, Any]:
    return {**_scheduled(draw, "schedule"), "set_shift": draw(SET_SHIFT)}


@st.composite
def step_cases(draw) -> dict[str, Any]:
    """One to four consecutive steps (a whole short loop at times) from a drawn index, each side free-running, the
    first index found by lookup or set as img2img sets it; per-token timesteps one case in eight."""
    case = _scheduled(draw, "step")
    dtype = draw(_ENUM["dtype"])
    per_token = draw(ONE_IN_EIGHT) == 0
    batch = draw(BATCH)
    shape = [batch, draw(SIDE), draw(SIDE)] if per_token else [batch, *(draw(SIDE) for _ in range(draw(NDIM)))]
    return {
        **case, "dtype": dtype, "sample_dtype": draw(SAMPLE_DTYPE[dtype]),
        "timestep_kind": draw(_ENUM["timestep_kind"]), "start": draw(_ENUM["start"]),
        "start_index": draw(INDEX), "steps": draw(STEP_COUNT), "per_token": per_token,
        "shape": shape, "seed": draw(SEED),
    }  # fmt: skip


@st.composite
def noise_cases(draw) -> dict[str, Any]:
    case = _scheduled(draw, "noise")
    batch = draw(NOISE_BATCH)
    return {
        **case, "branch": draw(_ENUM["branch"]), "dtype": draw(_ENUM["dtype"]),
        "indices": draw(INDICES[batch]), "shape": [batch, draw(SIDE), draw(SIDE)], "seed": draw(SEED),
    }  # fmt: skip


_INVALID_VALUES = {
    "sigma_kinds": st.sampled_from([{"use_karras_sigmas": True, "use_beta_sigmas": True},
                                    {"use_exponential_sigmas": True, "use_karras_sigmas": True}]),
    "time_shift_type": st.sampled_from([{"time_shift_type": "quadratic"}, {"time_shift_type": "Linear"}]),
    "mu_missing": st.none(),
    "nothing_to_set": st.none(),
    "integer_timestep": st.sampled_from(["int", "numpy", "array"]),
    "timestep_not_in_schedule": st.floats(0.5, 999.5).filter(lambda t: t != int(t)),
    "past_the_end": st.integers(1, 12),
}  # fmt: skip


def _lengths(kind: str, n: int) -> dict[str, Any]:
    """The set_timesteps arguments of the kinds whose lists disagree in length (n sigmas)."""
    if kind == "sigmas_timesteps_lengths":
        return {"sigmas": list(np.linspace(1, 0.1, n)), "timesteps": [900.0] * (n + 1)}
    return {"num_inference_steps": n + 1, "sigmas": list(np.linspace(1, 0.1, n))}


@st.composite
def invalid_cases(draw, kind: str) -> dict[str, Any]:
    """One kind of invalid input, over a drawn config (without its own sigma-kind conflicts)."""
    config, _ = draw(configs())
    config = {**config, "use_dynamic_shifting": False, **dict.fromkeys(SIGMA_FLAGS.values(), False)}
    n = draw(INVALID_STEPS)
    value = draw(_INVALID_VALUES[kind]) if kind in _INVALID_VALUES else _lengths(kind, n)
    return {"check": "error", "config": config, "invalid": kind, "value": value}


def properties() -> dict[str, tuple[st.SearchStrategy, int]]:
    """The Hypothesis properties (parity/tests/test_properties.py): name -> (strategy, share of the examples per 100 of
    the profile's max_examples). ci: 480 + 260 + 140 + 9 * 14 = 1,006 examples (the gate's floor is 1,000). Error
    parity is one property per kind of invalid input, as DDPM's."""
    errors = {f"error-{kind}": (invalid_cases(kind), 14) for kind in ENUMS["invalid"]}
    return {"step": (step_cases(), 480), "schedule": (schedule_cases(), 260), "noise": (noise_cases(), 140), **errors}
