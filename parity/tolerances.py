"""The tolerance mechanism: what an entry's policy is made of, and the lookup every judgement goes through.

Each scheduler entry writes its policy once (`POLICY` in `parity/entries/<name>/tolerances.py`: one entry per
quantity and dtype, each with the measurement behind it). A port element passes if it is within `ulp` units in the
last place of the dtype of the reference element, or within the absolute floor `floor_eps * EPS[dtype] * scale`,
where `scale` is the magnitude of the computation (the entry's scale rules say what that is). The same entry bounds
accuracy against the float64 oracle: the port's error may exceed the reference's by at most the floor.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["EPS", "Tolerance", "tolerance"]

EPS = {"float32": 2.0**-23, "float16": 2.0**-10, "bfloat16": 2.0**-7}


@dataclass(frozen=True)
class Tolerance:
    ulp: int
    floor_eps: float
    why: str
    key: str = ""  # the policy entry it came from, for the summary


def tolerance(quantity: str, dtype: str) -> Tolerance:
    """The active entry's bound for `quantity` in `dtype` (a missing one is an error that says where to add it)."""
    from .entries import current

    entry = current()
    try:
        return replace(entry.POLICY[(quantity, dtype)], key=quantity)
    except KeyError:
        raise KeyError(
            f"no tolerance for {quantity!r} in {dtype}: add one to {entry.__name__}.tolerances, with its reason"
        ) from None
