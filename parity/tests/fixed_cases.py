"""What the DDPM-family entries' (DDIM's, DDPM's) fixed-case tests share: add_noise and get_velocity's timesteps, the
beta schedules' configs and ranges, set_timesteps' configs and step counts, how a step test rotates shapes and
timestep kinds through its grid, and the _threshold_sample and compiled-step checks. Each entry's tests add their
own configs and shapes.

A helper of the tests, kept with them: its numbers are test data, not the harness's code (Hypothesis draws constants
of the harness's own modules, so the strategies' cases do not depend on it)."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity import port
from parity.compare import assert_close, assert_same
from parity.entries.common.pairs import Pair, inputs
from parity.entries.common.torch_arrays import to_numpy, to_torch
from parity.tolerances import tolerance

__all__ = [
    "BETA_RANGES",
    "BETA_SCHEDULES",
    "DTYPES",
    "NOISE_TIMESTEPS",
    "TIMESTEPS_CONFIGS",
    "TIMESTEP_KINDS",
    "check_compiled_step",
    "check_threshold_sample",
    "fixed_step_counts",
    "rotated",
    "timesteps_id",
]

DTYPES = ("float32", "float16", "bfloat16")
TIMESTEP_KINDS = ("int", "numpy", "element")

# add_noise / get_velocity's timesteps for a batch of `batch` samples: per sample (with repeats and negatives), one
# for all, or a 0-dim one.
NOISE_TIMESTEPS = {
    "per-sample": lambda batch: np.array([999, 0, 500, 1, 250, 777][:batch], np.int64),
    "one-element": lambda batch: np.array([437], np.int64),
    "0-dim": lambda batch: np.array(12, np.int64),
    "negative": lambda batch: np.array([-1, -1000, 3, 999][:batch] * 2, np.int64)[:batch],
}


# set_timesteps' configs: every spacing and offset over small, odd, default and large training schedules.
TIMESTEPS_CONFIGS = [
    {"num_train_timesteps": n, "steps_offset": offset, "timestep_spacing": spacing}
    for spacing in ("leading", "trailing", "linspace")
    for offset in (0, 1, 3)
    for n in (1000, 7, 4000, 1)
]


def timesteps_id(config: dict[str, Any]) -> str:
    return f"{config['num_train_timesteps']}-{config['steps_offset']}-{config['timestep_spacing']}"


def fixed_step_counts(num_train_timesteps: int) -> list[int]:
    """The step counts a set_timesteps test sets: 1 to 1000 and the whole schedule, as far as it has them."""
    return sorted({s for s in [1, 2, 3, 7, 37, 50, 999, 1000, num_train_timesteps] if s <= num_train_timesteps})


def rotated(position: int, dtype: str, config: dict[str, Any], shapes: list[tuple[int, ...]]) -> tuple[tuple, str]:
    """The shape and timestep kind of a step test at `position` of its grid: rotated through the grid so that each
    meets every config and dtype (the reference cannot threshold a 2-D sample: the next shape then)."""
    shape = shapes[position % len(shapes)]
    if config.get("thresholding") and len(shape) < 3:
        shape = shapes[(position + 1) % len(shapes)]  # test_errors checks the reference's error there
    return shape, TIMESTEP_KINDS[(position + DTYPES.index(dtype)) % len(TIMESTEP_KINDS)]


# Each beta schedule's fixed-case config: the range Stable Diffusion uses for scaled_linear, diffusers' defaults else.
BETA_SCHEDULES: dict[str, dict[str, Any]] = {
    "linear": {},
    "scaled_linear": {"beta_start": 0.00085, "beta_end": 0.012},
    "squaredcos_cap_v2": {},
    "sigmoid": {},
    "laplace": {},
}
# beta_start and beta_end: the defaults, Stable Diffusion's, extreme, decreasing and equal.
BETA_RANGES = [(0.0001, 0.02), (0.00085, 0.012), (1e-6, 0.5), (0.3, 0.01), (0.02, 0.02)]


def check_threshold_sample(pair: Pair, dtype: str, shape: tuple[int, ...], replay: str) -> None:
    """_threshold_sample of the port itself and the reference on the same values (seed 7, magnitude 2), in `dtype`."""
    (values,) = inputs(shape, 7, count=1, magnitude=2.0)
    got = pair.port._threshold_sample(port.to_mlx(values, dtype))
    assert_close(
        "_threshold_sample",
        to_numpy(pair.torch._threshold_sample(to_torch(values, dtype))),
        port.to_numpy(got),
        dtype=dtype,
        port_dtype=port.dtype_name(got),
        tolerance=tolerance("threshold", dtype),
        case=pair.describe(dtype=dtype, shape=shape),
        replay=replay,
    )


def check_compiled_step(pair: Pair, model_output, sample, noise, **step_kwargs: Any) -> None:
    """The port's step (with `variance_noise=noise` and `step_kwargs`) compiled by mx.compile equals it uncompiled, at
    three of 20 timesteps given as elements of its schedule. Under mx.compile any .item(), eval or bool() of an array
    raises: a compiled step proves no host sync."""
    import mlx.core as mx

    pair.port.set_timesteps(20)

    def step(model_output, timestep, sample, noise):
        out = pair.port.step(model_output, timestep, sample, variance_noise=noise, **step_kwargs)
        return out.prev_sample, out.pred_original_sample

    compiled = mx.compile(step)
    for index in (0, 5, 19):
        timestep = pair.port.timesteps[index]
        expected = step(model_output, int(timestep.item()), sample, noise)
        actual = compiled(model_output, timestep, sample, noise)
        for e, a in zip(expected, actual, strict=True):
            assert_same("compiled step", port.to_numpy(e), port.to_numpy(a))
