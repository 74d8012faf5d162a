"""The mflux report tested (parity/adapters/mflux.py): an adapter that crashes fails its rows as crashes, naming
the crash, and a scheduler with a planted bug fails its loop on numbers; neither stops the report, and only the
crash counts as the harness failing (`make conformance-mflux` exits 1 for it, 0 for a finding)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("mflux", reason="make conformance-mflux installs mflux (parity/requirements-mflux.txt)")

from parity import conformance, port
from parity.adapters import mflux
from parity.conformance import CRASH, FAIL, ROUNDING, ROUNDING_LEVEL, WRONG
from parity.entries import using

BROKEN = "parity.meta_tests.ports.mflux_broken"


def own_rows(sections: dict, name: str) -> list[dict]:
    return [row for row in sections[name]["rows"] if row["family"].startswith("mflux ")]


def test_a_crashing_adapter_fails_its_rows_as_crashes_and_the_report_goes_on(tmp_path):
    sections, bad = mflux.report(tmp_path, {"crashing": (mflux.LINEAR, f"{BROKEN}:CrashingLinearAdapter")})
    rows = own_rows(sections, "crashing")
    assert len(rows) == 3  # FLUX.1-dev's schedule and its two loops
    for row in rows:
        assert (row["status"], row["severity"]) == (FAIL, CRASH), row
        assert "RuntimeError: the adapter's pipeline is broken (at mflux_broken.py:" in row["detail"]
        assert row["replay"].startswith(f"PARITY_PORT={mflux.LINEAR} PARITY_ADAPTER={BROKEN}:CrashingLinearAdapter")
    assert len(sections["crashing"]["rows"]) > 100  # the rest of the report ran: API rows, the entry's rows
    assert {row.feature for row in bad} == {row["feature"] for row in rows}  # the harness failed: exit 1
    written = json.loads((tmp_path / "conformance-mflux.json").read_text())
    assert len(written["crashing"]["rows"]) == len(sections["crashing"]["rows"])
    assert "the adapter's pipeline is broken" in (tmp_path / "conformance-mflux.md").read_text()
    assert "<failure" in (tmp_path / "conformance-mflux.xml").read_text()


def test_a_planted_bug_fails_its_loop_on_numbers(tmp_path):
    sections, bad = mflux.report(tmp_path, {"planted": (mflux.LINEAR, f"{BROKEN}:PlantedBugAdapter")})
    rows = {row["feature"].rpartition(": ")[2]: row for row in own_rows(sections, "planted")}
    for dtype in ("float32", "bfloat16"):
        loop = rows[f"a whole loop, {dtype}"]
        assert (loop["status"], loop["severity"]) == (FAIL, WRONG), loop
        assert loop["quantity"] == "prev_sample" and loop["numbers"]["ulp"] > 1000, loop["numbers"]
        assert loop["numbers"]["eps_of_scale"] > ROUNDING_LEVEL, loop["numbers"]  # wrong by either measure
        assert loop["detail"].startswith("28 of 28 steps out of tolerance"), loop["detail"]
    assert rows["sigmas"]["severity"] == ROUNDING  # the schedule is mflux's own: its rounding, not the bug
    assert bad == []  # a finding, not a harness failure: exit 0


def test_a_float32_loop_off_at_elements_near_0_by_less_than_an_eps_of_the_scale_is_rounding_level(monkeypatch):
    """FLUX.1-dev's float32 loop at 1024x1024: mflux's sigmas are an ULP or two from diffusers' (float32
    mx.linspace), so elements that cancel toward 0 are more than ROUNDING_LEVEL ULP off while every error stays under
    one eps of its step's scale. The row still fails (the policy is exact), graded rounding-level, not wrong."""
    for key, value in {port.ENVIRONMENT: mflux.LINEAR, port.ADAPTER_ENVIRONMENT: "parity.adapters.mflux:LinearAdapter",
                       "PARITY_ENTRY": mflux.ENTRY}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    (feature,) = [f for f in mflux.ROWS if f.cases[0]["model"] == "dev" and f.cases[0]["height"] == 1024
                  and f.cases[0].get("dtype") == "float32"]  # fmt: skip
    with using(mflux.ENTRY):
        row = conformance._run_feature(feature)
    assert (row.status, row.severity) == (FAIL, ROUNDING), row
    assert row.numbers["ulp"] > ROUNDING_LEVEL and 0 < row.numbers["eps_of_scale"] < 1, row.numbers


def test_main_exits_1_only_when_the_harness_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(mflux, "PORTS", {"planted": (mflux.LINEAR, f"{BROKEN}:PlantedBugAdapter")})
    assert mflux.main(["--reports", str(tmp_path)]) == 0
    monkeypatch.setattr(mflux, "PORTS", {"crashing": (mflux.LINEAR, f"{BROKEN}:CrashingLinearAdapter")})
    assert mflux.main(["--reports", str(tmp_path)]) == 1
    assert (tmp_path / "conformance-mflux.md").exists()
