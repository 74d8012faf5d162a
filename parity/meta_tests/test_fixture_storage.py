"""The fixture storage tested: broken fixtures are reported by name and the others still checked; a changed
port fails the replay; recording is atomic and idempotent; a failing case can be promoted into a fixture."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parity import entries, fixtures
from parity.tests.test_fixtures import run_check


@pytest.fixture(autouse=True)
def ddim_fixtures():
    """The storage is exercised on the DDIM entry's fixtures."""
    with entries.using("ddim"):
        yield


def corrupt_missing_manifest(folder: Path) -> str:
    (folder / "manifest.json").unlink()
    return "manifest.json: missing"


def corrupt_bad_manifest(folder: Path) -> str:
    (folder / "manifest.json").write_text("{ not json")
    return "manifest.json: not valid JSON"


def corrupt_missing_arrays(folder: Path) -> str:
    next(folder.glob("arrays-*.safetensors")).unlink()
    return ".safetensors: missing"


def corrupt_truncated(folder: Path) -> str:
    path = next(folder.glob("arrays-*.safetensors"))
    path.write_bytes(path.read_bytes()[:100])
    return ".safetensors: truncated"


def corrupt_tampered(folder: Path) -> str:
    path = next(folder.glob("arrays-*.safetensors"))
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01
    path.write_bytes(bytes(data))
    return ".safetensors: sha256 mismatch"


def corrupt_unreadable(folder: Path) -> str:
    path = next(folder.glob("arrays-*.safetensors"))
    path.unlink()
    path.mkdir()  # a directory where the file should be: unreadable even as root
    return ".safetensors: unreadable"


@pytest.mark.parametrize(
    "corrupt",
    [
        corrupt_missing_manifest,
        corrupt_bad_manifest,
        corrupt_missing_arrays,
        corrupt_truncated,
        corrupt_tampered,
        corrupt_unreadable,
    ],
)
def test_a_broken_fixture_is_named_and_the_others_still_checked(corrupt, tmp_path):
    for name in ("steps-7", "steps-1"):
        shutil.copytree(fixtures.entry_folder() / name, tmp_path / name)
    expected = corrupt(tmp_path / "steps-7")
    done = run_check("--entry", "ddim", "--dir", str(tmp_path))
    assert done.returncode == 1, done.stdout
    assert "FAILED  steps-7" in done.stdout and expected in done.stdout, done.stdout
    assert str(tmp_path / "steps-7") in done.stdout  # the report names the file
    assert "ok      steps-1" in done.stdout and "1 passed, 1 failed" in done.stdout


def test_a_changed_port_fails_the_replay(tmp_path, monkeypatch):
    """The replay judges for real: shift one recorded output by a float32 ULP where 0 ULP is allowed."""
    import numpy as np

    shutil.copytree(fixtures.entry_folder() / "steps-7", tmp_path / "steps-7")
    manifest, arrays = fixtures.load(tmp_path / "steps-7")
    arrays["alphas_cumprod"][3] = np.nextafter(arrays["alphas_cumprod"][3], np.float32(1))
    monkeypatch.setattr(fixtures, "_versions", dict)
    fixtures._write_fixture(tmp_path / "steps-7", manifest["case"], arrays, "canonical")
    done = run_check("--entry", "ddim", "--dir", str(tmp_path))
    assert done.returncode == 1 and "PARITY FAILURE in alphas_cumprod" in done.stdout, done.stdout


def test_rerecording_identical_data_changes_no_file(tmp_path):
    fixtures.record(["steps-7"], tmp_path)
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in (tmp_path / "steps-7").iterdir()}
    fixtures.record(["steps-7"], tmp_path)
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in (tmp_path / "steps-7").iterdir()}
    assert before == after


def test_an_interrupted_recording_leaves_the_previous_fixture(tmp_path, monkeypatch):
    fixtures.record(["steps-7"], tmp_path)
    manifest, arrays = fixtures.load(tmp_path / "steps-7")
    arrays["prev_sample"] = arrays["prev_sample"] * 2  # new data, so a new array file
    real_write = fixtures._atomic_write

    def dies_on_the_manifest(path, data):
        if path.name == "manifest.json":
            raise KeyboardInterrupt("interrupted")
        real_write(path, data)

    monkeypatch.setattr(fixtures, "_atomic_write", dies_on_the_manifest)
    with pytest.raises(KeyboardInterrupt):
        fixtures._write_fixture(tmp_path / "steps-7", manifest["case"], arrays, "canonical")
    monkeypatch.undo()
    assert fixtures.check(tmp_path) == 0  # the old manifest still names the old, intact array file
    assert not list((tmp_path / "steps-7").glob(".*.tmp"))


def test_promote_a_failing_case(tmp_path):
    case = {
        "check": "step",
        "config": {"num_train_timesteps": 80, "rescale_betas_zero_snr": True, "beta_start": 0.0078125},
        "num_inference_steps": 4,
        "step_index": 0,
        "dtype": "bfloat16",
        "shape": [1, 2, 3],
        "eta": 1.0,
        "use_clipped_model_output": False,
        "timestep_kind": "int",
        "seed": 1,
    }
    fixtures.promote(case, tmp_path)
    (folder,) = tmp_path.iterdir()
    assert folder.name.startswith("promoted-")
    assert fixtures.check(tmp_path) == 0
