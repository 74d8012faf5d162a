"""Error parity: each invalid input raises the reference's exception type in the port.

Where the reference crashes with something other than a deliberate error, or silently misbehaves, the port raises
a ValueError that says what was wrong; the table records what the reference does, and the test checks that the
reference still does it (so a fix upstream shows up here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mlx.core as mx
import numpy as np
import pytest

from parity import port
from parity.entries.common.torch_arrays import timesteps_tensor
from parity.entries.ddim import reference


@dataclass
class Side:
    """What an error case needs from one side: its scheduler class and its arrays."""

    Scheduler: Any
    array: Callable[[np.ndarray], Any]
    timesteps: Callable[[np.ndarray], Any]
    generator: Callable[[], Any]


TORCH = Side(
    reference.TorchDDIMScheduler,
    lambda a: reference.to_torch(a, "float32"),
    timesteps_tensor,
    lambda: reference.torch.Generator().manual_seed(0),
)
PORT = Side(port.scheduler_class(), mx.array, mx.array, lambda: mx.random.key(0))
X = np.ones((1, 4, 8, 8), np.float32)


def ready(side: Side, steps: int = 10, **config: Any):
    scheduler = side.Scheduler(**config)
    scheduler.set_timesteps(steps)
    return scheduler


def step(side: Side, scheduler, timestep, sample=X, **kwargs):
    return scheduler.step(side.array(sample), timestep, side.array(sample), **kwargs)


# name: (action on a side, the reference's outcome, the port's exception)
CASES: dict[str, tuple[Callable[[Side], Any], type[BaseException] | str, type[BaseException]]] = {
    "unknown beta_schedule": (lambda s: s.Scheduler(beta_schedule="cosine"), NotImplementedError, NotImplementedError),
    "unknown alpha_transform_type": (
        lambda s: (reference.reference_module if s is TORCH else port.module()).betas_for_alpha_bar(
            10, 0.999, "sigmoid"
        ),
        ValueError,
        ValueError,
    ),
    "more inference steps than train steps": (lambda s: ready(s, 1001), ValueError, ValueError),
    "unknown timestep_spacing": (lambda s: ready(s, timestep_spacing="uniform"), ValueError, ValueError),
    "unknown prediction_type": (lambda s: step(s, ready(s, prediction_type="x0"), 901), ValueError, ValueError),
    "step before set_timesteps": (lambda s: step(s, s.Scheduler(), 901), ValueError, ValueError),
    "both generator and variance_noise": (
        lambda s: step(s, ready(s), 901, eta=1.0, generator=s.generator(), variance_noise=s.array(X)),
        ValueError,
        ValueError,
    ),
    "timestep past the schedule (int)": (
        lambda s: step(s, ready(s, 1000, steps_offset=1), 1000),
        IndexError,
        IndexError,
    ),
    "timestep past the schedule (element of timesteps)": (
        lambda s: (lambda sch: step(s, sch, sch.timesteps[0]))(ready(s, 1000, steps_offset=1)),
        IndexError,
        IndexError,
    ),
    "timestep far past the schedule": (lambda s: step(s, ready(s), 5000), IndexError, IndexError),
    "timestep below -num_train_timesteps": (lambda s: step(s, ready(s), -1001), IndexError, IndexError),
    "float timestep": (lambda s: step(s, ready(s), 901.0), IndexError, IndexError),
    "thresholding ratio above 1": (
        lambda s: step(s, ready(s, thresholding=True, dynamic_thresholding_ratio=1.5), 901),
        RuntimeError,
        RuntimeError,
    ),
    "add_noise timestep out of range": (
        lambda s: s.Scheduler().add_noise(s.array(X), s.array(X), s.timesteps(np.array([1000]))),
        IndexError,
        IndexError,
    ),
    "get_velocity timestep out of range": (
        lambda s: s.Scheduler().get_velocity(s.array(X), s.array(X), s.timesteps(np.array([3, -1001]))),
        IndexError,
        IndexError,
    ),
    # Where the reference crashes or misbehaves, the port says what was wrong with a ValueError:
    "zero inference steps (leading)": (lambda s: ready(s, 0), ZeroDivisionError, ValueError),
    "zero inference steps (trailing)": (
        lambda s: ready(s, 0, timestep_spacing="trailing"),
        ZeroDivisionError,
        ValueError,
    ),
    "zero inference steps (linspace)": (
        lambda s: len(ready(s, 0, timestep_spacing="linspace").timesteps),
        "an empty schedule",
        ValueError,
    ),
    "negative inference steps": (lambda s: len(ready(s, -5).timesteps), "an empty schedule", ValueError),
    "non-integer inference steps": (lambda s: ready(s, 2.5).timesteps.dtype, "float-derived timesteps", ValueError),
    "thresholding a 2-D sample": (
        lambda s: step(s, ready(s, thresholding=True), 901, sample=np.ones((2, 16), np.float32)),
        TypeError,
        ValueError,
    ),
    "zero train timesteps": (lambda s: len(s.Scheduler(num_train_timesteps=0)), "an empty scheduler", ValueError),
}


@pytest.mark.parametrize("name", CASES)
def test_error_parity(name):
    action, reference_outcome, port_exception = CASES[name]
    if isinstance(reference_outcome, str):  # the reference misbehaves without raising
        action(TORCH)
    else:
        with pytest.raises(reference_outcome):
            action(TORCH)
    with pytest.raises(port_exception) as raised:
        action(PORT)
    assert str(raised.value), f"{name}: the port's {port_exception.__name__} carries no message"


def test_timestep_minus_num_train_timesteps_counts_back_to_the_first():
    """-1000 is the last valid index counting back: torch steps there as at timestep 0 (alphas_cumprod[0], and a
    negative previous timestep either way), and the port must too, not raise IndexError."""
    outputs = {}
    for side in (TORCH, PORT):
        scheduler = ready(side)
        at = [step(side, scheduler, timestep) for timestep in (-1000, 0)]
        to_numpy = reference.to_numpy if side is TORCH else np.array
        outputs[side is TORCH] = [[to_numpy(out.prev_sample), to_numpy(out.pred_original_sample)] for out in at]
    for first_end, zero in outputs.values():
        assert all(np.array_equal(a, b) for a, b in zip(first_end, zero, strict=True))


@pytest.mark.parametrize("timestep", [5000, 1000, -1001, -5000])
def test_array_timestep_outside_a_valid_schedule_is_nan_not_garbage(timestep):
    """With an in-range schedule, step never reads an array timestep back (no sync), so it cannot raise for a
    stray out-of-range mx.array; it must not return a silently wrong number either: the outputs are NaN, past
    either end (torch raises IndexError outside [-1000, 1000))."""
    scheduler = ready(PORT)
    out = step(PORT, scheduler, mx.array(timestep))
    assert np.isnan(np.array(out.prev_sample)).all() and np.isnan(np.array(out.pred_original_sample)).all()


def test_generator_must_be_an_mlx_key():
    scheduler = ready(PORT)
    with pytest.raises(TypeError, match="MLX PRNG key"):
        step(PORT, scheduler, 901, eta=1.0, generator=np.random.default_rng(0))


def test_messages_name_the_problem():
    with pytest.raises(ValueError, match=r"num_inference_steps.*positive integer, got 0"):
        ready(PORT, 0)
    with pytest.raises(IndexError, match="index 1000 is out of bounds"):
        step(PORT, ready(PORT, 1000, steps_offset=1), 1000)
    with pytest.raises(ValueError, match="shape"):
        step(PORT, ready(PORT, thresholding=True), 901, sample=np.ones((2, 16), np.float32))
