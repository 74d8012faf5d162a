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
