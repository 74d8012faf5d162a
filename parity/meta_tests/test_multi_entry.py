"""The gate over several entries, tested: which entries PORT selects, a recorder that survives serialization and
merges (what pytest-xdist workers hand the controller), sections of the report, replay lines that name their entry,
and, in a subprocess on a copy of the project with a throwaway second entry "tiny" added to ENTRIES, a test folder
activating its entry (at collection too), the generic tests running per entry, the other entries' tests skipped
with a reason under PORT, and the workers' recorders merged into one summary.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from parity import entries, replay
from parity.mutants import ROOT
from parity.record import Measurement, Recorder, recording, section
from parity.report import sections, summary_markdown, throughput
from parity.running import command
from parity.tolerances import Tolerance

# --------------------------------------------------------------------------------------------- selection by PORT


@pytest.fixture
def clean_environment(monkeypatch):
    monkeypatch.delenv("PARITY_PORT", raising=False)
    monkeypatch.delenv("PARITY_ENTRY", raising=False)
    return monkeypatch


def test_without_port_every_entry_is_under_test(clean_environment):
    assert entries.selected() == list(entries.ENTRIES)


def test_port_selects_the_entry_of_its_class_name(clean_environment):
    clean_environment.setenv("PARITY_PORT", "their_package.module:DDIMScheduler")
    assert entries.selected() == ["ddim"]


def test_a_port_class_of_no_entry_needs_parity_entry(clean_environment):
    clean_environment.setenv("PARITY_PORT", "their_package.module:MyScheduler")
    with pytest.raises(ValueError, match=r"'MyScheduler' has the name of no entry's reference class.*PARITY_ENTRY"):
        entries.selected()
    clean_environment.setenv("PARITY_ENTRY", "ddim")
    assert entries.selected() == ["ddim"] and entries.current().NAME == "ddim"


# --------------------------------------------------------------------------------------------- the recorder


def recorder_with_everything() -> Recorder:
    recorder = Recorder()
    tolerance = Tolerance(2, 1.5, "a reason", key="prev_sample")
    recorder.add(Measurement("prev_sample", "float16", True, 2, 0.25, tolerance, {"index": [0, 1]}, 1e-7, 2e-7, "ddim"))
    recorder.add(Measurement("timesteps", "exact", False, section="papers"))
    recorder.add_case("ddim", {"check": "step", "config": {"eta": 0.5}})
    recorder.property_seconds["ddim"] = 1.25
    recorder.trajectories["default float32 50 steps eta=0"] = {"port": [1e-7], "reference": [2e-7]}
    recorder.surfaces["ddim"] = "| where | aspect |\n"
    return recorder


def test_a_serialized_recorder_round_trips():
    recorder = recorder_with_everything()
    assert Recorder.from_json(recorder.to_json()) == recorder


def test_merged_recorders_hold_both_runs():
    first, second = recorder_with_everything(), recorder_with_everything()
    second.surfaces = {"ddpm": "| other |\n"}
    first.merge(Recorder.from_json(second.to_json()))
    assert len(first.measurements) == 4 and first.examples("ddim") == {"step": 2}
    assert first.property_seconds == {"ddim": 2.5} and set(first.surfaces) == {"ddim", "ddpm"}
    assert throughput(first) == ["Hypothesis (ddim): 2 examples (2 step) in 2.5 s, 1 per second"]


def test_a_measurement_goes_to_its_entry_or_the_section_named():
    recorder = Recorder()
    with entries.using("ddim"):
        recorder.add(Measurement("a", "float32", True))
        with section("papers: eta = 1 is DDPM"):
            recorder.add(Measurement("b", "float32", True))
            recorder.add(Measurement("c", "float32", True, section="named"))
    assert [m.section for m in recorder.measurements] == ["ddim", "papers: eta = 1 is DDPM", "named"]


def test_the_report_has_one_table_per_section_entries_first():
    measurements = [Measurement("x", "float32", True, section=name) for name in ("papers", "ddim", "other", "papers")]
    by_section = sections(measurements)
    assert list(by_section) == ["ddim", "papers", "other"] and by_section["papers"][0]["checks"] == 2
    text = summary_markdown(by_section)
    assert text.index("## ddim\n") < text.index("## papers\n") < text.index("## other\n")


# --------------------------------------------------------------------------------------------- replay lines


def test_a_replay_line_names_its_entry_and_replay_honours_it(clean_environment, capsys):
    case = {
        "check": "schedule",
        "config": {"num_train_timesteps": 7},
        "variance_pairs": [[6, 3]],
        "parts": ["variance"],
    }
    with entries.using("ddim"):
        line = command(case)
    assert line.startswith("python -m parity.replay '") and '"entry": "ddim"' in line
    replayed = json.loads(line.split("'")[1])
    with recording(Recorder()) as recorder:
        assert replay.main([json.dumps(replayed)]) == 0
    assert recorder.examples("ddim") == {"schedule": 1}  # run for the entry it names, without the "entry" key
    assert "entry" not in recorder.cases["ddim"][0]
    assert replay.main([json.dumps({**replayed, "entry": "heun"})]) == 2
    assert "no scheduler entry 'heun'" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------- a second entry

TINY_ENTRY = {
    "__init__.py": """
\"\"\"A throwaway entry: one property whose runner checks that its replay line names it.\"\"\"
NAME = "tiny"
REFERENCE = "tiny_reference:TinyScheduler"
DEFAULT_PORT = "tiny_port:TinyScheduler"
""",
    "enums.py": """
ENUMS = {"kind": ("echo",)}
COVERED = {"echo": ("kind",)}
""",
    "checks.py": """
from parity.record import Measurement, active


def echo(case, replay):
    assert '"entry": "tiny"' in replay, replay
    active().add(Measurement("echo", "exact", True))


RUNNERS = {"echo": echo}
""",
    "strategies.py": """
from hypothesis import strategies as st


def properties():
    return {"echo": (st.just({"check": "echo", "kind": "echo"}), 1)}
""",
}

PROBE = """
import os
from parity import entries, port
from parity.record import Measurement, active

COLLECTED_WITH = entries.current().NAME  # module level: imported with the folder's entry active


def test_the_folder_entry_is_active():
    assert COLLECTED_WITH == entries.current().NAME == "{name}"
    given = os.environ.get("PARITY_PORT")
    assert port.spec() == (given if given and "{name}" in entries.selected() else "{port}")
    active().add(Measurement("probe", "exact", True))
"""


@pytest.fixture(scope="module")
def two_entry_project(tmp_path_factory) -> Path:
    """A copy of the project (port, harness, configuration) with the entry "tiny" added to ENTRIES, a test folder
    for it, and a probe test in the DDIM folder."""
    root = tmp_path_factory.mktemp("two-entries")
    for name in ("mlx_ddim", "parity"):
        shutil.copytree(ROOT / name, root / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)
    registry = root / "parity" / "entries" / "__init__.py"
    text = registry.read_text(encoding="utf-8")
    assert text.count("ENTRIES = {") == 1
    registry.write_text(text.replace("ENTRIES = {", 'ENTRIES = {"tiny": "parity.entries.tiny", ', 1), encoding="utf-8")
    (root / "parity" / "entries" / "tiny").mkdir()
    for module, text in TINY_ENTRY.items():
        (root / "parity" / "entries" / "tiny" / module).write_text(text)
    (root / "parity" / "tests" / "tiny").mkdir()
    (root / "parity" / "tests" / "tiny" / "__init__.py").write_text("")
    (root / "parity" / "tests" / "tiny" / "test_probe.py").write_text(
        PROBE.format(name="tiny", port="tiny_port:TinyScheduler")
    )
    ddim = entries.load("ddim")
    (root / "parity" / "tests" / "ddim" / "test_probe.py").write_text(PROBE.format(name="ddim", port=ddim.DEFAULT_PORT))
    return root


def gate(root: Path, *options: str, port: str | None = None) -> subprocess.CompletedProcess:
    """The gate in the copy, on the probes and the properties (DDIM's deselected: -k), as `make parity` runs it."""
    environment = {k: v for k, v in os.environ.items() if k not in ("PARITY_PORT", "PARITY_ENTRY")}
    if port:
        environment["PARITY_PORT"] = port
    tests = ["parity/tests/test_properties.py", "parity/tests/tiny", "parity/tests/ddim/test_probe.py"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "--hypothesis-profile=ci", "-k",
         "tiny or probe", *options, *tests],
        cwd=root, env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_each_folder_runs_with_its_entry_and_workers_merge_into_one_summary(two_entry_project):
    done = gate(two_entry_project, "-n", "2", "--dist", "loadgroup")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout, done.stdout  # the two probes, the tiny property and its coverage ledger
    report = json.loads((two_entry_project / "reports" / "parity.json").read_text())
    assert list(report) == ["tiny", "ddim"], report  # entries in ENTRIES order, each worker's measurements merged
    assert {row["quantity"] for row in report["tiny"]} == {"echo", "probe"}
    assert "Hypothesis (tiny): 1 examples (1 echo)" in done.stdout


def test_port_runs_its_entry_only_and_skips_the_others_with_a_reason(two_entry_project):
    done = gate(two_entry_project, port="tiny_port:TinyScheduler")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed, 1 skipped" in done.stdout, done.stdout
    assert "entry ddim is not under test: PORT=tiny_port:TinyScheduler selects tiny" in done.stdout, done.stdout
    report = json.loads((two_entry_project / "reports" / "parity.json").read_text())
    assert list(report) == ["tiny"]
