"""The strategies tested: each draws what its docstring claims (every enum value, the rare parameters, the shapes and
dtypes), over a fixed number of derandomized draws, so a strategy that silently narrows fails here."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parity.entries import load
from parity.entries.ddim.strategies import (
    ENUMS,
    configs,
    invalid_cases,
    noise_cases,
    schedule_cases,
    step_cases,
)

DRAWS = 150


@functools.cache
def drawn(strategy: Callable[[], st.SearchStrategy]) -> list[dict[str, Any]]:
    """DRAWS examples of a strategy, the same every run (drawn once per session for all the tests here)."""
    found: list[dict[str, Any]] = []

    @settings(
        max_examples=DRAWS, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategy())
    def collect(value):
        found.append(value)

    collect()  # without Hypothesis' pool of the project's constants (conftest.py): the same draws whatever ran first
    return found


def values_of(cases: list[dict[str, Any]]) -> Counter:
    return Counter(pair for case in cases for pair in load("ddim").coverage(case))


def assert_covers(cases: list[dict[str, Any]], names: list[str]) -> None:
    seen = values_of(cases)
    missing = [(name, value) for name in names for value in ENUMS[name] if not seen[(name, value)]]
    assert not missing, f"never drawn in {len(cases)} draws: {missing}"


def share(cases: list[dict[str, Any]], predicate: Callable[[dict[str, Any]], bool]) -> float:
    return sum(map(predicate, cases)) / len(cases)


def test_configs_draw_every_schedule_spacing_prediction_and_the_rare_parameters():
    cases = drawn(step_cases)
    assert_covers(cases, ["beta_schedule", "timestep_spacing", "prediction_type", "thresholding", "clip_sample",
                          "rescale_betas_zero_snr", "trained_betas"])  # fmt: skip
    config = [c["config"] for c in cases]
    assert 0.05 < share(cases, lambda c: "trained_betas" in c["config"]) < 0.25  # "1 in 8"
    assert {c["steps_offset"] for c in config} == {0, 1, 2, 3}
    assert {c["clip_sample_range"] for c in config} == {1.0, 0.5, 2.5, 4.0}
    assert {c["sample_max_value"] for c in config} == {1.0, 1.5, 3.0}
    assert {c["set_alpha_to_one"] for c in config} == {False, True}
    sizes = [c["num_train_timesteps"] for c in config if "trained_betas" not in c]
    assert min(sizes) <= 4 and max(sizes) > 1000  # "N from 2 to 4000": tiny and large schedules both drawn
    for c in config:
        if "trained_betas" in c:
            assert len(c["trained_betas"]) == c["num_train_timesteps"] and all(0 < b < 1 for b in c["trained_betas"])
        if c["beta_schedule"] != "squaredcos_cap_v2" and "trained_betas" not in c:
            assert 0 < c["beta_start"] <= c["beta_end"]


def test_step_cases_draw_every_dtype_kind_eta_and_rank():
    cases = drawn(step_cases)
    assert_covers(cases, ["dtype", "timestep_kind", "use_clipped_model_output"])
    assert {c["eta"] for c in cases} == {0.0, 0.3, 1.0, 1.4}  # eta above 1 included
    assert {len(c["shape"]) for c in cases} == {2, 3, 4, 5}
    assert all(len(c["shape"]) >= 3 for c in cases if c["config"]["thresholding"])  # diffusers cannot threshold 2-D
    assert any(c["num_inference_steps"] == c["config"]["num_train_timesteps"] for c in cases)  # every train step
    assert any(c["num_inference_steps"] == 1 for c in cases)


def test_schedule_cases_draw_variance_pairs_past_the_start():
    cases = drawn(schedule_cases)
    pairs = [p for c in cases for p in c["variance_pairs"]]
    assert any(prev < 0 for _, prev in pairs), "no pair reaches final_alpha_cumprod (prev < 0)"
    assert all(0 <= t < c["config"]["num_train_timesteps"] for c in cases for t, _ in c["variance_pairs"])


def test_noise_cases_draw_every_layout_method_dtype_and_negative_timesteps():
    cases = drawn(noise_cases)
    assert_covers(cases, ["timesteps_layout", "method", "dtype"])
    flat = [t for c in cases for t in (c["timesteps"] if isinstance(c["timesteps"], list) else [c["timesteps"]])]
    assert min(flat) < 0 <= max(flat)
    for c in cases:
        if c["timesteps_layout"] == "per-sample":
            assert len(c["timesteps"]) == c["shape"][0]


def test_invalid_cases_draw_every_kind_out_of_range_on_both_sides():
    cases = drawn(invalid_cases)
    assert_covers(cases, ["invalid"])
    for kind in ("timestep", "add_noise_timestep"):
        values = [(c["value"], c["config"]["num_train_timesteps"]) for c in cases if c["invalid"] == kind]
        assert any(v >= n for v, n in values) and any(v < -n for v, n in values), kind
        assert all(v >= n or v < -n for v, n in values), f"{kind}: an in-range value drawn as invalid"
    steps = [c["value"] for c in cases if c["invalid"] == "num_inference_steps"]
    assert any(isinstance(v, float) for v in steps) and any(isinstance(v, int) and v <= 0 for v in steps)
    for kind in ("beta_schedule", "prediction_type", "timestep_spacing"):
        assert all(c["value"] not in ENUMS[kind] for c in cases if c["invalid"] == kind)


def test_configs_are_json_replayable():
    """A drawn case must survive JSON (the replay line carries it): no numpy scalars, no tuples."""
    import json

    for case in drawn(configs):
        assert json.loads(json.dumps(case)) == case
