"""Hypothesis strategies: scheduler configs (the rare parameters included) and step cases.

The strategies are pure: the entry's `coverage(case)` (parity.entries.Entry, with .enums) says which enum-like
values a drawn case exercises, so the suite can count them over the cases it ran (the coverage ledger) and fail when
one value was never exercised.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from parity.entries.common import strategies as common

from .enums import ENUMS

__all__ = ["ENUMS", "configs", "invalid_cases", "noise_cases", "properties", "schedule_cases", "step_cases"]


_ENUM = {name: st.sampled_from(values) for name, values in ENUMS.items()}  # built once (see common.BOOLEAN)
_CLIP_RANGE = st.sampled_from([1.0, 0.5, 2.5, 4.0])
_ETA = st.sampled_from([0.0, 0.0, 0.3, 1.0, 1.4])


@st.composite
def configs(draw, *, min_train: int = 2, max_train: int = 4000) -> dict[str, Any]:
    """A DDIMScheduler config: any schedule, spacing, prediction type, thresholding, offset and rescale."""
    num_train_timesteps = draw(st.one_of(st.integers(min_train, 64), st.integers(min_train, max_train)))
    config: dict[str, Any] = {"num_train_timesteps": num_train_timesteps}
    common.draw_trained_betas(draw, config)
    for name in ("beta_schedule", "timestep_spacing", "prediction_type"):
        config[name] = draw(_ENUM[name])
    common.draw_beta_range(draw, config)  # not for squaredcos_cap_v2
    config["clip_sample"] = draw(common.BOOLEAN)
    config["clip_sample_range"] = draw(_CLIP_RANGE)
    config["set_alpha_to_one"] = draw(common.BOOLEAN)
    common.draw_offset_thresholding_rescale(draw, config)
    return config


@st.composite
def step_cases(draw) -> dict[str, Any]:
    """One step of a drawn config at a drawn index of its schedule (a JSON-able case for parity.replay)."""
    config = draw(configs())
    n = config["num_train_timesteps"]
    ndim = draw(st.integers(3 if config["thresholding"] else 2, 5))
    case = {
        "check": "step",
        "config": config,
        "num_inference_steps": draw(st.one_of(st.integers(1, min(n, 60)), st.integers(1, n))),
        "step_index": draw(common.STEP_INDEX),  # reduced modulo the schedule's length
        "dtype": draw(_ENUM["dtype"]),
        "shape": common.draw_sample_shape(draw, ndim),
        "eta": draw(_ETA),
        "use_clipped_model_output": draw(common.BOOLEAN),
        "timestep_kind": draw(_ENUM["timestep_kind"]),
        "seed": draw(common.SEED),
    }
    return case


@st.composite
def schedule_cases(draw) -> dict[str, Any]:
    """A drawn config: its schedule arrays, timesteps for several step counts, _get_variance over timestep pairs."""
    config = draw(configs())
    n = config["num_train_timesteps"]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(-n, n - 1)), min_size=1, max_size=4))
    return {"check": "schedule", "config": config, "variance_pairs": [list(p) for p in pairs]}


def noise_cases() -> st.SearchStrategy:
    """add_noise or get_velocity with per-sample timesteps (or one for all) over a drawn config
    (parity.entries.common.strategies.noise_cases)."""
    return common.noise_cases(configs())


@st.composite
def invalid_cases(draw) -> dict[str, Any]:
    """A valid config and one invalid input for it (see parity.checks.run_error_case for where it goes in)."""
    config = draw(configs(max_train=1000))
    n = config["num_train_timesteps"]
    kind = draw(st.sampled_from(ENUMS["invalid"]))
    out_of_range = st.one_of(st.integers(n, n + 5000), st.integers(-n - 5000, -n - 1))
    name = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
    value = {
        "num_inference_steps": st.one_of(
            st.integers(n + 1, n + 1000), st.integers(-20, 0), st.floats(0.5, 60).filter(lambda v: v != int(v))
        ),
        "timestep": out_of_range,
        "add_noise_timestep": out_of_range,
        "beta_schedule": name.filter(lambda v: v not in ENUMS["beta_schedule"]),
        "prediction_type": name.filter(lambda v: v not in ENUMS["prediction_type"]),
        "timestep_spacing": name.filter(lambda v: v not in ENUMS["timestep_spacing"]),
        "dynamic_thresholding_ratio": st.one_of(st.floats(1.0001, 3.0), st.floats(-3.0, -0.0001)),
    }[kind]
    if kind == "beta_schedule":
        config.pop("trained_betas", None)  # trained betas bypass the schedule name in the reference
    return {"check": "error", "config": config, "invalid": kind, "value": draw(value)}


def properties() -> dict[str, tuple[st.SearchStrategy, int]]:
    """The Hypothesis properties (parity/tests/test_properties.py): name -> (strategy, share of the examples per 100 of
    the profile's max_examples). ci: 1300 + 260 + 260 + 180 = 2,000 examples (2,300 before DDPM joined the gate: its
    60 s budget holds both entries, and issue 13 asks for at least 2,000 of DDIM's)."""
    return {
        "step": (step_cases(), 1300),
        "schedule": (schedule_cases(), 260),
        "noise": (noise_cases(), 260),
        "error": (invalid_cases(), 180),
    }
