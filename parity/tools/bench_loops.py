"""What `make bench` times: a user's 50-step loop, on each side in its own process (see parity/tools/bench.py for why
and for the tables).

The reference's processes import torch and diffusers and never MLX; the port's import mlx and mlx_ddim and never
torch. A worker builds each case's loops once and answers timing requests from the coordinator over a pipe;
`python -m parity.tools.bench_loops cold SIDE SCHEDULER DTYPE SHAPE [KIND]` runs one case's first loop in a new
process and prints its seconds (the coordinator gives it an MLX kernel cache of its own: TMPDIR).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

STEPS = 50
# Stable Diffusion 1.5's scheduler config (its scheduler_config.json, as DDIMScheduler reads it), and DDPM's defaults
# (the DDPM paper's: linear betas, fixed_small, clipped x_0)
CONFIGS = {
    "ddim": {
        "beta_start": 0.00085,
        "beta_end": 0.012,
        "beta_schedule": "scaled_linear",
        "clip_sample": False,
        "set_alpha_to_one": False,
        "steps_offset": 1,
    },
    "ddpm": {},
}
CLASSES = {"ddim": "DDIMScheduler", "ddpm": "DDPMScheduler"}
TORCH_THREADS = 1  # MLX's CPU kernels run on one thread; so does the reference here

Loops = dict[str, Callable[[], object]]


def inputs(shape: tuple[int, ...]) -> list[np.ndarray]:
    """sample and model_output, float32 standard normal, the same on both sides."""
    rng = np.random.default_rng(0)
    return [rng.standard_normal(shape).astype(np.float32) for _ in range(2)]


def reference_loops(scheduler_name: str, dtype: str, shape: tuple[int, ...]) -> Loops:
    """The reference's loops. "loop": diffusers' 50-step loop (DDPM draws its noise from a torch.Generator);
    "step": 50 calls of one mid-schedule step on the same inputs."""
    import torch
    from diffusers.schedulers import scheduling_ddim, scheduling_ddpm

    torch.set_num_threads(TORCH_THREADS)
    module = scheduling_ddim if scheduler_name == "ddim" else scheduling_ddpm
    scheduler = getattr(module, CLASSES[scheduler_name])(**CONFIGS[scheduler_name])
    scheduler.set_timesteps(STEPS)
    sample, model_output = (torch.from_numpy(a).to(getattr(torch, dtype)) for a in inputs(shape))
    middle = scheduler.timesteps[STEPS // 2]
    extra = {"generator": torch.Generator().manual_seed(0)} if scheduler_name == "ddpm" else {}

    def loop():
        current = sample
        for t in scheduler.timesteps:
            current = scheduler.step(model_output, t, current, **extra).prev_sample

    def step():
        for _ in range(STEPS):
            scheduler.step(model_output, middle, sample, **extra)

    return {"loop": loop, "step": step}


def port_loops(scheduler_name: str, dtype: str, shape: tuple[int, ...]) -> Loops:
    """The port's loops, as a pipeline writes them: `mx.eval(prev_sample)` after each step (a model between the
    steps needs it). "loop": the 50-step loop (DDPM draws its noise from an MLX key split each step, as README's
    loop does); "noise given": DDPM's loop with the noise handed in (`variance_noise`), so without MLX's sampler;
    "step": 50 calls of one mid-schedule step."""
    import mlx.core as mx

    import mlx_ddim

    scheduler = getattr(mlx_ddim, CLASSES[scheduler_name])(**CONFIGS[scheduler_name])
    scheduler.set_timesteps(STEPS)
    sample, model_output = (mx.array(a).astype(getattr(mx, dtype)) for a in inputs(shape))
    noise = mx.random.normal(shape, dtype=getattr(mx, dtype), key=mx.random.key(1))
    middle = scheduler.timesteps[STEPS // 2]
    mx.eval(sample, model_output, noise, middle)

    def loop(given_noise: bool = False):
        current, key = sample, mx.random.key(0)
        for t in scheduler.timesteps:
            if scheduler_name == "ddim":
                current = scheduler.step(model_output, t, current).prev_sample
            elif given_noise:
                current = scheduler.step(model_output, t, current, variance_noise=noise).prev_sample
            else:
                key, step_key = mx.random.split(key)
                current = scheduler.step(model_output, t, current, generator=step_key).prev_sample
            mx.eval(current)

    extra = {"generator": mx.random.key(0)} if scheduler_name == "ddpm" else {}

    def step():
        for _ in range(STEPS):
            mx.eval(scheduler.step(model_output, middle, sample, **extra).prev_sample)

    loops = {"loop": loop, "step": step}
    if scheduler_name == "ddpm":
        loops["noise given"] = lambda: loop(given_noise=True)
    return loops


def worker(side: str, connection: Any) -> None:
    """Serve requests until "stop": ("time", scheduler, dtype, shape, kind) -> seconds of one run of that loop."""
    build = reference_loops if side == "reference" else port_loops
    cases: dict[tuple, Loops] = {}
    while True:
        request = connection.recv()
        if request[0] == "stop":
            return
        _, scheduler_name, dtype, shape, kind = request
        key = (scheduler_name, dtype, tuple(shape))
        if key not in cases:
            cases[key] = build(scheduler_name, dtype, tuple(shape))
        start = time.perf_counter()
        cases[key][kind]()
        connection.send(time.perf_counter() - start)


def cold(side: str, scheduler_name: str, dtype: str, shape: tuple[int, ...], kind: str = "loop") -> float:
    """Seconds of the first 50-step loop (of `kind`) in this process, from the first step to the last evaluation
    (the imports, the scheduler and its inputs are built before the clock starts, as a pipeline builds them)."""
    loops = (reference_loops if side == "reference" else port_loops)(scheduler_name, dtype, shape)
    start = time.perf_counter()
    loops[kind]()
    return time.perf_counter() - start


if __name__ == "__main__":
    command, side, scheduler_name, dtype, shape, *kind = sys.argv[1:]
    assert command == "cold", command
    print(cold(side, scheduler_name, dtype, tuple(int(v) for v in shape.split("x")), *kind))
