"""step, _get_variance and _threshold_sample against the reference: whole trajectories over fixed cases.

Each step of a trajectory gets fresh, identical inputs on both sides (sample, model output, variance noise), so
an error cannot hide behind an earlier one; parity/tests/test_trajectory.py runs free-running loops.
"""

from __future__ import annotations

import numpy as np
import pytest

from parity import port
from parity.compare import assert_close, assert_same
from parity.entries.common.torch_arrays import TORCH_DTYPES
from parity.entries.ddim import reference
from parity.entries.ddim.cases import CONFIGS, inputs, make_pair
from parity.entries.ddim.checks import check_step
from parity.tests.fixed_cases import TIMESTEP_KINDS, check_compiled_step, check_threshold_sample, rotated
from parity.tolerances import tolerance

ETAS = [(0.0, False), (0.5, True), (1.0, False), (1.0, True)]
SHAPES = [(2, 4, 8, 8), (3, 16), (1, 4, 2, 8, 8), (2, 3, 17)]


def run_trajectory(pair, dtype, eta, use_clipped, shape, kind, replay, steps=10, seed=0):
    pair.set_timesteps(steps)
    for index in range(len(pair.port.timesteps)):
        arrays = inputs(shape, seed + index, magnitude=1.5)
        check_step(pair, index, dtype, arrays, eta=eta, use_clipped=use_clipped, kind=kind, shape=shape, replay=replay)


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
@pytest.mark.parametrize("eta, use_clipped", ETAS)
@pytest.mark.parametrize("name", CONFIGS)
def test_step_trajectory(name, eta, use_clipped, dtype, replay):
    position = list(CONFIGS).index(name) + ETAS.index((eta, use_clipped))
    shape, kind = rotated(position, dtype, CONFIGS[name], SHAPES)
    run_trajectory(make_pair(**CONFIGS[name]), dtype, eta, use_clipped, shape, kind, replay)


@pytest.mark.parametrize("kind", TIMESTEP_KINDS)
def test_one_scheduler_across_etas_and_step_counts(kind, replay):
    """The port caches its per-step scalars by (step ratio, eta): a reused scheduler must not mix them up."""
    pair = make_pair(**CONFIGS["v-clip2.5"])
    for steps, eta, use_clipped in [(10, 0.0, False), (10, 1.0, True), (25, 1.0, False), (10, 0.3, False)]:
        pair.set_timesteps(steps)
        for index in (1, steps // 2, steps - 1):
            arrays = inputs((1, 4, 8, 8), steps + index, magnitude=1.5)
            check_step(
                pair,
                index,
                "float32",
                arrays,
                eta=eta,
                use_clipped=use_clipped,
                kind=kind,
                shape=(1, 4, 8, 8),
                replay=replay,
            )


@pytest.mark.parametrize("kind", TIMESTEP_KINDS)
@pytest.mark.parametrize("steps", [1, 7, 37])
def test_step_counts_and_timestep_kinds(steps, kind, replay):
    run_trajectory(make_pair(steps_offset=1), "float32", 0.0, False, (1, 4, 8, 8), kind, replay, steps=steps)


def test_return_dict_false_matches(replay):
    pair = make_pair(prediction_type="v_prediction")
    pair.set_timesteps(10)
    sample, model_output, noise = inputs((2, 4, 8, 8), 0)
    args = (port.to_mlx(model_output, "float32"), 901, port.to_mlx(sample, "float32"))
    as_output = pair.port.step(*args, eta=0.5, variance_noise=port.to_mlx(noise, "float32"))
    as_tuple = pair.port.step(*args, eta=0.5, variance_noise=port.to_mlx(noise, "float32"), return_dict=False)
    assert isinstance(as_tuple, tuple) and len(as_tuple) == 2
    for position, name in enumerate(("prev_sample", "pred_original_sample")):
        assert_same(name, port.to_numpy(getattr(as_output, name)), port.to_numpy(as_tuple[position]))
        assert_same(name, port.to_numpy(as_output[name]), port.to_numpy(as_output[position]))


@pytest.mark.parametrize("name", ["default", "sd15", "cosine-linspace-sample", "odd-train-steps"])
@pytest.mark.parametrize("steps", [1, 10, 997])
def test_get_variance(name, steps, replay):
    pair = make_pair(**CONFIGS[name])
    pair.set_timesteps(steps)
    ratio = pair.config.get("num_train_timesteps", 1000) // steps
    timesteps = reference.to_numpy(pair.torch.timesteps)
    for t in [*list(timesteps[:: max(1, len(timesteps) // 40)]), int(timesteps[-1])]:
        t, prev = int(t), int(t) - ratio
        assert_close(
            "_get_variance",
            reference.to_numpy(pair.torch._get_variance(t, prev)),
            port.to_numpy(pair.port._get_variance(t, prev)),
            dtype="float32",
            tolerance=tolerance("variance", "float32"),
            case=pair.describe(num_inference_steps=steps, timestep=t, prev_timestep=prev),
            replay=replay,
        )


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
@pytest.mark.parametrize("shape", [(1, 3, 8, 8), (4, 4, 16, 16), (2, 1, 5), (3, 2, 2, 4, 4), (9, 2, 3)])
@pytest.mark.parametrize("ratio, max_value", [(0.995, 1.0), (0.9, 1.5), (0.5, 3.0), (1.0, 2.0), (0.0, 1.0)])
def test_threshold_sample(dtype, shape, ratio, max_value, replay):
    pair = make_pair(thresholding=True, dynamic_thresholding_ratio=ratio, sample_max_value=max_value)
    check_threshold_sample(pair, dtype, shape, replay)


def test_threshold_sample_nan_row():
    pair = make_pair(thresholding=True)
    (values,) = inputs((3, 2, 4, 4), 3, count=1, magnitude=2.0)
    values[1, 0, 2, 2] = np.nan
    values[2, 1, 0, 0] = np.inf
    ref = reference.to_numpy(pair.torch._threshold_sample(reference.to_torch(values, "float32")))
    got = port.to_numpy(pair.port._threshold_sample(port.to_mlx(values, "float32")))
    assert_close("_threshold_sample", ref, got, dtype="float32", tolerance=tolerance("threshold", "float32"))


def test_scale_model_input_is_identity():
    pair = make_pair()
    (values,) = inputs((1, 4, 8, 8), 0, count=1)
    sample = port.to_mlx(values, "bfloat16")
    assert pair.port.scale_model_input(sample, 10) is sample
    assert pair.torch.scale_model_input(reference.to_torch(values, "bfloat16"), 10).dtype == TORCH_DTYPES["bfloat16"]


def test_step_on_compiled_graph_never_reads_back():
    """Under mx.compile any .item(), eval or bool() of an array raises: so a compiled step proves no host sync."""
    pair = make_pair(thresholding=True, prediction_type="v_prediction")
    sample, model_output, noise = (port.to_mlx(a, "float32") for a in inputs((2, 4, 8, 8), 1))
    check_compiled_step(pair, model_output, sample, noise, eta=0.7)


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("clip_range", [1.0, 0.0, -0.5, 1e-30, float("inf")])
def test_clipping_edges_with_non_finite_inputs(clip_range, dtype, replay):
    """Clipping where the port's fast form (two selects) and torch.clamp could part: NaN and infinite inputs,
    zero, negative, tiny and infinite ranges."""
    pair = make_pair(clip_sample_range=clip_range)
    pair.set_timesteps(10)
    for index in (0, 4, 9):
        arrays = inputs((2, 4, 4, 4), 40 + index, magnitude=3.0)
        for array, value in zip(arrays[:2], (np.nan, np.inf), strict=True):
            array[0, 1, 2, :2] = [value, -value]
        arrays[1][1, 0, 0, 0] = np.nan
        check_step(
            pair, index, dtype, arrays, eta=0.0, use_clipped=False, kind="element", shape=(2, 4, 4, 4), replay=replay
        )


def test_clip_range_is_read_only_when_clipping():
    """The reference reads clip_sample_range only when it clips: a config that does not may hold anything there."""
    pair = make_pair(clip_sample=False, clip_sample_range=None)
    plain = make_pair(clip_sample=False)
    for scheduler in (pair, plain):
        scheduler.set_timesteps(10)
    sample, model_output, _ = (port.to_mlx(a, "float32") for a in inputs((1, 4, 8, 8), 3))
    pair.torch.step(
        reference.to_torch(np.array(model_output), "float32"), 901, reference.to_torch(np.array(sample), "float32")
    )
    for timestep in (901, pair.port.timesteps[3]):
        got, expected = (s.port.step(model_output, timestep, sample) for s in (pair, plain))
        assert_same("prev_sample", port.to_numpy(got.prev_sample), port.to_numpy(expected.prev_sample))
