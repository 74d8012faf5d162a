"""Hypothesis strategies that diffusers' schedulers share: add_noise / get_velocity cases over an entry's configs."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

__all__ = ["DTYPES", "NOISE_METHODS", "TIMESTEPS_LAYOUTS", "noise_cases"]

DTYPES = ("float32", "float16", "bfloat16")
TIMESTEPS_LAYOUTS = ("per-sample", "one", "0-dim")
NOISE_METHODS = ("add_noise", "get_velocity")


@st.composite
def noise_cases(draw, configs: st.SearchStrategy) -> dict[str, Any]:
    """add_noise or get_velocity with per-sample timesteps (or one for all) over a config drawn from `configs`."""
    config = draw(configs)
    n = config["num_train_timesteps"]
    batch = draw(st.integers(1, 4))
    shape = [batch, *(draw(st.integers(1, 6)) for _ in range(draw(st.integers(1, 4))))]
    layout = draw(st.sampled_from(TIMESTEPS_LAYOUTS))
    timestep = st.integers(-n, n - 1)
    timesteps = {
        "per-sample": lambda: draw(st.lists(timestep, min_size=batch, max_size=batch)),
        "one": lambda: [draw(timestep)],
        "0-dim": lambda: draw(timestep),
    }[layout]()
    method = draw(st.sampled_from(NOISE_METHODS))
    dtype = draw(st.sampled_from(DTYPES))
    return {
        "check": "noise",
        "config": config,
        "method": method,
        "dtype": dtype,
        "shape": shape,
        "timesteps": timesteps,
        "timesteps_layout": layout,
        "seed": draw(st.integers(0, 2**31 - 1)),
    }
