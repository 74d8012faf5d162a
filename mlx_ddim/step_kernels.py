"""Why `DDIMScheduler.step` is fast, and the three things that make it so: a table of its scalars per
(num_inference_steps, eta), looked up without synchronising on the timestep, and its elementwise arithmetic
compiled into fused kernels. Nothing here knows DDIM's formulas; scheduling_ddim.py holds them.

Each piece was measured with `make bench` (2 AMD EPYC vCPUs, mlx 0.32.4 CPU, float32; README "Speed"):
- The table: the step's float32 scalars depend on the timestep alone, so they are computed for every timestep at
  once on the host, with the reference's float32 expressions. A host integer timestep picks a cached row; an
  element of `scheduler.timesteps` (an mx.array) gathers one on the device, so a loop never waits for the device
  to hand a timestep back (a gather on the device measured faster than computing the scalars there).
- The kernels: a float32 step compiled on the CPU backend of an x86-64 machine runs 1.3 to 3.7 times faster than
  the same separate ops (1.0 to 1.2 with dynamic thresholding, where the partition dominates): MLX fuses the ops
  into one loop that g++ builds once (2 to 8 s on an empty kernel cache, then cached on disk) and that reads and
  writes memory once instead of once per op. The rules that keep it fast, each measured:
  - one output per kernel: with two, g++ does not vectorize the loop, 2 to 11 times slower; so the prev_sample
    kernel recomputes x_0 from the inputs instead of reading it beside them;
  - scalars as 0-dim arrays, never Python floats: a float is baked into the kernel, rebuilt for every value (a
    step at a new eta took 0.43 ms against 0.16, for its table and no rebuild);
  - compiled only where it rounds as the separate ops (the gate checks, and parity/tests/test_port_only.py compares with
    `mx.disable_compile()`): MLX builds with `g++ -O3` and no -march, so on x86-64 no FMA instruction exists to
    contract a multiply and an add into; on aarch64 GCC contracts by default, and GPUs were not measured. Half
    precision is not faster compiled (bfloat16: 1.3 to 2.5 times slower, the conversions are not vectorized).
"""

from __future__ import annotations

import functools
import math
import numbers
import platform
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import mlx.core as mx
import numpy as np

__all__ = ["CoefficientTables", "compiles", "kernel"]

_X86_64 = platform.machine().lower() in ("x86_64", "amd64")
# A column the caller does not need (sigma_t where no noise is added): not gathered, read as NaN if read at all.
_UNUSED = mx.array(math.nan, mx.float32)

Scalars = TypeVar("Scalars", bound=NamedTuple)


def compiles(model_output: mx.array, sample: mx.array) -> bool:
    """Whether `step` compiles its kernels: float32 arrays on the CPU backend of an x86-64 machine (see the
    module docstring). `mx.disable_compile()` turns compilation off everywhere."""
    return model_output.dtype == mx.float32 and sample.dtype == mx.float32 and mx.default_device() == mx.cpu and _X86_64


def kernel(function: Callable[..., mx.array], compiled: bool, **static: Any) -> Callable[..., mx.array]:
    """`function` with its Python arguments (`static`: they select a variant) bound, to be called on arrays by
    keyword; compiled if `compiled`, once per variant."""
    return _compiled(function, **static) if compiled else functools.partial(function, **static)


@functools.cache
def _compiled(function: Callable[..., mx.array], **static: Any) -> Callable[..., mx.array]:
    return mx.compile(functools.partial(function, **static))


class CoefficientTable:
    """The scalars of a step at every timestep t in [-size, size), row t + size + 1, as float32 columns; rows 0
    and 2 * size + 1 are NaN and stand for any timestep out of range (a negative timestep counts back, as torch
    indexes)."""

    def __init__(self, columns: NamedTuple) -> None:
        out_of_range = np.full((1, len(columns)), np.nan, np.float32)
        self.host = np.concatenate([out_of_range, np.stack(columns, axis=1), out_of_range]).astype(np.float32)
        self.size = (len(self.host) - 2) // 2
        self.columns = type(columns)(*(mx.array(column) for column in self.host.T))
        # int64 arrays: Python ints would be baked into the compiled gather (a build per value)
        self.rows_at = (mx.array(self.size + 1, mx.int64), mx.array(2 * self.size + 1, mx.int64))
        self.rows = {}  # the rows that host integer timesteps have used, as 0-dim arrays
        self.needed = {}  # the device columns to gather, by the names of those not needed

    def at(self, timestep: int | mx.array, trust_arrays: bool, unused: tuple[str, ...] = ()) -> Scalars:
        """The scalars at `timestep`, each a 0-dim float32 mx.array.

        A host integer picks its row on the host, bounds-checked as torch indexes. An integer mx.array is
        gathered on the device without being read back: out of range, it gets the NaN row, as no exception can
        be raised there; unless not `trust_arrays` (the schedule itself holds timesteps out of range): then it is
        read back, to raise IndexError like torch. Columns named in `unused` are not gathered.
        """
        if isinstance(timestep, mx.array):
            if not mx.issubdtype(timestep.dtype, mx.integer):
                raise IndexError(f"timestep must be an integer, got an mx.array of dtype {timestep.dtype}")
            if not trust_arrays:
                return self.at(timestep.item(), trust_arrays, unused)
            if unused not in self.needed:
                self.needed[unused] = [
                    getattr(self.columns, name) for name in self.columns._fields if name not in unused
                ]
            needed = self.needed[unused]
            gathered = iter(kernel(_gather, mx.default_device() == mx.cpu)(timestep, *self.rows_at, *needed))
            return type(self.columns)(*(_UNUSED if name in unused else next(gathered) for name in self.columns._fields))
        if not isinstance(timestep, numbers.Integral) or isinstance(timestep, bool):
            raise IndexError(
                f"timestep must be an integer (a Python or numpy integer, or an element of scheduler.timesteps), "
                f"got {timestep!r}"
            )
        row = int(timestep) + self.size + 1
        if row not in self.rows:
            if not -self.size <= int(timestep) < self.size:
                raise IndexError(f"index {int(timestep)} is out of bounds for dimension 0 with size {self.size}")
            self.rows[row] = type(self.columns)(*(mx.array(value, mx.float32) for value in self.host[row].tolist()))
        return self.rows[row]


def _gather(timestep: mx.array, row_offset: mx.array, last_row: mx.array, *columns: mx.array) -> list[mx.array]:
    """Table columns at an mx.array timestep's row, on the device. One gather per column: slicing scalars out of
    one gathered row costs more (an op each, about 15 microseconds on this CPU backend)."""
    row = mx.clip(timestep.astype(mx.int64) + row_offset, 0, last_row)
    return [column[row] for column in columns]


class CoefficientTables:
    """A scheduler's coefficient tables, by (num_inference_steps, eta): built on first use by `build(
    num_inference_steps, eta)`, which returns the columns at every timestep in [-size, size)."""

    def __init__(self, build: Callable[[int, float], NamedTuple]) -> None:
        self.build = build
        self.tables: dict[tuple[int, float], CoefficientTable] = {}

    def get(self, num_inference_steps: int, eta: float) -> CoefficientTable:
        key = (num_inference_steps, float(eta))
        if key not in self.tables:
            if len(self.tables) >= 16:  # a loop uses one or two; bound what a sweep over eta leaves
                self.tables.clear()
            self.tables[key] = CoefficientTable(self.build(num_inference_steps, float(eta)))
        return self.tables[key]
