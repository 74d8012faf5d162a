"""What `make bench` times, each side in its own worker process (see parity/tools/bench.py for why and for the table).

The reference's worker imports torch and diffusers and never MLX; the port's imports mlx_ddim and never torch.
A worker builds each case's loops once and then answers timing requests from the coordinator over a pipe.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

STEPS = 50

Loops = dict[str, Callable[[], object]]


def inputs(shape: tuple[int, ...]) -> list[np.ndarray]:
    """sample and model_output, float32 standard normal, the same on both sides."""
    rng = np.random.default_rng(0)
    return [rng.standard_normal(shape).astype(np.float32) for _ in range(2)]


def reference_loops(config: dict, dtype: str, shape: tuple[int, ...]) -> Loops:
    """ "loop": diffusers' 50-step loop; "step": 50 calls of one mid-schedule step on the same inputs."""
    from parity.entries.ddim import reference

    scheduler = reference.build(config)
    scheduler.set_timesteps(STEPS)
    sample, model_output = (reference.to_torch(a, dtype) for a in inputs(shape))
    middle = scheduler.timesteps[STEPS // 2]

    def loop():
        current = sample
        for t in scheduler.timesteps:
            current = scheduler.step(model_output, t, current).prev_sample

    def step():
        for _ in range(STEPS):
            scheduler.step(model_output, middle, sample)

    return {"loop": loop, "step": step}


def _port_case(config: dict, dtype: str, shape: tuple[int, ...]):
    """The port's scheduler, set to STEPS steps, and its evaluated (sample, model_output)."""
    import mlx.core as mx

    from mlx_ddim import DDIMScheduler
    from parity import port

    scheduler = DDIMScheduler(**config)
    scheduler.set_timesteps(STEPS)
    sample, model_output = (port.to_mlx(a, dtype) for a in inputs(shape))
    mx.eval(sample, model_output)
    return scheduler, sample, model_output


def port_loops(config: dict, dtype: str, shape: tuple[int, ...]) -> Loops:
    """The port's loops, each step evaluated before the next. "loop": `mx.eval(prev_sample)`, as a pipeline
    does; "both": both outputs evaluated, as the reference always computes them; "step": 50 calls of one
    mid-schedule step; "uncompiled": "both" without compiled kernels (the structure half precision and GPUs run).
    """
    import mlx.core as mx

    from mlx_ddim import scheduling_ddim

    scheduler, sample, model_output = _port_case(config, dtype, shape)
    middle = scheduler.timesteps[STEPS // 2]
    mx.eval(middle)

    def run(both: bool):
        current = sample
        for t in scheduler.timesteps:
            out = scheduler.step(model_output, t, current)
            mx.eval(out.prev_sample, out.pred_original_sample) if both else mx.eval(out.prev_sample)
            current = out.prev_sample

    def step():
        for _ in range(STEPS):
            mx.eval(scheduler.step(model_output, middle, sample).prev_sample)

    def uncompiled():
        compiles = scheduling_ddim.compiles
        scheduling_ddim.compiles = lambda model_output, sample: False
        try:
            run(both=True)
        finally:
            scheduling_ddim.compiles = compiles

    return {"loop": lambda: run(False), "both": lambda: run(True), "step": step, "uncompiled": uncompiled}


def peak_memory(config: dict, dtype: str, shape: tuple[int, ...]) -> tuple[int, int]:
    """Peak MLX memory in bytes of a fresh 50-step loop, after 5 steps and after 50."""
    import mlx.core as mx

    scheduler, sample, model_output = _port_case(config, dtype, shape)
    mx.clear_cache()
    mx.reset_peak_memory()
    peaks = []
    current = sample
    for index, t in enumerate(scheduler.timesteps):
        current = scheduler.step(model_output, t, current).prev_sample
        mx.eval(current)
        if index + 1 in (5, STEPS):
            peaks.append(mx.get_peak_memory())
    return peaks[0], peaks[1]


def eta_sweep(shape: tuple[int, ...] = (1, 4, 64, 64), count: int = 10) -> tuple[float, float]:
    """(median seconds of a step at a new eta, median at a known eta): a new eta must not recompile."""
    import mlx.core as mx

    scheduler, sample, model_output = _port_case({}, "float32", shape)
    noise = mx.zeros(shape)
    t = scheduler.timesteps[10]
    mx.eval(noise, t)

    def one(eta: float) -> float:
        start = time.perf_counter()
        mx.eval(scheduler.step(model_output, t, sample, eta=eta, variance_noise=noise).prev_sample)
        return time.perf_counter() - start

    one(0.05)
    new = [one(0.1 + 0.08 * i) for i in range(count)]
    known = [one(0.1) for _ in range(count)]
    return float(np.median(new)), float(np.median(known))


def worker(side: str, connection: Any) -> None:
    """Serve requests until "stop": ("time", config, dtype, shape, kind) -> seconds of one run of that loop;
    ("call", name, args) -> the result of a function of this module."""
    build = reference_loops if side == "reference" else port_loops
    cases: dict[str, Loops] = {}
    while True:
        request = connection.recv()
        if request[0] == "stop":
            return
        if request[0] == "call":
            connection.send(globals()[request[1]](*request[2]))
            continue
        _, config, dtype, shape, kind = request
        key = repr((config, dtype, shape))
        if key not in cases:
            cases[key] = build(config, dtype, shape)
        start = time.perf_counter()
        cases[key][kind]()
        connection.send(time.perf_counter() - start)
