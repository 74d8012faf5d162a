"""Properties of the port that need no reference: import hygiene, and compiled kernels equal to separate ops."""

from __future__ import annotations

import subprocess
import sys

import mlx.core as mx
import numpy as np
import pytest

from mlx_ddim import scheduling_ddim
from parity import port
from parity.entries.ddim.cases import CONFIGS, inputs, make_pair

pytestmark = pytest.mark.own_port  # this project's port itself (skipped when PORT names another)


def test_import_mlx_ddim_never_imports_torch():
    code = "import sys, mlx_ddim; s = mlx_ddim.DDIMScheduler(); s.set_timesteps(5); assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
@pytest.mark.parametrize("name", CONFIGS)
def test_compiled_kernels_round_as_separate_ops(name, dtype, monkeypatch):
    """On the CPU, float32 steps run as fused, compiled kernels (x_0 recomputed in the second one, clipping by
    selects); other dtypes and devices run the plain structure as separate ops. All must give the same bits:
    the compiled kernels, the same graph under mx.disable_compile(), and the plain structure forced on the CPU,
    for every kernel variant the configs and etas reach."""
    pair = make_pair(**CONFIGS[name])
    pair.port.set_timesteps(10)
    shape = (2, 4, 8, 8)
    sample, model_output, noise = (port.to_mlx(a, dtype) for a in inputs(shape, 5, magnitude=1.5))

    def run():
        outputs = []
        for eta, use_clipped in [(0.0, False), (0.0, True), (0.8, False), (0.8, True)]:
            for timestep in (pair.port.timesteps[0], int(pair.port.timesteps[9].item())):
                out = pair.port.step(
                    model_output, timestep, sample, eta=eta, use_clipped_model_output=use_clipped, variance_noise=noise
                )
                outputs += [port.to_numpy(out.prev_sample), port.to_numpy(out.pred_original_sample)]
        return outputs

    compiled = run()
    mx.disable_compile()
    try:
        separate = run()
    finally:
        mx.enable_compile()
    monkeypatch.setattr(scheduling_ddim, "compiles", lambda model_output, sample: False)
    plain = run()
    for label, other in (("under mx.disable_compile()", separate), ("in the plain structure", plain)):
        for position, (a, b) in enumerate(zip(compiled, other, strict=True)):
            same = a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
            assert same, f"{name} {dtype}: output {position} differs {label}"
