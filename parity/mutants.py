"""Mutation testing of the gate: `python -m parity.mutants` (also `make mutants`).

Each mutant is a realistic porting bug, written as one textual replacement in the port's source. It is applied in
a temporary copy of the project (never in the working tree), the parity gate runs there (ci profile, stopping at
the first failure, fast test files first), and the table says which check killed it and how long that took.
The run exits non-zero if any catalog mutant survives: a gate that passes a broken port is worse than none.
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CATALOG", "GenericMutant", "Mutant", "apply", "generic_mutants", "mutated", "run_mutant"]

ROOT = Path(__file__).resolve().parent.parent
PORT = "mlx_ddim/scheduling_ddim.py"
# Fast, targeted files first, so a mutant dies in seconds; the properties last.
TEST_ORDER = [
    "parity/test_float32_arith.py",
    "parity/test_schedule.py",
    "parity/test_timesteps.py",
    "parity/test_errors.py",
    "parity/test_step.py",
    "parity/test_noise.py",
    "parity/test_generator.py",
    "parity/test_config.py",
    "parity/test_surface.py",
    "parity/test_trajectory.py",
    "parity/test_fixtures.py",
    "parity/test_properties.py",
    "parity/test_port_only.py",
]


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    old: str
    new: str
    why: str


@dataclass(frozen=True)
class GenericMutant:
    """A mechanical mutation at one token: an operator swapped or a constant nudged."""

    path: str
    line: int
    column: int
    old: str
    new: str

    @property
    def name(self) -> str:
        return f"{Path(self.path).name}:{self.line}:{self.column} {self.old} -> {self.new}"


GENERIC_SOURCES = ("mlx_ddim/scheduling_ddim.py", "mlx_ddim/quantile.py", "mlx_ddim/torch_float32.py")
SWAPS = {"+": "-", "-": "+", "*": "/", "/": "*", "//": "/", "<": "<=", "<=": "<", ">": ">=", ">=": ">",
         "==": "!=", "!=": "=="}  # fmt: skip


# Generic mutants shown to be equivalent (no observable change), by name, with the reason. A survivor not listed
# here means the suite must be strengthened.
EQUIVALENT = {
    "quantile.py:40:32 > -> >=": "`error >= 0` differs from `error > 0` only where the error is 0, and `inexact` "
    "already requires a nonzero error, so the nudge direction is never used there",
    "quantile.py:40:47 > -> >=": "`total >= 0` differs from `total > 0` only where the float64 sum is 0, which (with "
    "gradual underflow) happens only when it is exact: a zero error, so `inexact` is false",
    "scheduling_ddim.py:107:23 * -> /": "copysign(1, x) is +1 or -1, and multiplying or dividing by it is the same",
    "scheduling_ddim.py:718:105 0 -> 1": "the flag only chooses between two clipping forms that give the same values "
    "for every clip_sample_range > 0 (selects or min/max): a range in (0, 1] is clamped, slower, to the same numbers",
    "scheduling_ddim.py:718:103 > -> >=": "with clip_sample_range 0 the selects differ from min/max only in the sign "
    "of a zero x_0, which the comparator, like ==, does not tell apart",
    "scheduling_ddim.py:781:42 > -> >=": "at eta = 0 sigma_t is gathered too, but no noise is added, so it is never read",
    "torch_float32.py:39:29 > -> >=": "`error >= 0` differs only where the error is 0, where `inexact` is false",
    "torch_float32.py:47:24 0 -> 1": "unreachable: num_train_timesteps >= 1 is checked before any linspace",
    "scheduling_ddim.py:598:58 >= -> >": "only a schedule holding exactly -size (a steps_offset of -N) changes: its "
    "array timesteps are read back and looked up on the host, the same values at the cost of one synchronisation",
}


def _nudged(number: str) -> str | None:
    try:
        value = int(number)
    except ValueError:
        try:
            return repr(float(number) * 1.001 if float(number) else 1e-3)
        except ValueError:
            return None
    return str(value + 1)


def generic_mutants(count: int, seed: int = 0) -> list[GenericMutant]:
    """`count` mutation sites drawn reproducibly (seeded) from every operator and number in the port's code
    (docstrings, comments and strings are tokens of their own and never mutated)."""
    sites = []
    for path in GENERIC_SOURCES:
        text = (ROOT / path).read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            line, column = token.start
            if token.type == tokenize.OP and token.string in SWAPS:
                sites.append(GenericMutant(path, line, column, token.string, SWAPS[token.string]))
            elif token.type == tokenize.NUMBER and (new := _nudged(token.string)) is not None:
                sites.append(GenericMutant(path, line, column, token.string, new))
    random.Random(seed).shuffle(sites)
    chosen = []
    for site in sites:
        if len(chosen) == count:
            break
        if _parses(mutated(site)):  # `*args` is not a product: no `/args`
            chosen.append(site)
    return chosen


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


CATALOG = [
    Mutant(
        "prev-timestep-from-spacing-ratio",
        PORT,
        "        step_ratio = self.config.num_train_timesteps // self.num_inference_steps\n\n        size = ",
        "        step_ratio = round(self.config.num_train_timesteps / self.num_inference_steps)\n\n        size = ",
        "a port that 'fixes' the reference's quirk: the previous timestep from the spacing's own (rounded) ratio",
    ),
    Mutant(
        "true-division-leading-ratio",
        PORT,
        "            step_ratio = self.config.num_train_timesteps // self.num_inference_steps\n            # creates",
        "            step_ratio = self.config.num_train_timesteps / self.num_inference_steps\n            # creates",
        "`/` for `//` when translating the leading spacing",
    ),
    Mutant(
        "steps-offset-dropped",
        PORT,
        "            timesteps += self.config.steps_offset\n",
        "",
        "steps_offset looks like a no-op at its default 0 and is easy to lose",
    ),
    Mutant(
        "steps-offset-on-trailing",
        PORT,
        "            timesteps -= 1\n",
        "            timesteps -= 1\n            timesteps += self.config.steps_offset\n",
        "applying the offset to every spacing, as some other schedulers do",
    ),
    Mutant(
        "final-alpha-swapped",
        PORT,
        "np.float32(1.0) if set_alpha_to_one else alphas_cumprod[0]",
        "alphas_cumprod[0] if set_alpha_to_one else np.float32(1.0)",
        "set_alpha_to_one read the wrong way round",
    ),
    Mutant(
        "variance-ratio-inverted",
        PORT,
        "    return (beta_prod_t_prev / beta_prod_t) * (1 - alpha_prod_t / alpha_prod_t_prev)",
        "    return (beta_prod_t / beta_prod_t_prev) * (1 - alpha_prod_t / alpha_prod_t_prev)",
        "formula (16)'s ratio of (1 - alpha) terms written upside down",
    ),
    Mutant(
        "eta-on-variance",
        PORT,
        "std_dev_t = np.sqrt(variance) * eta",
        "std_dev_t = np.sqrt(variance * eta)",
        "eta applied to the variance instead of the standard deviation",
    ),
    Mutant(
        "direction-without-std",
        PORT,
        "direction_coefficient = np.sqrt(1 - alpha_prod_t_prev - std_dev_t * std_dev_t)",
        "direction_coefficient = np.sqrt(1 - alpha_prod_t_prev)",
        "the direction term of formula (12) without `- sigma_t**2`, right only for eta = 0",
    ),
    Mutant(
        "epsilon-formula-swapped-roots",
        PORT,
        "_divide(sample - _scale(sqrt_beta_prod_t, model_output), sqrt_alpha_prod_t)",
        "_divide(sample - _scale(sqrt_alpha_prod_t, model_output), sqrt_beta_prod_t)",
        "x0 from epsilon with the two square roots swapped",
    ),
    Mutant(
        "sample-formula-wrong-root",
        PORT,
        "_epsilon_from_original_sample(sample, model_output, sqrt_alpha_prod_t, sqrt_beta_prod_t)",
        "_epsilon_from_original_sample(sample, model_output, sqrt_alpha_prod_t, sqrt_alpha_prod_t)",
        "epsilon from a predicted sample divided by the wrong root",
    ),
    Mutant(
        "v-prediction-sign",
        PORT,
        "_scale(sqrt_alpha_prod_t, sample) - _scale(sqrt_beta_prod_t, model_output)",
        "_scale(sqrt_alpha_prod_t, sample) + _scale(sqrt_beta_prod_t, model_output)",
        "the v-prediction sign flipped (v = alpha * eps - sigma * x0)",
    ),
    Mutant(
        "clip-after-threshold",
        PORT,
        "        if config.clip_sample and not thresholding:",
        "        if config.clip_sample:",
        "clipping applied on top of thresholding (the reference: thresholding wins)",
    ),
    Mutant(
        "clip-range-ignored",
        PORT,
        "            r = self.config.clip_sample_range\n",
        "            r = 1.0\n",
        "clip_sample_range hard-coded to its default",
    ),
    Mutant(
        "clipped-model-output-ignored",
        PORT,
        "    if use_clipped_model_output:\n",
        "    if False:\n",
        "use_clipped_model_output accepted but not honoured",
    ),
    Mutant(
        "quantile-nearest-rank",
        "mlx_ddim/quantile.py",
        "    values = _fma_float32(mx.broadcast_to(coefficient, low.shape), high - low, base)",
        "    values = mx.sort(x, axis=1)[:, round(float(rank))]",
        "np.percentile-style nearest rank instead of torch's linear interpolation",
    ),
    Mutant(
        "quantile-lerp-without-fma",
        "mlx_ddim/quantile.py",
        "    values = _fma_float32(mx.broadcast_to(coefficient, low.shape), high - low, base)",
        "    values = base + coefficient * (high - low)",
        "the textbook lerp: torch's is one fused multiply-add",
    ),
    Mutant(
        "threshold-keeps-float32",
        PORT,
        "        return sample.astype(dtype)\n",
        "        return sample\n",
        "thresholding computes in float32 and forgets to restore the sample's dtype",
    ),
    Mutant(
        "add-noise-wrong-axis",
        PORT,
        "        shape = sqrt_alpha_prod.shape + (1,) * max(ndim - 1, 0)",
        "        shape = (1,) * max(ndim - 1, 0) + sqrt_alpha_prod.shape",
        "per-sample coefficients broadcast along the last axis instead of the batch axis",
    ),
    Mutant(
        "zero-snr-first-alpha-lost",
        PORT,
        "        alphas = np.concatenate([alphas_bar[0:1], alphas])",
        "        alphas = np.concatenate([np.ones(1, np.float32), alphas])",
        "the rescale's revert-cumprod step without re-inserting the first alpha",
    ),
    Mutant(
        "cumprod-float16",
        "mlx_ddim/torch_float32.py",
        "    return np.cumprod(np.asarray(values, np.float32).astype(np.float64)).astype(np.float32)",
        "    return np.cumprod(np.asarray(values, np.float16)).astype(np.float32)",
        "the schedule built in the latents' half precision",
    ),
    Mutant(
        "cumprod-float32-accumulation",
        "mlx_ddim/torch_float32.py",
        "    return np.cumprod(np.asarray(values, np.float32).astype(np.float64)).astype(np.float32)",
        "    return np.cumprod(np.asarray(values, np.float32))",
        "a plain float32 cumprod (torch accumulates in float64)",
    ),
    Mutant(
        "naive-linspace",
        "mlx_ddim/torch_float32.py",
        "    return np.where(index < steps // 2, from_start, from_end).astype(np.float32)",
        "    return np.linspace(start32, end32, steps, dtype=np.float32)",
        "np.linspace (or mx.linspace) for torch.linspace",
    ),
    Mutant(
        "linspace-timesteps-floored",
        PORT,
        "                .round()[::-1]\n                .copy()",
        "                [::-1]\n                .copy()",
        "linspace timesteps truncated by astype(int) instead of rounded",
    ),
    Mutant(
        "leading-not-reversed",
        PORT,
        "(np.arange(0, num_inference_steps) * step_ratio).round()[::-1].copy()",
        "(np.arange(0, num_inference_steps) * step_ratio).round().copy()",
        "leading timesteps left ascending",
    ),
    Mutant(
        "half-promoted-to-float32",
        PORT,
        "        return (x / _cast(coefficient, mx.float32)).astype(x.dtype)",
        "        return x / _cast(coefficient, mx.float32)",
        "MLX promotes bf16 / float32-scalar to float32, and the port forgets to cast back",
    ),
    Mutant(
        "coefficient-not-cast",
        PORT,
        "    return _cast(coefficient, x.dtype) * x",
        "    return _cast(coefficient, mx.float32) * x",
        "a float32 coefficient times a half array: MLX promotes where torch keeps the array's dtype",
    ),
    Mutant(
        "generator-ignored",
        PORT,
        "dtype=model_output.dtype, key=generator)",
        "dtype=model_output.dtype)",
        "the generator accepted but the global PRNG used",
    ),
    Mutant(
        "add-noise-no-bounds-check",
        PORT,
        "        if mx.any(out_of_range).item():",
        "        if False:",
        "MLX does not bounds-check gathers: an out-of-range timestep reads garbage",
    ),
    Mutant(
        "array-timestep-never-checked",
        PORT,
        "            if not self._timesteps_in_range:",
        "            if False:",
        "an mx.array timestep past alphas_cumprod gathered without the bounds check",
    ),
    Mutant(
        "partition-neighbour-unordered",
        "mlx_ddim/quantile.py",
        "    high = mx.min(partitioned[:, below + 1 :], axis=1) if above > below else low",
        "    high = partitioned[:, above]",
        "after mx.partition only the k-th place is sorted: its neighbour is not the next order statistic",
    ),
    Mutant(
        "host-table-off-by-one",
        PORT,
        "        row = int(timestep) + size + 1\n",
        "        row = int(timestep) + size\n",
        "the host lookup forgets the table's leading out-of-range row",
    ),
    Mutant(
        "device-table-off-by-one",
        PORT,
        "    row = mx.clip(timestep.astype(mx.int64) + row_offset, 0, last_row)",
        "    row = mx.clip(timestep.astype(mx.int64) + row_offset - 1, 0, last_row)",
        "the device lookup forgets the table's leading out-of-range row",
    ),
    Mutant(
        "coefficient-cache-ignores-eta",
        PORT,
        "        key = (self.num_inference_steps, float(eta))",
        "        key = self.num_inference_steps",
        "the per-step scalars cached by step count only: a second eta reuses the first one's sigma_t",
    ),
    Mutant(
        "coefficient-cache-ignores-steps",
        PORT,
        "        key = (self.num_inference_steps, float(eta))",
        "        key = float(eta)",
        "the per-step scalars cached by eta only: set_timesteps with a new step count reuses the old ratio",
    ),
    Mutant(
        "clip-bounds-not-cast",
        PORT,
        "mx.clip(pred_original_sample, clip_min.astype(dtype), clip_max.astype(dtype))",
        "mx.clip(pred_original_sample, clip_min, clip_max)",
        "float32 clip bounds promote a half-precision x_0 to float32",
    ),
    Mutant(
        "select-clip-drops-nan",
        PORT,
        "mx.where(pred_original_sample < clip_min, clip_min, pred_original_sample)",
        "mx.where(pred_original_sample > clip_min, pred_original_sample, clip_min)",
        "clipping rewritten as selects with the comparison flipped: a NaN x_0 becomes the lower bound",
    ),
]


def mutated(mutant: Mutant | GenericMutant, root: Path = ROOT) -> str:
    """The mutant's file under `root` with the replacement made; the original text must occur exactly once
    (a catalog mutant) or stand at the recorded position (a generic one)."""
    text = (root / mutant.path).read_text(encoding="utf-8")
    if isinstance(mutant, GenericMutant):
        lines = text.splitlines(keepends=True)
        line = lines[mutant.line - 1]
        if line[mutant.column : mutant.column + len(mutant.old)] != mutant.old:
            raise ValueError(f"generic mutant {mutant.name}: the source moved")
        lines[mutant.line - 1] = line[: mutant.column] + mutant.new + line[mutant.column + len(mutant.old) :]
        return "".join(lines)
    count = text.count(mutant.old)
    if count != 1:
        raise ValueError(f"mutant {mutant.name}: expected its text once in {mutant.path}, found it {count} times")
    return text.replace(mutant.old, mutant.new)


def apply(mutant: Mutant, root: Path) -> None:
    """Apply the mutant in the project copy at `root` (never call this on the working tree)."""
    (root / mutant.path).write_text(mutated(mutant, root), encoding="utf-8")


def copy_project(destination: Path) -> None:
    for name in ("mlx_ddim", "parity", "fixtures", "conftest.py", "pyproject.toml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / name)


def run_mutant(mutant: Mutant | GenericMutant | None, timeout: float = 900) -> tuple[str, str, float]:
    """(verdict, killing check, seconds) for one mutant (None: the unmutated port, which must survive)."""
    with tempfile.TemporaryDirectory(prefix="mutant-") as folder:
        root = Path(folder)
        copy_project(root)
        if mutant is not None:
            apply(mutant, root)
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--hypothesis-profile=ci"]
        start = time.perf_counter()
        try:
            done = subprocess.run(
                command + TEST_ORDER,
                cwd=root,
                capture_output=True,
                text=True,
                timeout=timeout,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
        except subprocess.TimeoutExpired:
            return "timeout", "", time.perf_counter() - start
        seconds = time.perf_counter() - start
    if done.returncode == 0:
        return "survived", "", seconds
    failed = re.search(r"^FAILED (\S+)", done.stdout, re.MULTILINE)
    check = re.search(r"PARITY FAILURE in ([^:\n]+)", done.stdout)
    killer = (failed.group(1) if failed else "(collection or crash)") + (f" [{check.group(1)}]" if check else "")
    return "killed", killer, seconds


def _run_all(mutants, label: str) -> list[str]:
    print(f"\n{label}\n{'mutant':44} {'verdict':9} {'seconds':>8}  killed by")
    survivors = []
    for mutant in mutants:
        verdict, killer, seconds = run_mutant(mutant)
        print(f"{mutant.name:44} {verdict:9} {seconds:8.1f}  {killer}", flush=True)
        if verdict != "killed":
            survivors.append(mutant.name)
    return survivors


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="run only the named catalog mutant(s)")
    parser.add_argument("--generic", type=int, default=30, help="how many generic mutants to sample (default 30)")
    parser.add_argument("--seed", type=int, default=0, help="the seed of the generic sample")
    parser.add_argument("--generic-only", action="store_true", help="skip the catalog")
    parser.add_argument("--site", action="append", help="run only the sampled generic mutant(s) of this name")
    parser.add_argument("--list", action="store_true", help="list the catalog and exit")
    args = parser.parse_args(argv)
    if args.list:
        for m in CATALOG:
            print(f"{m.name:34} {m.why}")
        return 0
    chosen = [] if args.generic_only else [m for m in CATALOG if not args.only or m.name in args.only]
    generic = generic_mutants(args.generic, args.seed) if not args.only else []
    if args.site:
        chosen, generic = [], [m for m in generic if m.name in args.site]
    for m in chosen + generic:  # fail fast on a stale entry, before any slow run
        mutated(m)
    start = time.perf_counter()
    survivors = _run_all(chosen, f"catalog: {len(chosen)} realistic porting bugs") if chosen else []
    if chosen:
        print(f"\n{len(chosen) - len(survivors)} of {len(chosen)} catalog mutants killed")
    if generic:
        generic_survivors = _run_all(generic, f"generic: {len(generic)} sampled with seed {args.seed}")
        killed = len(generic) - len(generic_survivors)
        equivalent = [name for name in generic_survivors if name in EQUIVALENT]
        print(
            f"\ngeneric score: {killed} of {len(generic)} killed ({100 * killed / len(generic):.0f}%); "
            f"{len(equivalent)} survivor(s) shown equivalent; "
            f"{killed} of {len(generic) - len(equivalent)} non-equivalent killed"
        )
        for name in generic_survivors:
            print(f"  survived: {name}: {EQUIVALENT.get(name, 'NOT EXPLAINED: strengthen the suite')}")
    print(f"total time {time.perf_counter() - start:.0f} s")
    if survivors:
        print("CATALOG MUTANTS SURVIVED: " + ", ".join(survivors))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
