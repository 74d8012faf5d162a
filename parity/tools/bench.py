"""Benchmarks: the ports against diffusers on a user's loop, in one run (`make bench`, or `python -m parity.tools.bench`).

Each case is a scheduler (DDIM with Stable Diffusion 1.5's config, DDPM with its defaults), a latent shape and a
dtype, and a user's 50-step loop on it (the model output fixed, so only the scheduler is timed; the port evaluates
`prev_sample` after each step, as a loop with a model between the steps must). Two tables, as ratios port /
diffusers measured in the same run:

- cold start: the first loop in a new process, timed from the first step to the last evaluation (imports and the
  scheduler built before the clock starts). The port runs twice in a kernel cache of its own (TMPDIR, where MLX's
  CPU backend keeps the C++ it builds for compiled functions: $TMPDIR/mlx/<version>/cpu): first empty, as on a first
  run, in a CI job or after an MLX upgrade, then warm. The reference runs once per case, the port's two runs after it.
- warm: in one long-lived process per side, after a warm-up, round by round in alternating order until the case has
  had its time budget: the median 50-step loop, the same per step, and one mid-schedule step called 50 times.

Each side runs in its own processes (parity/tools/bench_loops.py): measured before, an MLX loop ran 25 to 55% slower
in a process where torch had run. torch runs on one thread, as MLX's CPU kernels do.

Benchmarks are never tests: nothing here fails because a machine is slow. `--quick`: one round per warm case, and
cold starts at the smallest and largest shape only.
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

from .bench_loops import STEPS, worker

SHAPES = {
    "1x4x64x64": (1, 4, 64, 64),
    "1x4x128x128": (1, 4, 128, 128),
    "4x4x64x64": (4, 4, 64, 64),
    "4x4x128x128": (4, 4, 128, 128),
}
SCHEDULERS = ("ddim", "ddpm")
DTYPES = ("float32", "bfloat16")
KINDS = {"reference": ("loop", "step"), "port": ("loop", "step")}
EXTRA_PORT_KINDS = {"ddpm": ("noise given",)}


class Workers:
    """The two worker processes, reference and port."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.connections, self.processes = {}, []
        for side in KINDS:
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


def measure_warm(workers: Workers, case: tuple, budget: float, minimum: int) -> dict[str, float]:
    """Median milliseconds of each (side, kind) run, round by round in alternating order, after a warm-up."""
    jobs = [(side, kind) for side, kinds in KINDS.items() for kind in kinds]
    jobs += [("port", kind) for kind in EXTRA_PORT_KINDS.get(case[0], ())]
    for _ in range(2):  # warm up: first-use costs paid, caches filled
        for side, kind in jobs:
            workers.ask(side, "time", *case, kind)
    times: dict[tuple[str, str], list[float]] = {job: [] for job in jobs}
    start, rounds = time.perf_counter(), 0
    while rounds < minimum or time.perf_counter() - start < budget:
        for job in jobs if rounds % 2 == 0 else reversed(jobs):
            times[job].append(workers.ask(job[0], "time", *case, job[1]))
        rounds += 1
    return {f"{side} {kind}": statistics.median(v) * 1e3 for (side, kind), v in times.items()}


def cold_loop(side: str, case: tuple, cache: str, kind: str = "loop") -> float:
    """Milliseconds of the first loop of `case` in a new process whose MLX kernel cache is the folder `cache`."""
    scheduler_name, dtype, shape = case
    command = [sys.executable, "-m", "parity.tools.bench_loops", "cold", side, scheduler_name, dtype]
    done = subprocess.run(
        [*command, "x".join(map(str, shape)), kind], env={**os.environ, "TMPDIR": cache}, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"cold-start run failed ({side} {case}):\n{done.stderr}")
    return float(done.stdout) * 1e3


def measure_cold(case: tuple) -> dict[str, float]:
    """The reference's first loop in a new process, then the port's in two new processes sharing a new kernel
    cache: empty for the first, warm for the second (and DDPM's with the noise handed in, in a third)."""
    with tempfile.TemporaryDirectory() as cache:
        ms = {"reference": cold_loop("reference", case, cache), "empty": cold_loop("port", case, cache)}
        ms["kernels"] = sum(len(files) for _, _, files in os.walk(os.path.join(cache, "mlx")))
        ms["warm"] = cold_loop("port", case, cache)
        for kind in EXTRA_PORT_KINDS.get(case[0], ()):
            ms[kind] = cold_loop("port", case, cache, kind)
    return ms


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=1.5, help="seconds of warm rounds per case (default 1.5)")
    parser.add_argument("--quick", action="store_true", help="one warm round per case; cold at two shapes only")
    parser.add_argument("--scheduler", action="append", choices=SCHEDULERS, help="only these schedulers")
    parser.add_argument("--shape", action="append", choices=SHAPES, help="only these shapes")
    parser.add_argument("--dtype", action="append", choices=DTYPES, help="only these dtypes")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold starts")
    args = parser.parse_args(argv)
    budget, minimum = (0.0, 1) if args.quick else (args.budget, 5)
    schedulers = args.scheduler or SCHEDULERS
    shapes = args.shape or list(SHAPES)
    dtypes = args.dtype or DTYPES
    cases = [(s, d, SHAPES[shape]) for s in schedulers for d in dtypes for shape in shapes]
    names = {SHAPES[shape]: shape for shape in SHAPES}
    ratios: dict[str, list[float]] = {}

    def ratio(port: float, reference: float, group: str) -> str:
        ratios.setdefault(group, []).append(port / reference)
        return f"{port:9.2f} {port / reference:6.2f}"

    if not args.no_cold:
        cold_shapes = [s for s in shapes if not args.quick or s in ("1x4x64x64", "4x4x128x128")]
        print(f"cold start: the first {STEPS}-step loop in a new process, ms (ratio to diffusers' first loop)")
        print(
            f"{'scheduler':10} {'dtype':9} {'shape':12} {'diffusers':>9} {'empty cache':>16} {'warm cache':>16}"
            f" {'kernels built':>13}  {'noise given':>16}"
        )
        for case in cases:
            if names[case[2]] not in cold_shapes:
                continue
            ms = measure_cold(case)
            group = f"cold, {case[0]} {case[1]}"
            line = (
                f"{case[0]:10} {case[1]:9} {names[case[2]]:12} {ms['reference']:9.2f}"
                f" {ratio(ms['empty'], ms['reference'], group)} {ratio(ms['warm'], ms['reference'], group)}"
                f" {ms['kernels']:13}"
            )
            if "noise given" in ms:
                line += f"  {ratio(ms['noise given'], ms['reference'], group + ', noise given')}"
            print(line, flush=True)

    print("\nwarm: medians in a long-lived process, ms (ratio to diffusers)")
    print(
        f"{'scheduler':10} {'dtype':9} {'shape':12} {f'{STEPS}-step loop':>18} {'':9} {'per step':>16}"
        f" {'one step':>24}  port, noise given"
    )
    print(
        f"{'':33} {'diffusers':>9} {'port':>9} {'ratio':>6} {'diffusers':>9} {'port':>6}"
        f" {'diffusers':>9} {'port':>9} {'ratio':>6}  {'loop':>9} {'ratio':>6}"
    )
    workers = Workers()
    try:
        for case in cases:
            ms = measure_warm(workers, case, budget, minimum)
            group = f"warm, {case[0]} {case[1]}"
            line = (
                f"{case[0]:10} {case[1]:9} {names[case[2]]:12} {ms['reference loop']:9.2f}"
                f" {ratio(ms['port loop'], ms['reference loop'], group)}"
                f" {ms['reference loop'] / STEPS:9.3f} {ms['port loop'] / STEPS:6.3f}"
                f" {ms['reference step'] / STEPS:9.3f} {ms['port step'] / STEPS:9.3f}"
                f" {ms['port step'] / ms['reference step']:6.2f}"
            )
            if "port noise given" in ms:
                line += f"  {ratio(ms['port noise given'], ms['reference loop'], group + ', noise given')}"
            print(line, flush=True)
    finally:
        workers.close()

    print("\nratio: port / diffusers (under 1: the port is faster). Each table's ratios, best to worst:")
    for group, values in ratios.items():
        print(f"  {group}: {min(values):.2f} to {max(values):.2f}")
    print(
        "bfloat16 is slower in MLX than in torch: MLX's CPU half-precision arithmetic is not vectorized. DDPM's loop"
        " draws its noise from an MLX key (MLX's CPU normal sampler); 'noise given' is the same loop without it."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
