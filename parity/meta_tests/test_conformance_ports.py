"""The conformance report on ports shaped as the ecosystem's are: each row judged with whatever API the port has,
API gaps reported apart from numbers, a summary that tells a math bug from an API gap, rows that notice a parameter
being ignored, the known-differences file and the JUnit XML.

The plain ports are in parity/meta_tests/ports/plain_ddim.py: this project's DDIM reduced to the API of an MLX port
written before it (no ConfigMixin, no `return_dict`, no `get_velocity`, no thresholding keywords), once with a
naive `mx.linspace`/`mx.cumprod` schedule and once with exact math.
"""

from __future__ import annotations

import importlib
import json
import shutil
from xml.etree import ElementTree

import pytest

from parity import entries, port
from parity.adapter import DiffusersAPI
from parity.conformance import (
    BLOCKED,
    CRASH,
    EXTENSION,
    FAIL,
    PASS,
    REFERENCE,
    ROUNDING,
    XFAIL,
    XPASS,
    Row,
    apply_xfails,
    feature_rows,
    main,
    report_rows,
    summary,
    unexpected,
)
from parity.mutants import ROOT, Mutant, apply

PLAIN = "parity.meta_tests.ports.plain_ddim:DDIMScheduler"
EXACT = "parity.meta_tests.ports.plain_ddim:ExactDDIMScheduler"
# What the plain port truly lacks: the only capabilities allowed to block one of its rows.
ABSENT = {
    "get_velocity",
    "constructor parameter thresholding",
    "constructor parameter dynamic_thresholding_ratio",
    "constructor parameter sample_max_value",
    "from_config",
}


def rows_for(spec: str, monkeypatch, entry: str = "ddim") -> list:
    monkeypatch.setenv("PARITY_PORT", spec)
    monkeypatch.setenv("PARITY_ENTRY", entry)
    with entries.using(entry):
        return report_rows()


@pytest.fixture(scope="module")
def plain_rows():
    with pytest.MonkeyPatch.context() as monkeypatch:
        return rows_for(PLAIN, monkeypatch)


def test_the_plain_port_gets_every_numeric_row_judged_on_numbers(plain_rows):
    behaviour = [row for row in plain_rows if row.kind == REFERENCE]
    # the API surface was compared to the end (no row for a comparison that stopped), its gaps in the API rows
    assert not [row for row in plain_rows if row.feature == "surface comparison"]
    api = {row.feature: row for row in plain_rows if row.family == "API"}
    assert api["DDIMScheduler.config"].status == FAIL and api["DDIMScheduler.get_velocity"].status == FAIL
    assert api["DDIMScheduler.step"].status == FAIL  # its parameters differ: no return_dict
    # no behaviour row fails for an API reason, nor crashes: each is judged on numbers, or blocked by what is absent
    assert not [row for row in behaviour if row.status == FAIL and row.severity not in (ROUNDING, "wrong")]
    blockers = {row.blocked_by for row in behaviour if row.status == BLOCKED}
    assert blockers <= ABSENT, blockers - ABSENT
    assert {"get_velocity", "from_config", "constructor parameter thresholding"} <= blockers  # and they do block
    # every step row the API reaches holds (the step's arithmetic is the reference's) ...
    steps = [row for row in behaviour if row.topic.startswith("step") and row.status != BLOCKED]
    assert len(steps) >= 18 and all(row.status == PASS for row in steps), [r for r in steps if r.status != PASS]
    # ... the naive schedule is found, and graded as rounding (mx.linspace and mx.cumprod in float32)
    schedules = {row.feature: row for row in behaviour if row.family == "schedule"}
    assert schedules["linear"].status == FAIL and schedules["linear"].severity == ROUNDING
    assert schedules["linear"].numbers["ulp"] > 0 and schedules["linear"].quantity in ("betas", "alphas_cumprod")
    # the fixtures load through the constructor's keywords (no from_config) and are judged
    fixtures = [row for row in behaviour if row.family == "fixture"]
    assert sum(row.status != BLOCKED for row in fixtures) >= 15
    # an extension of this project's port is its own row, and the port's lack of it no condition of another row
    numpy_rows = [row for row in plain_rows if row.kind == EXTENSION and "numpy" in row.feature]
    assert [row.status for row in numpy_rows] == [FAIL, BLOCKED] and numpy_rows[0].severity == CRASH
    noise = {row.feature: row.status for row in behaviour if row.family == "noise"}
    assert noise["add_noise (float32)"] == PASS and noise["get_velocity (float32)"] == BLOCKED


def _buggy_port(folder) -> str:
    """This project's port, under another name, with one realistic math bug: trailing spacing with an integer step
    ratio (`//` for `/`)."""
    shutil.copytree(ROOT / "mlx_ddim", folder / "mlx_ddim", ignore=shutil.ignore_patterns("__pycache__"))
    apply(
        Mutant("trailing spacing by an integer ratio", "mlx_ddim/shared.py", "spaced_timesteps",
               "step_ratio = num_train_timesteps / num_inference_steps",
               "step_ratio = num_train_timesteps // num_inference_steps", "the leading spacing's ratio reused"),
        folder,
    )  # fmt: skip
    (folder / "mlx_ddim").rename(folder / "buggy_ddim")
    return "buggy_ddim.scheduling_ddim:DDIMScheduler"


def test_the_summary_tells_a_math_bug_from_an_api_gap(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    buggy = summary(rows_for(_buggy_port(tmp_path), monkeypatch))
    with pytest.MonkeyPatch.context() as inner:
        exact = summary(rows_for(EXACT, inner))
    assert exact[0].startswith("**Is the math right? yes.**"), exact
    assert buggy[0].startswith("**Is the math right? no.**"), buggy
    spacing = next(line for line in buggy if line.startswith("- timestep spacing:"))
    assert "fail" in spacing and "wrong" in spacing and "timesteps" in spacing
    assert next(line for line in exact if line.startswith("- timestep spacing:")).endswith("holds (6 rows)")
    # the plain API is many gaps, all in one line; the full API only the project's own deliberate differences
    gaps = [int(line.split(": ")[1].split()[0]) for port_lines in (exact, buggy) for line in port_lines
            if line.startswith("- API surface:")]  # fmt: skip
    assert gaps[0] > 100 and gaps[1] < 20, gaps


class Ignoring(DiffusersAPI):
    """The project's own port, built with one constructor parameter left out: a port that ignores it."""

    def __init__(self, port_class, reference_defaults, parameter: str) -> None:
        super().__init__(port_class, reference_defaults)
        self.parameter = parameter

    def build(self, config):
        return super().build({key: value for key, value in config.items() if key != self.parameter})


@pytest.mark.parametrize("name", list(entries.ENTRIES))
def test_a_port_that_ignores_a_constructor_parameter_fails_its_row(name, monkeypatch):
    """Each behaviour row's case is one where its parameter changes the reference's output: the project's port
    (which holds every row) built without that parameter, so doing what the reference does by default, fails the
    row that names it."""
    monkeypatch.delenv("PARITY_PORT", raising=False)
    monkeypatch.delenv("PARITY_ADAPTER", raising=False)
    with entries.using(name) as entry:
        parameter_cases = importlib.import_module(f"{entry.__name__}.features").PARAMETER_CASES
        rows = {row.name: row for row in entry.conformance_features() if row.family == "constructor behaviour"}
        ignored = []
        for parameter in parameter_cases:
            adapter = Ignoring(port.scheduler_class(), port.reference_defaults(), parameter)
            monkeypatch.setattr(port, "adapter", lambda adapter=adapter: adapter)
            (row,) = feature_rows([rows[parameter]], adapter)
            if row.status != FAIL:
                ignored.append(parameter)
    assert not ignored, f"these rows hold for a port that ignores their parameter: {ignored}"


def test_known_differences_file_and_junit(tmp_path, monkeypatch):
    monkeypatch.setenv("PARITY_PORT", EXACT)
    monkeypatch.setenv("PARITY_ENTRY", "ddim")
    first = tmp_path / "first"
    assert main(["--reports", str(first)]) == 1
    section = json.loads((first / "conformance.json").read_text())["ddim"]
    rows = section["rows"]
    # JUnit: one testcase per row, a failure per failing row, a skip per blocked row
    suite = ElementTree.parse(first / "conformance.xml").getroot().find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(rows) == int(suite.get("tests"))
    assert sum(c.find("failure") is not None for c in cases) == sum(r["status"] == FAIL for r in rows)
    assert sum(c.find("skipped") is not None for c in cases) == sum(r["status"] == BLOCKED for r in rows)
    assert {c.get("name") for c in cases} == {r["feature"] for r in rows}
    assert (first / "conformance-summary.md").read_text().count("Is the math right?") == 1
    # every known difference listed (the blocked config rows by a glob), and one row that holds: the run passes
    failing = [r["id"] for r in rows if r["status"] in (FAIL, BLOCKED) and r["kind"] != EXTENSION]
    holding = next(r["id"] for r in rows if r["status"] == PASS and r["family"] == "schedule")
    listed = [f"{row_id}  the plain port's API" for row_id in failing if "config-round-trip" not in row_id]
    listed += ["ddim/config-round-trip/*  no config files", f"{holding}  listed before the fix", "# a comment", ""]
    xfails = tmp_path / "ddim-xfails.txt"
    xfails.write_text("\n".join(listed))
    second = tmp_path / "second"
    assert main(["--xfails", str(xfails), "--reports", str(second)]) == 0
    report = (second / "conformance.md").read_text()
    assert "they hold now" in report and f"`{holding}`" in report.split("they hold now")[1].split("###")[0]
    statuses = {r["id"]: r["status"] for r in json.loads((second / "conformance.json").read_text())["ddim"]["rows"]}
    assert statuses[holding] == XPASS and all(statuses[i] == XFAIL for i in failing)
    # a failure the file does not list fails the run, named
    again = [Row(**{k: v for k, v in r.items() if k != "id"}) for r in rows]
    apply_xfails(again, {row_id: "known" for row_id in failing[1:]})
    assert [row.id for row in unexpected(again)] == [failing[0]]


INDEXED = "parity.meta_tests.ports.indexed_ddim"
# What the worked example's port cannot do, as its adapter declares or finds out.
INDEXED_ABSENT = {
    "_get_variance",
    "add_noise",
    "get_velocity",
    "from_config",
    "step(eta=...)",
    "constructor parameter trained_betas",
    "constructor parameter thresholding",
}


def adapted_rows(adapter: str, monkeypatch) -> list:
    monkeypatch.setenv("PARITY_ADAPTER", f"{INDEXED}:{adapter}")
    return rows_for(f"{INDEXED}:IndexedDDIM", monkeypatch)


def test_the_worked_adapter_judges_a_port_of_another_shape(monkeypatch):
    """README's worked example: a port built from its own config object, stepped by loop index, returning the
    latents alone: every row its adapter reaches holds, and only what it lacks blocks rows."""
    rows = adapted_rows("IndexedAdapter", monkeypatch)
    assert summary(rows)[0].startswith("**Is the math right? yes.**"), summary(rows)
    behaviour = [row for row in rows if row.kind == REFERENCE]
    assert {row.blocked_by for row in behaviour if row.status == BLOCKED} <= INDEXED_ABSENT
    steps = [row for row in behaviour if row.topic.startswith("step") and row.status == PASS]
    assert len(steps) >= 12
    assert all(
        row.replay.startswith(f"PARITY_PORT={INDEXED}:IndexedDDIM PARITY_ADAPTER=") for row in rows if row.replay
    )


def test_a_broken_adapter_or_port_gives_rows_not_a_stopped_report(monkeypatch):
    crashed = adapted_rows("CrashingAdapter", monkeypatch)
    step_rows = [row for row in crashed if row.topic.startswith("step") and row.status != BLOCKED]
    assert step_rows and all(row.status == FAIL and row.severity == CRASH for row in step_rows)
    assert all("the adapter's step is broken" in row.detail for row in step_rows)
    assert any(row.status == PASS for row in crashed if row.family == "schedule")  # the rest still ran
    with pytest.MonkeyPatch.context() as inner:
        planted = adapted_rows("OffByOneAdapter", inner)
    step_rows = [row for row in planted if row.family == "method" and row.feature == "step"]
    assert [(row.status, row.severity) for row in step_rows] == [(FAIL, "wrong")]
    assert step_rows[0].quantity.startswith("prev_sample") and step_rows[0].numbers["index"]
