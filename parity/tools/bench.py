"""Benchmarks: the port against diffusers in one run (`make bench`, or `python -m parity.tools.bench`).

For each config, dtype and latent shape, the reference's and the port's 50-step loops run interleaved, round by
round in alternating order, until the case has had its time budget; the table quotes medians per step and the
ratio port / reference. The port's loop evaluates each step before the next (`mx.eval`), as a loop with a model
between the steps must. The model output is fixed, so only the scheduler is timed.

Each side runs in its own worker process (parity/tools/bench_loops.py): measured here, MLX's loop ran 20-50% slower in
a process where torch had run (torch's OpenMP threads stay busy after their work), which would bias the ratio.

Also measured in the same run, because they depend on the machine and its load:
- copy bandwidth (numpy), for the roofline: a step reads model_output and sample and writes prev_sample and
  pred_original_sample, so its time is at least those bytes over the copy bandwidth. Quoted against a large copy
  (main memory, the issue's definition) and a copy of the step's own size (the cache it runs in: stricter);
- the port's loops without compiled kernels, to justify compiling on this backend;
- peak memory after 5 and after 50 steps (`mx.get_peak_memory`): it must not grow with the steps;
- the first step in a process with an empty kernel cache (C++ kernels built), and a sweep of new eta values,
  which must not recompile.

Benchmarks are never tests: nothing here fails because a machine is slow. `--quick`: one round per case.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

from .bench_loops import STEPS, worker

SHAPES = {
    "64x64": (1, 4, 64, 64),
    "128x128": (1, 4, 128, 128),
    "4x128x128": (4, 4, 128, 128),
    "video 8x64x64": (1, 16, 8, 64, 64),
}
CONFIGS = {
    "default": {},
    "v+trailing+zsnr": {
        "prediction_type": "v_prediction",
        "timestep_spacing": "trailing",
        "rescale_betas_zero_snr": True,
        "clip_sample": False,
    },
    "thresholding": {"thresholding": True},
}
DTYPES = ("float32", "bfloat16")
GOAL_RATIO = 0.4  # the port's loop over the reference's, every float32 case (issue 6)
TIMINGS = {"reference": ("step", "loop"), "port": ("step", "loop", "both", "uncompiled")}


def copy_bandwidth(nbytes: int, repeats: int = 50) -> float:
    """Bytes per second (read + write) of the fastest of `repeats` numpy passes over `nbytes` of float32 into a
    preallocated array. The pass is np.negative, not np.copyto: copyto goes through memmove, whose strategy for
    some sizes measured 4 GB/s here against 50 at the sizes around them."""
    source = np.random.default_rng(0).random(max(nbytes // 4, 1)).astype(np.float32)
    target = np.empty_like(source)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        np.negative(source, out=target)
        best = min(best, time.perf_counter() - start)
    return 2 * source.nbytes / best


def step_bytes(shape: tuple[int, ...], dtype: str) -> int:
    """Bytes a step must move at the least: read model_output and sample, write its two outputs."""
    return 4 * int(np.prod(shape)) * (4 if dtype == "float32" else 2)


class Workers:
    """The two worker processes, reference and port."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.connections, self.processes = {}, []
        for side in TIMINGS:
            mine, theirs = context.Pipe()
            process = context.Process(target=worker, args=(side, theirs), daemon=True)
            process.start()
            self.connections[side], self.processes = mine, [*self.processes, process]

    def ask(self, side: str, *request):
        self.connections[side].send(request)
        return self.connections[side].recv()

    def close(self) -> None:
        for connection in self.connections.values():
            connection.send(("stop",))
        for process in self.processes:
            process.join(timeout=30)


def measure_case(workers: Workers, case: tuple, budget: float, minimum: int, kinds: dict) -> dict[str, float]:
    """Median milliseconds per step of each (side, kind), run round by round in alternating order."""
    jobs = [(side, kind) for side, side_kinds in kinds.items() for kind in side_kinds]
    for side, kind in jobs:  # warm up: kernels built, caches filled
        workers.ask(side, "time", *case, kind)
    times: dict[tuple[str, str], list[float]] = {job: [] for job in jobs}
    start, rounds = time.perf_counter(), 0
    while rounds < minimum or time.perf_counter() - start < budget:
        for job in jobs if rounds % 2 == 0 else reversed(jobs):
            times[job].append(workers.ask(job[0], "time", *case, job[1]))
        rounds += 1
    return {f"{side} {kind}": statistics.median(v) / STEPS * 1e3 for (side, kind), v in times.items()}


COLD_START = """
import time, mlx.core as mx, numpy as np
from mlx_ddim import DDIMScheduler
s = DDIMScheduler(); s.set_timesteps(50)
x = mx.array(np.ones((1, 4, 64, 64), np.float32)); mx.eval(x)
times = []
for t in s.timesteps[:3]:
    start = time.perf_counter(); mx.eval(s.step(x, t, x).prev_sample); times.append(time.perf_counter() - start)
print(*times)
"""


def cold_start() -> tuple[float, float]:
    """(first step, third step) in seconds in a new process whose MLX kernel cache is empty (a fresh TMPDIR)."""
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, "-c", COLD_START], env={**os.environ, "TMPDIR": folder}, capture_output=True, text=True
        )
    if done.returncode != 0:
        raise RuntimeError(f"cold-start probe failed:\n{done.stderr}")
    first, _, third = (float(v) for v in done.stdout.split())
    return first, third


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=3.0, help="seconds of rounds per case (default 3)")
    parser.add_argument("--quick", action="store_true", help="one round per case, no extra measurements")
    parser.add_argument("--shape", action="append", choices=SHAPES, help="only these shapes")
    parser.add_argument("--config", action="append", choices=CONFIGS, help="only these configs")
    args = parser.parse_args(argv)
    budget, minimum = (0.0, 1) if args.quick else (args.budget, 3)
    shapes = {k: SHAPES[k] for k in args.shape or SHAPES}
    configs = {k: CONFIGS[k] for k in args.config or CONFIGS}

    stream = copy_bandwidth(128 * 2**20)
    sized = {name: copy_bandwidth(step_bytes(shape, "float32") // 2) for name, shape in shapes.items()}
    print(
        f"copy bandwidth (a numpy pass, best of 50): 128 MB arrays {stream / 1e9:.1f} GB/s (main memory); at each step's"
    )
    print("size (cache): " + ", ".join(f"{k} {v / 1e9:.1f} GB/s" for k, v in sized.items()))
    print(
        f"\n{'':40} {'one step, ms':^24} {f'{STEPS}-step loop, ms per step':^33} {'uncompiled':^16} {'roofline':^17}"
        f"\n{'config':16} {'dtype':8} {'shape':14} {'ref':>8} {'port':>8} {'ratio':>6} {'ref':>8} {'port':>8}"
        f" {'ratio':>6} {'port (2)':>8} {'port (2)':>8} {'gain':>7} {'memory':>8} {'cache':>8}"
    )

    workers = Workers()
    misses = []
    try:
        for config_name, config in configs.items():
            for dtype in DTYPES:
                for shape_name, shape in shapes.items():
                    kinds = {"reference": TIMINGS["reference"], "port": TIMINGS["port"][: 3 if args.quick else 4]}
                    ms = measure_case(workers, (config, dtype, shape), budget, minimum, kinds)
                    ratio = ms["port loop"] / ms["reference loop"]
                    bound = step_bytes(shape, dtype) * 1e3  # ms at one byte per second
                    uncompiled = ms.get("port uncompiled", float("nan"))
                    print(
                        f"{config_name:16} {dtype:8} {shape_name:14}"
                        f" {ms['reference step']:8.3f} {ms['port step']:8.3f} {ms['port step'] / ms['reference step']:6.2f}"
                        f" {ms['reference loop']:8.3f} {ms['port loop']:8.3f} {ratio:6.2f} {ms['port both']:8.3f}"
                        f" {uncompiled:8.3f} {uncompiled / ms['port both']:6.1f}x"
                        f" {ms['port both'] / (bound / stream):8.2f} {ms['port both'] / (bound / sized[shape_name]):8.2f}",
                        flush=True,
                    )
                    if dtype == "float32" and ratio > GOAL_RATIO:
                        misses.append(f"{config_name} {shape_name} {ratio:.2f}")

        print(f"\nratio: port / reference, median ms per step (goal: <= {GOAL_RATIO} for the float32 loops);")
        print("port: mx.eval(prev_sample) after each step, as a pipeline does; port (2): both outputs evaluated;")
        print("uncompiled: port (2) without compiled kernels (as half precision runs); gain: uncompiled / port (2);")
        print("roofline: port (2) time over (bytes both outputs must move / copy bandwidth), main memory and cache.")
        print("goal misses: " + ("; ".join(misses) if misses else "none"))
        if args.quick:
            return 0

        print(f"\npeak MLX memory of one {STEPS}-step float32 loop (bytes), after 5 steps -> after {STEPS}:")
        for shape_name in ("4x128x128", "video 8x64x64"):
            for config_name, config in configs.items():
                five, fifty = workers.ask("port", "call", "peak_memory", (config, "float32", SHAPES[shape_name]))
                verdict = "flat" if fifty <= five else f"GROWS by {fifty - five} bytes"
                print(f"  {config_name:16} {shape_name:14} {five:>12,} -> {fifty:>12,}  {verdict}")
        new, known = workers.ask("port", "call", "eta_sweep", ())
        print(f"eta sweep: a step at a new eta {new * 1e3:.3f} ms, at a known eta {known * 1e3:.3f} ms")
    finally:
        workers.close()
    first, third = cold_start()
    print(
        f"cold start, empty kernel cache: first step {first * 1e3:.0f} ms (C++ kernels built), third {third * 1e3:.3f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
