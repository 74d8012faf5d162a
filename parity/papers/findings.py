"""What a paper property measures: `Figure`s (one measured number, its bound, its side), and the helpers that turn
a float32 result and its float64 equation into one."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["EPS32", "Figure", "conditioning", "error_in_eps"]

EPS32 = 2.0**-23


@dataclass(frozen=True)
class Figure:
    """One measured number of a property on one side. It passes if it is at most `bound` (or, for `at_least`, if
    it exceeds it: a condition shown necessary); a figure without a bound is reported, not judged."""

    side: str
    what: str
    value: float
    bound: float | None = None
    unit: str = ""
    at_least: bool = False
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        if self.bound is None:
            return True
        if self.at_least:
            return bool(self.value > self.bound)  # NaN fails
        return bool(self.value <= self.bound)

    def describe(self) -> str:
        relation = "" if self.bound is None else (f" > {self.bound:g}" if self.at_least else f" <= {self.bound:g}")
        return f"{self.what} [{self.side}]: {_number(self.value)} {self.unit}{relation}".rstrip()


def _number(value: float) -> str:
    if isinstance(value, int | np.integer) or (math.isfinite(value) and float(value).is_integer() and abs(value) < 1e6):
        return str(int(value))
    return f"{value:.3g}"


def conditioning(evaluate: Callable[..., np.ndarray], *schedule_values: float) -> float:
    """S, the scale of a float32 evaluation's unavoidable error: max |f| plus, for each schedule value a that f
    depends on, max |f(a (1 - eps)) - f(a)| / eps, i.e. how far the float64 result moves when a is rounded once to
    float32 (a value that is exactly 1, the constant abar_{-1}, is not moved). A float32 evaluation of f is then expected within a few eps * S of f: its terms round at eps * |f|,
    and every scalar it derives by cancellation (1 - abar, abar_t / abar_{t-1}) carries one rounding of a."""
    exact = np.asarray(evaluate(*schedule_values), np.float64)
    scale = float(np.max(np.abs(exact)))
    for index, value in enumerate(schedule_values):
        if value == 1.0:  # an exact constant (abar_{-1} = 1), not a rounded value
            continue
        moved = list(schedule_values)
        moved[index] = value * (1.0 - EPS32)
        with np.errstate(invalid="ignore", divide="ignore"):
            scale += float(np.max(np.abs(np.asarray(evaluate(*moved), np.float64) - exact))) / EPS32
    return scale


def error_in_eps(result: np.ndarray, exact: np.ndarray, scale: float) -> float:
    """max |result - exact| in units of eps(float32) * scale (NaN anywhere gives NaN)."""
    result, exact = np.asarray(result, np.float64), np.asarray(exact, np.float64)
    if np.isnan(result).any() and not np.isnan(exact).any():
        return math.nan
    return float(np.max(np.abs(result - exact))) / (EPS32 * scale)
