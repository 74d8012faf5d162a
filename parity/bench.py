"""Benchmarks: the port against diffusers in one run (`make bench`, or `python -m parity.bench`).

For each config, dtype and latent shape, the reference's and the port's 50-step loops run interleaved (the order
alternating), each repeated until the case has had its time budget; the table quotes medians per step and the
ratio port / reference. The port's loop evaluates both outputs of every step before the next (`mx.eval`), as a
loop with a model between the steps must. The model output is fixed, so only the scheduler is timed.

Also measured in the same run, because they depend on the machine and its load:
- copy bandwidth (numpy), for the roofline: a step must read model_output and sample and write prev_sample and
  pred_original_sample, so its time is at least those bytes over the copy bandwidth. Quoted against two
  bandwidths: a large copy (main memory, the issue's definition) and a copy of the step's own size (the cache it
  actually runs in, a stricter bound).
- the same loops without compiled kernels, to justify compiling on this backend;
- peak memory after 5 and after 50 steps (`mx.get_peak_memory`): it must not grow with the steps;
- the first call of a compiled step (kernels built by the C++ compiler, on an empty kernel cache), and a sweep
  of new eta values, which must not recompile.

Benchmarks are never tests: nothing here fails because a machine is slow. `--quick` runs one repetition.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import mlx.core as mx
import numpy as np

from mlx_ddim import scheduling_ddim

from . import port, reference
from .cases import make_pair

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
STEPS = 50
GOAL_RATIO = 0.4  # the port's loop over the reference's, every float32 case (issue 6)
GOAL_ROOFLINE = 2.0  # step time over the copy-bandwidth bound, the two largest shapes


def copy_bandwidth(nbytes: int, repeats: int = 30) -> float:
    """Bytes per second that numpy copies between two preallocated arrays of `nbytes` each (read + write)."""
    source = np.random.default_rng(0).random(nbytes // 8)
    target = np.empty_like(source)
    np.copyto(target, source)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.copyto(target, source)
        times.append(time.perf_counter() - start)
    return 2 * source.nbytes / statistics.median(times)


def reference_loop(config: dict, dtype: str, shape: tuple[int, ...]) -> Callable[[], object]:
    pair = make_pair(**config)
    pair.torch.set_timesteps(STEPS)
    sample, model_output = (reference.to_torch(a, dtype) for a in _inputs(shape))

    def loop():
        current = sample
        for t in pair.torch.timesteps:
            current = pair.torch.step(model_output, t, current).prev_sample
        return current

    return loop


def reference_step(config: dict, dtype: str, shape: tuple[int, ...]) -> Callable[[], object]:
    """STEPS calls of one mid-schedule step on the same inputs."""
    pair = make_pair(**config)
    pair.torch.set_timesteps(STEPS)
    sample, model_output = (reference.to_torch(a, dtype) for a in _inputs(shape))
    t = pair.torch.timesteps[STEPS // 2]

    def steps():
        for _ in range(STEPS):
            pair.torch.step(model_output, t, sample)

    return steps


def port_step(config: dict, dtype: str, shape: tuple[int, ...]) -> Callable[[], object]:
    scheduler = make_pair(**config).port
    scheduler.set_timesteps(STEPS)
    sample, model_output = (port.to_mlx(a, dtype) for a in _inputs(shape))
    t = scheduler.timesteps[STEPS // 2]
    mx.eval(sample, model_output, t)

    def steps():
        for _ in range(STEPS):
            out = scheduler.step(model_output, t, sample)
            mx.eval(out.prev_sample)

    return steps


def port_loop(config: dict, dtype: str, shape: tuple[int, ...], both: bool = False) -> Callable[[], object]:
    """The loop a pipeline runs: `mx.eval` of the latents (prev_sample) after each step; with `both`, also of
    pred_original_sample, which the reference always computes and a lazy MLX loop only when asked."""
    scheduler = make_pair(**config).port
    scheduler.set_timesteps(STEPS)
    sample, model_output = (port.to_mlx(a, dtype) for a in _inputs(shape))
    mx.eval(sample, model_output)

    def loop():
        current = sample
        for t in scheduler.timesteps:
            out = scheduler.step(model_output, t, current)
            mx.eval(out.prev_sample, out.pred_original_sample) if both else mx.eval(out.prev_sample)
            current = out.prev_sample
        return current

    return loop


def _inputs(shape: tuple[int, ...]) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    return [rng.standard_normal(shape).astype(np.float32) for _ in range(2)]


def interleaved(loops: dict[str, Callable[[], object]], budget: float, minimum: int = 3) -> dict[str, float]:
    """Median seconds of each loop, run in alternating order until `budget` seconds (at least `minimum` rounds)."""
    for loop in loops.values():  # warm up: kernels built, caches filled
        loop()
    times: dict[str, list[float]] = {name: [] for name in loops}
    names = list(loops)
    start = time.perf_counter()
    rounds = 0
    while rounds < minimum or time.perf_counter() - start < budget:
        for name in names if rounds % 2 == 0 else reversed(names):
            begin = time.perf_counter()
            loops[name]()
            times[name].append(time.perf_counter() - begin)
        rounds += 1
    return {name: statistics.median(values) for name, values in times.items()}


def uncompiled(loop: Callable[[], object]) -> Callable[[], object]:
    """`loop` as the port would run without compiling: the plain structure (x_0 computed once, torch.clamp) as
    separate ops, which is what half precision and GPUs run (`scheduling_ddim._compiles`)."""

    def run():
        compiles = scheduling_ddim._compiles
        scheduling_ddim._compiles = lambda model_output, sample: False
        try:
            return loop()
        finally:
            scheduling_ddim._compiles = compiles

    return run


def step_bytes(shape: tuple[int, ...], dtype: str) -> int:
    """Bytes a step must move at the least: read model_output and sample, write its two outputs."""
    return 4 * int(np.prod(shape)) * np.dtype(np.float32 if dtype == "float32" else np.float16).itemsize


def peak_memory(config: dict, dtype: str, shape: tuple[int, ...]) -> tuple[float, float]:
    """Peak MLX memory (MB) of a fresh loop after 5 steps and after 50."""
    scheduler = make_pair(**config).port
    scheduler.set_timesteps(STEPS)
    sample, model_output = (port.to_mlx(a, dtype) for a in _inputs(shape))
    mx.eval(sample, model_output)
    mx.clear_cache()
    mx.reset_peak_memory()
    peaks = []
    current = sample
    for index, t in enumerate(scheduler.timesteps):
        out = scheduler.step(model_output, t, current)
        mx.eval(out.prev_sample, out.pred_original_sample)
        current = out.prev_sample
        if index + 1 in (5, STEPS):
            peaks.append(mx.get_peak_memory() / 1e6)
    return peaks[0], peaks[1]


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
            [sys.executable, "-c", COLD_START],
            env={**os.environ, "TMPDIR": folder},
            capture_output=True,
            text=True,
            check=True,
        )
    first, _, third = (float(v) for v in done.stdout.split())
    return first, third


def eta_sweep(shape: tuple[int, ...] = (1, 4, 64, 64), count: int = 10) -> tuple[float, float]:
    """(median first step at a new eta, median step at a known eta) in seconds: a new eta must not recompile."""
    scheduler = make_pair().port
    scheduler.set_timesteps(STEPS)
    sample, model_output = (port.to_mlx(a, "float32") for a in _inputs(shape))
    noise = mx.zeros(shape)
    t = scheduler.timesteps[10]
    mx.eval(sample, model_output, noise, t)

    def one(eta):
        start = time.perf_counter()
        mx.eval(scheduler.step(model_output, t, sample, eta=eta, variance_noise=noise).prev_sample)
        return time.perf_counter() - start

    one(0.05)
    new = [one(0.1 + 0.08 * i) for i in range(count)]
    known = [one(0.1) for _ in range(count)]
    return statistics.median(new), statistics.median(known)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=3.0, help="seconds of repetitions per case (default 3)")
    parser.add_argument("--quick", action="store_true", help="one repetition per case, no extra measurements")
    parser.add_argument("--shape", action="append", choices=SHAPES, help="only these shapes")
    parser.add_argument("--config", action="append", choices=CONFIGS, help="only these configs")
    args = parser.parse_args(argv)
    budget, minimum = (0.0, 1) if args.quick else (args.budget, 3)
    shapes = {k: SHAPES[k] for k in args.shape or SHAPES}
    configs = {k: CONFIGS[k] for k in args.config or CONFIGS}

    import torch

    print(
        f"mlx {mx.__version__} ({mx.default_device()}), torch {torch.__version__} ({torch.get_num_threads()} threads)"
    )
    stream = copy_bandwidth(128 * 2**20)
    print(f"copy bandwidth, 128 MB arrays (main memory): {stream / 1e9:.1f} GB/s")
    sized = {name: copy_bandwidth(step_bytes(shape, "float32") // 2) for name, shape in shapes.items()}
    print(
        "copy bandwidth at each step's size (cache): " + ", ".join(f"{k} {v / 1e9:.1f} GB/s" for k, v in sized.items())
    )

    print(
        f"\n{'':40} {'one step, ms':^24} {f'{STEPS}-step loop, ms per step':^33} {'uncompiled':^16} {'roofline':^17}"
        f"\n{'config':16} {'dtype':8} {'shape':14} {'ref':>8} {'port':>8} {'ratio':>6} {'ref':>8} {'port':>8}"
        f" {'ratio':>6} {'port (2)':>8} {'port':>8} {'gain':>7} {'memory':>8} {'cache':>8}"
    )
    misses = []
    for config_name, config in configs.items():
        for dtype in DTYPES:
            for shape_name, shape in shapes.items():
                loops = {
                    "reference step": reference_step(config, dtype, shape),
                    "port step": port_step(config, dtype, shape),
                    "reference": reference_loop(config, dtype, shape),
                    "port": port_loop(config, dtype, shape),
                    "port, both outputs": port_loop(config, dtype, shape, both=True),
                }
                if not args.quick:
                    loops["uncompiled"] = uncompiled(port_loop(config, dtype, shape))
                ms = {k: v / STEPS * 1e3 for k, v in interleaved(loops, budget, minimum).items()}
                ratio = ms["port"] / ms["reference"]
                bound_ms = step_bytes(shape, dtype) * 1e3  # ms at 1 byte/s
                gain = f"{ms['uncompiled'] / ms['port']:.1f}x" if "uncompiled" in ms else ""
                print(
                    f"{config_name:16} {dtype:8} {shape_name:14}"
                    f" {ms['reference step']:8.3f} {ms['port step']:8.3f} {ms['port step'] / ms['reference step']:6.2f}"
                    f" {ms['reference']:8.3f} {ms['port']:8.3f} {ratio:6.2f} {ms['port, both outputs']:8.3f}"
                    f" {ms.get('uncompiled', float('nan')):8.3f} {gain:>7}"
                    f" {ms['port, both outputs'] / (bound_ms / stream):8.2f}"
                    f" {ms['port, both outputs'] / (bound_ms / sized[shape_name]):8.2f}",
                    flush=True,
                )
                if dtype == "float32" and ratio > GOAL_RATIO:
                    misses.append(f"{config_name} {shape_name}: ratio {ratio:.2f}")

    print(f"\nratio: port / reference, median ms per step of a {STEPS}-step loop (goal: <= {GOAL_RATIO} in float32);")
    print("port: mx.eval(prev_sample) each step, as a pipeline does; port (2): both outputs evaluated each step")
    print("uncompiled: the port's loop without compiled kernels (as half precision runs); gain: uncompiled / port")
    print("roofline: port (2) step time over (bytes both outputs must move / copy bandwidth), main memory and cache")
    print("goal misses: " + ("; ".join(misses) if misses else "none"))
    if args.quick:
        return 0

    print("\npeak MLX memory over one loop (MB), after 5 steps -> after 50:")
    for shape_name in ("4x128x128", "video 8x64x64"):
        for config_name, config in configs.items():
            five, fifty = peak_memory(config, "float32", SHAPES[shape_name])
            print(
                f"  {config_name:16} {shape_name:14} {five:8.1f} -> {fifty:8.1f}  {'flat' if fifty <= five else 'GROWS'}"
            )

    first, third = cold_start()
    print(
        f"\ncold start, empty kernel cache: first step {first * 1e3:.0f} ms (C++ kernels built), third {third * 1e3:.2f} ms"
    )
    new, known = eta_sweep()
    print(f"eta sweep: a step at a new eta {new * 1e3:.3f} ms, at a known eta {known * 1e3:.3f} ms (no recompile)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
