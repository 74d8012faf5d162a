"""Meta-tests of the comparator: it must fail on planted differences and pass on equal data."""

from __future__ import annotations

import numpy as np
import pytest

from parity.compare import ParityError, assert_close
from parity.record import Recorder, recording
from parity.tolerances import Tolerance

EXACT = Tolerance(0, 0.0, "meta-test")
DATA = np.linspace(-3, 3, 24, dtype=np.float32).reshape(2, 3, 4)


@pytest.fixture(autouse=True)
def own_recorder():
    """Planted failures are not parity measurements: they go to a recorder of their own, not the run's."""
    with recording(Recorder()) as recorder:
        yield recorder


def test_equal_data_passes():
    assert_close("equal", DATA, DATA.copy(), dtype="float32", tolerance=EXACT)


def next_up(values: np.ndarray, dtype: str) -> np.ndarray:
    """`values` (float32 holding `dtype` values) moved one `dtype` ULP up."""
    if dtype == "float16":
        half = values.astype(np.float16)
        return np.nextafter(half, np.float16(np.inf)).astype(np.float32)
    if dtype == "bfloat16":
        return (values.view(np.uint32) + np.uint32(0x10000)).view(np.float32)
    return np.nextafter(values, np.float32(np.inf))


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_one_ulp_shift_fails_where_zero_allowed(dtype):
    clean = {
        "float32": DATA,
        "float16": DATA.astype(np.float16).astype(np.float32),
        "bfloat16": (DATA.view(np.uint32) & np.uint32(0xFFFF0000)).view(np.float32),
    }[dtype]
    shifted = clean.copy()
    shifted[1, 2, 3] = next_up(clean[1:2, 2, 3], dtype)[0]
    with pytest.raises(ParityError, match=r"index: \(1, 2, 3\)[\s\S]*ulp_diff: 1"):
        assert_close("shifted", clean, shifted, dtype=dtype, tolerance=EXACT)
    assert_close("shifted", clean, shifted, dtype=dtype, tolerance=Tolerance(1, 0.0, "one ULP allowed"))


def test_moved_nan_fails():
    reference, port = DATA.copy(), DATA.copy()
    reference[0, 0, 0] = np.nan
    port[0, 0, 1] = np.nan
    with pytest.raises(ParityError, match="NaN at different positions"):
        assert_close("nan", reference, port, dtype="float32", tolerance=Tolerance(10**9, 1e9, "anything"))


def test_inf_sign_fails():
    reference, port = DATA.copy(), DATA.copy()
    reference[0, 1, 1], port[0, 1, 1] = np.inf, -np.inf
    with pytest.raises(ParityError, match="inf at different positions"):
        assert_close("inf", reference, port, dtype="float32", tolerance=Tolerance(10**9, 1e9, "anything"))


def test_changed_dtype_fails():
    with pytest.raises(ParityError, match="dtype differs"):
        assert_close("dtype", DATA, DATA, dtype="float16", port_dtype="float32", tolerance=EXACT)


def test_broadcast_shape_fails():
    with pytest.raises(ParityError, match="shape differs"):
        assert_close("shape", DATA, DATA[:1], dtype="float32", tolerance=EXACT)


def test_report_carries_case_and_replay():
    port = DATA + 1
    with pytest.raises(ParityError) as raised:
        assert_close("x", DATA, port, dtype="float32", tolerance=EXACT, case={"seed": 3}, replay="python -m x")
    text = str(raised.value)
    assert 'case: {"seed": 3}' in text and "replay: python -m x" in text and "tolerance:" in text


def test_severity_counts_the_error_over_the_scale_as_well_as_ulp():
    """An element that cancels toward 0 is many ULP off for an error a rounding at the scale's size makes: within
    ROUNDING_LEVEL eps of the scale (beyond the tolerance's floor) the failure is rounding-level, beyond it wrong,
    and the row fails either way. An error where the scale is 0 is infinitely far."""
    from parity.conformance import ROUNDING, ROUNDING_LEVEL, WRONG, grade
    from parity.tolerances import EPS

    reference = np.array([3.0, 1e-3, -2.0], np.float32)  # the scale: the largest magnitude, 3

    def failure(eps_of_scale: float, tolerance: Tolerance = EXACT, scale: float | None = None) -> ParityError:
        port = reference.copy()
        port[1] += np.float32(eps_of_scale * EPS["float32"] * 3.0)
        with pytest.raises(ParityError) as raised:
            assert_close("cancelled", reference, port, dtype="float32", tolerance=tolerance, scale=scale)
        return raised.value

    close = failure(0.9)
    assert close.numbers["ulp"] > 100 * ROUNDING_LEVEL and close.numbers["eps_of_scale"] == pytest.approx(0.9, 1e-3)
    assert grade(close) == ROUNDING
    far = failure(3 * ROUNDING_LEVEL)
    assert far.numbers["eps_of_scale"] == pytest.approx(3 * ROUNDING_LEVEL, 1e-3) and grade(far) == WRONG
    floor = Tolerance(0, 0.5, "a floor of half an eps of the scale")
    within = failure(ROUNDING_LEVEL, floor)  # within the floor's 0.5 eps and ROUNDING_LEVEL more
    assert within.numbers["over"] > ROUNDING_LEVEL and grade(within) == ROUNDING  # the error over scale decides
    assert grade(failure(ROUNDING_LEVEL + 1, floor)) == WRONG
    unscaled = failure(0.9, scale=0.0)
    assert unscaled.numbers["eps_of_scale"] == np.inf and grade(unscaled) == WRONG
