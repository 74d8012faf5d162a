"""The comparator and the one failure-report format.

`assert_close` judges a port array against the reference array elementwise, under a `Tolerance` from
parity.tolerances: same shape (no broadcasting), same dtype, NaN and inf at the same positions, and every finite
element within `ulp` units in the last place of the dtype, or within an absolute floor `floor_eps * eps(dtype) *
scale` (ULP alone means nothing near zero). `scale`, a number or one per element, is the magnitude of the
computation (see parity.tolerances); by default the largest finite magnitude in the reference array.
On failure it raises `ParityError` with a self-contained report: the case as JSON, the quantity, the worst index,
both values, the abs/rel/ULP difference, the largest error over the scale, the tolerance, and a command that replays
exactly that example.
Every judgement, passed or failed, is also recorded in the active recorder (parity.record), which the summary reads.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import numpy as np

from parity.record import Measurement, active
from parity.tolerances import EPS, Tolerance

__all__ = [
    "Measurement",
    "ParityError",
    "assert_close",
    "assert_no_less_accurate",
    "assert_same",
    "ulp_distance",
]


class ParityError(AssertionError):
    """The port and the reference disagree beyond the tolerance policy. Besides the report (its text), it carries
    the quantity and, for a numeric judgement, how far off the worst element is (`numbers`: index, both values,
    ULP distance, the tolerance's ULP, and `over`, the error over what the tolerance allows there) and, from
    assert_close, the largest error over the scale in eps of the dtype (`eps_of_scale`, every element's; infinite
    where the scale is 0) beside the tolerance's floor (`tolerance_floor_eps`), which the conformance report
    grades."""

    def __init__(self, report: str, *, quantity: str = "", numbers: dict[str, Any] | None = None) -> None:
        super().__init__(report)
        self.quantity = quantity
        self.numbers = numbers or {}


def _ordered_bits(values: np.ndarray, dtype: str) -> np.ndarray:
    """Map floats to integers whose difference counts representable `dtype` values between them."""
    values = np.asarray(values, np.float32)
    if dtype == "float16":
        bits = values.astype(np.float16).view(np.int16).astype(np.int64)
        sign = np.int64(0x7FFF)
    else:
        bits = values.view(np.int32).astype(np.int64)
        sign = np.int64(0x7FFFFFFF)
        if dtype == "bfloat16":
            bits, sign = bits >> 16, np.int64(0x7FFF)
    return np.where(bits < 0, -(bits & sign), bits)


def ulp_distance(reference: np.ndarray, port: np.ndarray, dtype: str) -> np.ndarray:
    """How many representable `dtype` values apart each pair is (0 for equal, 1 for neighbours)."""
    return np.abs(_ordered_bits(reference, dtype) - _ordered_bits(port, dtype))


def _report(quantity: str, message: str, case: dict[str, Any] | None, replay: str | None, **facts: Any) -> str:
    lines = [f"PARITY FAILURE in {quantity}: {message}"]
    if case is not None:
        lines.append("case: " + json.dumps(case, sort_keys=True, default=str))
    lines += [f"{key}: {value}" for key, value in facts.items()]
    if replay:
        lines.append(f"replay: {replay}")
    return "\n".join(lines)


def assert_same(quantity: str, reference: Any, port: Any, *, case=None, replay=None) -> None:
    """Exact equality for non-float quantities (timesteps, shapes, dtypes, exception types)."""
    equal = np.array_equal(reference, port) if isinstance(reference, np.ndarray) else reference == port
    if isinstance(reference, np.ndarray) and reference.dtype != np.asarray(port).dtype:
        equal = False
    active().add(Measurement(quantity, "exact", bool(equal)))
    if not equal:
        where = ""
        if isinstance(reference, np.ndarray) and reference.shape == np.shape(port):
            bad = np.argwhere(reference != np.asarray(port))
            where = f" first differing index {tuple(bad[0])}" if len(bad) else ""
        raise ParityError(
            _report(quantity, "values differ" + where, case, replay, reference=_short(reference), port=_short(port)),
            quantity=quantity,
        )


def _short(value: Any) -> str:
    text = np.array2string(value, threshold=20) if isinstance(value, np.ndarray) else repr(value)
    if isinstance(value, np.ndarray):
        text += f" (dtype {value.dtype}, shape {value.shape})"
    return text


def assert_close(
    quantity: str,
    reference: np.ndarray,
    port: np.ndarray,
    *,
    dtype: str,
    port_dtype: str | None = None,
    tolerance: Tolerance,
    scale: float | np.ndarray | None = None,
    case: dict[str, Any] | None = None,
    replay: str | None = None,
) -> Measurement:
    """Judge `port` against `reference` (float32 numpy arrays holding `dtype` values); raise ParityError if off."""
    reference = np.asarray(reference, np.float32)
    port = np.asarray(port, np.float32)
    record = active().add(Measurement(quantity, dtype, False, tolerance=tolerance))

    def fail(message: str, numbers: dict[str, Any] | None = None, **facts: Any) -> None:
        record.detail = {"message": message}
        text = _report(quantity, message, case, replay, **facts, tolerance=asdict(tolerance))
        raise ParityError(text, quantity=quantity, numbers=numbers)

    if port_dtype is not None and port_dtype != dtype:
        fail(f"dtype differs: reference {dtype}, port {port_dtype}")
    if reference.shape != port.shape:
        fail(f"shape differs: reference {reference.shape}, port {port.shape}")
    if reference.tobytes() == port.tobytes():
        return _identical(record, reference, scale)
    for name, mask in (("NaN", np.isnan), ("+inf", np.isposinf), ("-inf", np.isneginf)):
        moved = mask(reference) != mask(port)
        if moved.any():
            index = tuple(int(i) for i in np.argwhere(moved)[0])
            fail(
                f"{name} at different positions ({int(moved.sum())} elements)",
                index=index,
                reference_value=float(reference[index]),
                port_value=float(port[index]),
            )
    finite = np.isfinite(reference)
    if not finite.any():
        record.ok = True
        return record
    if scale is None:
        scale = float(np.max(np.abs(reference[finite])))
    scale = np.broadcast_to(np.asarray(scale, np.float64), reference.shape)
    with np.errstate(invalid="ignore"):  # inf - inf where both are inf: masked out just below
        difference = np.where(finite, np.abs(reference.astype(np.float64) - port.astype(np.float64)), 0.0)
    ulps = np.where(finite, ulp_distance(reference, port, dtype), 0)
    floor = tolerance.floor_eps * EPS[dtype] * scale
    bad = (ulps > tolerance.ulp) & (difference > floor)
    worst = np.unravel_index(
        int(np.argmax(np.where(bad, difference, -1) if bad.any() else difference)), reference.shape
    )
    record.max_ulp = int(ulps.max())
    with np.errstate(divide="ignore", invalid="ignore"):
        over_scale = np.where(scale > 0, difference / scale, difference)
    record.error_over_scale = float(np.max(over_scale))
    record.detail = {"scale": float(np.max(scale))}
    if bad.any():
        ref_value, port_value = float(reference[worst]), float(port[worst])
        allowed = max(float(floor[worst]), tolerance.ulp * float(np.spacing(np.float32(abs(ref_value)))))
        with np.errstate(divide="ignore", invalid="ignore"):  # an error where the scale is 0 is infinitely far
            relative = np.where(difference > 0, difference / scale, 0.0)
        numbers = {
            "index": tuple(int(i) for i in worst),
            "reference_value": ref_value,
            "port_value": port_value,
            "ulp": int(ulps[worst]),
            "tolerance_ulp": tolerance.ulp,
            "over": float(difference[worst]) / allowed if allowed > 0 else float("inf"),
            "eps_of_scale": float(relative.max()) / EPS[dtype],
            "tolerance_floor_eps": tolerance.floor_eps,
        }
        fail(
            f"{int(bad.sum())} of {reference.size} elements out of tolerance",
            numbers,
            index=tuple(int(i) for i in worst),
            reference_value=repr(ref_value),
            port_value=repr(port_value),
            abs_diff=f"{abs(ref_value - port_value):.6g}",
            rel_diff=f"{abs(ref_value - port_value) / max(abs(ref_value), 1e-300):.6g}",
            ulp_diff=int(ulps[worst]),
            scale=f"{float(scale[worst]):.6g}",
            allowed_abs_floor=f"{float(floor[worst]):.6g}",
            largest_error_over_scale=f"{numbers['eps_of_scale']:.3g} eps ({dtype})",
        )
    record.ok = True
    return record


def _identical(record: Measurement, reference: np.ndarray, scale: float | np.ndarray | None) -> Measurement:
    """assert_close's judgement of a port array bit for bit the reference's, without the elementwise arithmetic:
    NaN and inf at the same positions, every finite element 0 ULP and 0 apart (so 0 over the scale), passed; the
    scale recorded as the general path records it."""
    finite = np.isfinite(reference)
    if finite.any():
        if scale is None:
            scale = float(np.max(np.abs(reference[finite])))
        record.detail = {"scale": float(np.max(np.broadcast_to(np.asarray(scale, np.float64), reference.shape)))}
    record.ok = True
    return record


def assert_no_less_accurate(
    quantity: str,
    reference: np.ndarray,
    port: np.ndarray,
    oracle: np.ndarray,
    *,
    dtype: str,
    scale: float | np.ndarray,
    tolerance: Tolerance,
    case: dict[str, Any] | None = None,
    replay: str | None = None,
) -> Measurement:
    """The port's error against the float64 oracle may exceed the reference's by at most the tolerance's rounding
    budget, `tolerance.floor_eps` eps * scale (see parity.tolerances).

    Both errors are measured over the elements where the oracles and both sides are finite, relative to `scale`.
    One yardstick serves both sides: the oracle evaluated on the reference's float32 schedule (where the port's
    schedule differs, under zero-SNR rescaling, that gap is already in `scale`, see parity.judge).
    """
    reference, port, oracle = (np.asarray(a, np.float64) for a in (reference, port, oracle))
    scale = np.broadcast_to(np.asarray(scale, np.float64), oracle.shape)
    finite = np.isfinite(oracle) & np.isfinite(reference) & np.isfinite(port)
    finite &= scale > 0
    record = active().add(Measurement(quantity + " vs float64", dtype, True, tolerance=tolerance))
    if not finite.any():
        return record
    reference_error = np.abs(reference - oracle)[finite] / scale[finite]
    same = port.shape == reference.shape and port.tobytes() == reference.tobytes()  # then the same errors
    port_error = reference_error if same else np.abs(port - oracle)[finite] / scale[finite]
    record.port_vs_oracle, record.reference_vs_oracle = float(port_error.max()), float(reference_error.max())
    allowed = record.reference_vs_oracle + tolerance.floor_eps * EPS[dtype]
    if record.port_vs_oracle > allowed:
        record.ok = False
        worst = tuple(int(i) for i in np.argwhere(finite)[int(np.argmax(port_error))])
        numbers = {
            "index": worst,
            "reference_value": float(reference[worst]),
            "port_value": float(port[worst]),
            "over": record.port_vs_oracle / allowed if allowed > 0 else float("inf"),
        }
        raise ParityError(
            _report(
                quantity,
                "the port is less accurate than the reference against the float64 oracle",
                case,
                replay,
                index=worst,
                oracle_value=repr(float(oracle[worst])),
                reference_value=repr(float(reference[worst])),
                port_value=repr(float(port[worst])),
                port_error_over_scale=f"{record.port_vs_oracle:.3g}",
                reference_error_over_scale=f"{record.reference_vs_oracle:.3g}",
                margin=f"{tolerance.floor_eps:g} eps ({dtype}) of scale, from tolerance {tolerance.key!r}",
            ),
            quantity=quantity + " vs float64",
            numbers=numbers,
        )
    return record
