"""step, _get_variance and _threshold_sample against the reference: whole schedules over fixed cases.

Each step gets fresh, identical inputs on both sides (sample, model output, and the noise the reference's seeded
generator draws, handed to the port as variance_noise), so an error cannot hide behind an earlier one;
test_trajectory.py runs free-running loops.
"""

from __future__ import annotations

import mlx.core as mx
import numpy as np
import pytest

from parity import port
from parity.compare import assert_same
from parity.entries.ddpm import reference
from parity.entries.ddpm.cases import CONFIGS, inputs, make_pair, set_schedule, step_inputs
from parity.entries.ddpm.checks import check_step, check_variances
from parity.tests.fixed_cases import DTYPES, TIMESTEP_KINDS, check_compiled_step, check_threshold_sample, rotated

SHAPES = [(2, 4, 8, 8), (3, 6), (1, 4, 2, 8, 8), (2, 3, 17)]
SCHEDULES = {"steps-10": (10, None), "custom": (None, [999, 700, 420, 100, 31, 2, 0])}


def run_schedule(pair, config, dtype, shape, kind, replay, seed=0):
    for index in range(len(pair.port.timesteps)):
        case = {"config": config, "shape": list(shape), "seed": seed + index, "doubled": _doubled(config)}
        sample, model_output = step_inputs(case)
        check_step(pair, index, dtype, sample, model_output, seed=seed + index, kind=kind, case=case, replay=replay)


def _doubled(config) -> bool:
    return config.get("variance_type") in ("learned", "learned_range")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize("name", CONFIGS)
def test_step_schedule(name, schedule, dtype, replay):
    position = list(CONFIGS).index(name) + list(SCHEDULES).index(schedule)
    shape, kind = rotated(position, dtype, CONFIGS[name], SHAPES)
    pair = make_pair(**CONFIGS[name])
    steps, custom = SCHEDULES[schedule]
    n = CONFIGS[name].get("num_train_timesteps", 1000)
    set_schedule(pair, steps, custom and [t for t in custom if t < n])
    run_schedule(pair, CONFIGS[name], dtype, shape, kind, replay)


@pytest.mark.parametrize("variance_type", ["fixed_small", "fixed_small_log", "learned_range"])
@pytest.mark.parametrize("kind", TIMESTEP_KINDS)
def test_whole_training_chain(variance_type, kind, replay):
    """No set_timesteps: the previous timestep is t - 1, at every t (the DDPM paper's sampler)."""
    config = {"variance_type": variance_type, "num_train_timesteps": 60}
    pair = make_pair(**config)
    run_schedule(pair, config, "float32", (1, 2, 4, 4), kind, replay)


@pytest.mark.parametrize("kind", TIMESTEP_KINDS)
def test_one_scheduler_across_schedules(kind, replay):
    """A reused scheduler: step counts, custom timesteps and back, each step at its own previous timestep."""
    config = CONFIGS["learned_range-if"]
    pair = make_pair(**config)
    for steps, custom in [(10, None), (None, [999, 500, 7, 0]), (25, None), (3, None)]:
        set_schedule(pair, steps, custom)
        run_schedule(pair, config, "float32", (1, 3, 8, 8), kind, replay, seed=steps or 0)


@pytest.mark.parametrize("name", ["default", "sigmoid", "zsnr-trailing-v", "odd-train-steps", "learned_range-if"])
@pytest.mark.parametrize("schedule", [None, 1, 10, 997])
def test_get_variance(name, schedule, replay):
    pair = make_pair(**CONFIGS[name])
    set_schedule(pair, schedule, None)
    timesteps = reference.to_numpy(pair.torch.timesteps)
    picked = sorted({int(t) for t in [*timesteps[:: max(1, len(timesteps) // 12)], timesteps[-1]]})
    check_variances(pair, picked, replay)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1, 3, 8, 8), (2, 1, 5), (3, 2, 2, 4, 4)])
@pytest.mark.parametrize("ratio, max_value", [(0.995, 1.0), (0.9, 1.5), (0.5, 3.0), (1.0, 2.0)])
def test_threshold_sample(dtype, shape, ratio, max_value, replay):
    pair = make_pair(thresholding=True, dynamic_thresholding_ratio=ratio, sample_max_value=max_value)
    check_threshold_sample(pair, dtype, shape, replay)


def test_step_at_timestep_zero_adds_no_noise():
    """At t = 0 the reference draws nothing and adds nothing: the port's variance_noise must not count there."""
    pair = make_pair()
    pair.set_timesteps(timesteps=[5, 0])
    sample, model_output, noise = (port.to_mlx(a, "float32") for a in inputs((1, 2, 4, 4), 3))
    with_noise = pair.port.step(model_output, 0, sample, variance_noise=noise * 100)
    without = pair.port.step(model_output, 0, sample, variance_noise=mx.zeros_like(noise))
    assert_same("prev_sample at t = 0", port.to_numpy(without.prev_sample), port.to_numpy(with_noise.prev_sample))


def test_scale_model_input_is_identity():
    pair = make_pair()
    (values,) = inputs((1, 4, 8, 8), 0, count=1)
    sample = port.to_mlx(values, "bfloat16")
    assert pair.port.scale_model_input(sample, 10) is sample
    assert np.array_equal(
        reference.to_numpy(pair.torch.scale_model_input(reference.to_torch(values, "bfloat16"), 10)),
        port.to_numpy(sample),
    )


def test_step_on_compiled_graph_never_reads_back():
    """Under mx.compile any .item(), eval or bool() of an array raises: a compiled step proves no host sync for
    mx.array timesteps (elements of the schedule)."""
    pair = make_pair(variance_type="learned_range", thresholding=True)
    case = {"config": {"variance_type": "learned_range"}, "shape": [2, 3, 8, 8], "seed": 1, "doubled": True}
    sample, model_output = (port.to_mlx(a, "float32") for a in step_inputs(case))
    (noise,) = (port.to_mlx(a, "float32") for a in inputs((2, 3, 8, 8), 2, count=1))
    check_compiled_step(pair, model_output, sample, noise)
