"""Judging flow matching without the reference installed: given the reference's numbers (computed now, or recorded
in a fixture) and the port's, apply the tolerance policy, and hold both against the float64 oracle. Torch-free.

Scales: a schedule array's is its largest magnitude; a step's, the magnitude of what it adds up:
|sample| + (|sigma| + |sigma_next|) |model_output| (+ |noise| when stochastic); scale_noise's, |sample| + |noise|.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity.compare import assert_close, assert_no_less_accurate
from parity.tolerances import tolerance

from . import oracle

__all__ = ["SCHEDULE_ARRAYS", "judge_scale_noise", "judge_schedule", "judge_step"]

SCHEDULE_ARRAYS = ("sigmas", "timesteps")


def judge_schedule(
    config: dict[str, Any], args: dict[str, Any], *, reference_arrays: dict[str, np.ndarray],
    port_arrays: dict[str, np.ndarray], port_dtypes: dict[str, str], set_shift: float | None, case: dict, replay: str,
) -> None:  # fmt: skip
    """sigmas and timesteps, as `set_timesteps(**args)` (or, with no args, `__init__`) leaves them: float32, the
    reference's values, and no further from the float64 oracle than the reference's."""
    shift = config["shift"] if set_shift is None else set_shift
    if args:
        exact = dict(zip(SCHEDULE_ARRAYS, oracle.schedule(config, shift=shift, **args), strict=True))
    else:
        exact = oracle.initial(config)
    for name, ref in reference_arrays.items():
        kwargs = {"dtype": "float32", "tolerance": tolerance(name, "float32"), "case": case, "replay": replay}
        got = np.asarray(port_arrays[name])
        assert_close(name, ref, got, port_dtype=port_dtypes[name], **kwargs)
        if np.shape(exact[name]) == np.shape(ref):
            scale = max(float(np.max(np.abs(exact[name]), initial=0.0)), 1e-30)
            assert_no_less_accurate(name, ref, got, exact[name], scale=scale, **kwargs)


def judge_step(
    config: dict[str, Any], sigma: float, sigma_next: float, *, inputs: tuple, per_token: np.ndarray | None,
    reference_output: np.ndarray, port_output: np.ndarray, port_dtype: str, dtype: str, case: dict, replay: str,
) -> None:  # fmt: skip
    """One step's prev_sample: parity, and against the float64 Euler update (or, with stochastic sampling, the
    reverse step through x_0) on the reference's float32 sigmas and the inputs both sides received. A per-token
    step (sigmas per token, from the lower mask) is judged for parity."""
    sample, model_output, noise = inputs
    biggest = [float(np.max(np.abs(a), initial=0.0)) for a in (sample, model_output, 0.0 if noise is None else noise)]
    scale = biggest[0] + (abs(float(sigma)) + abs(float(sigma_next))) * biggest[1] + biggest[2]
    kwargs = {"dtype": dtype, "scale": scale, "tolerance": tolerance("step", dtype), "case": case, "replay": replay}
    assert_close("prev_sample", reference_output, port_output, port_dtype=port_dtype, **kwargs)
    if per_token is not None:
        return
    if config["stochastic_sampling"]:
        exact = oracle.stochastic_step(sigma, sigma_next, model_output, sample, noise)
    else:
        exact = oracle.euler_step(sigma, sigma_next, model_output, sample)
    assert_no_less_accurate("prev_sample", reference_output, port_output, exact, **kwargs)


def judge_scale_noise(
    sigmas: np.ndarray, *, sigma_indices: list[int] | None, fixed_index: int | None, inputs: tuple,
    reference_output: np.ndarray, port_output: np.ndarray, port_dtype: str, dtype: str, case: dict, replay: str,
) -> None:  # fmt: skip
    """scale_noise (the forward process x_t = sigma * noise + (1 - sigma) * x_0) per sample, each at its sigma: the
    timestep's own (looked up), or the scheduler's step or begin index for every sample."""
    sample, noise = inputs
    indices = sigma_indices if sigma_indices is not None else [fixed_index] * len(sample)
    sigma = np.asarray(sigmas, np.float64)[indices]
    scale = float(np.max(np.abs(sample), initial=0.0) + np.max(np.abs(noise), initial=0.0))
    kwargs = {"dtype": dtype, "scale": scale, "tolerance": tolerance("noise", dtype), "case": case, "replay": replay}
    assert_close("scale_noise", reference_output, port_output, port_dtype=port_dtype, **kwargs)
    assert_no_less_accurate("scale_noise", reference_output, port_output, oracle.forward(sigma, sample, noise),
                            **kwargs)  # fmt: skip
