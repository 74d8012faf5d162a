"""The conformance report tested on a deliberately flawed port: exactly the features its flaws break fail or are
missing, and every other row passes. (That the project's own port passes every row is `make conformance`, which
`make test` and CI run.)

The flawed port is this project's port, copied to a temporary package under another name, with four porting bugs
a naive port makes (written as anchored mutants, so a refactor of the port that moves their code fails loudly):
a naive `mx.linspace`/`mx.cumprod` schedule, no dynamic thresholding, no bounds check on timesteps, and a `step`
that returns a bare tuple.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parity.conformance import report_rows
from parity.mutants import ROOT, Mutant, apply

pytestmark = pytest.mark.own_port  # the flaws are written against this project's port

SCHEDULER = "mlx_ddim/scheduling_ddim.py"
SHARED = "mlx_ddim/shared.py"  # the schedule arithmetic both schedulers share
FLAWS = [
    Mutant("naive linspace", SHARED, "float32_schedule",
           "betas = linspace_float32(beta_start, beta_end, num_train_timesteps)",
           "betas = np.array(mx.linspace(beta_start, beta_end, num_train_timesteps))", "mx.linspace for torch.linspace"),
    Mutant("naive scaled linspace", SHARED, "float32_schedule",
           "root = linspace_float32(beta_start**0.5, beta_end**0.5, num_train_timesteps)",
           "root = np.array(mx.linspace(beta_start**0.5, beta_end**0.5, num_train_timesteps))", "mx.linspace again"),
    Mutant("naive cumprod", SHARED, "float32_schedule",
           "alphas_cumprod = cumprod_float32(alphas)",
           "alphas_cumprod = np.array(mx.cumprod(mx.array(alphas)))", "mx.cumprod (float32 products) for torch's"),
    Mutant("no dynamic thresholding", SCHEDULER, "DDIMScheduler.step",
           "pred_original_sample = self._threshold_sample(pred_original_sample)",
           "pass  # thresholding: not ported", "a port for latent models only"),
    Mutant("no _threshold_sample", SCHEDULER, "DDIMScheduler._threshold_sample",
           "def _threshold_sample(self", "def _unported_threshold_sample(self", "the method never written"),
    Mutant("no bounds check in step", "mlx_ddim/shared.py", "checked_timestep",
           "if not -size <= timestep < size:", "if False:", "MLX does not bounds-check"),
    Mutant("no bounds check in add_noise", "mlx_ddim/shared.py", "_roots_at",
           "if mx.any(out_of_range).item():", "if False:", "MLX does not bounds-check"),
    Mutant("bare tuple", SCHEDULER, "DDIMScheduler.step",
           "return DDIMSchedulerOutput(prev_sample=prev_sample, pred_original_sample=pred_original_sample)",
           "return (prev_sample, pred_original_sample)", "no output class"),
]  # fmt: skip

# What those flaws must break, and why; every other row must pass.
EXPECTED = {
    # the naive schedule: every schedule's arrays, and the parameters that shape them
    **{("schedule", name): "fail" for name in ("linear", "scaled_linear", "squaredcos_cap_v2", "trained betas")},
    **{
        ("constructor behaviour", name): "fail"
        for name in (
            "num_train_timesteps",
            "beta_start",
            "beta_end",
            "beta_schedule",
            "trained_betas",
            "set_alpha_to_one",
        )
    },
    # ... and what reads them exactly: _get_variance (a ratio of schedule values, 0 ULP allowed)
    ("method", "_get_variance"): "fail",
    # no dynamic thresholding (and so no error for a thresholding ratio outside [0, 1])
    ("thresholding", "dynamic thresholding"): "fail",
    ("error parity", "dynamic_thresholding_ratio"): "fail",
    **{
        ("constructor behaviour", name): "fail"
        for name in ("thresholding", "dynamic_thresholding_ratio", "sample_max_value")
    },
    ("API", "DDIMScheduler._threshold_sample"): "fail",
    # no bounds check
    ("error parity", "timestep"): "fail",
    ("error parity", "add_noise_timestep"): "fail",
    # a bare tuple from step
    ("method", "step output (DDIMSchedulerOutput)"): "fail",
}


ZERO_SNR_FIXTURES = {"zero-snr-trailing-v", "bfloat16-zero-snr"}


def flawed_port(folder: Path) -> Path:
    """The flawed port as the package `flawed_ddim` under `folder`."""
    shutil.copytree(ROOT / "mlx_ddim", folder / "mlx_ddim", ignore=shutil.ignore_patterns("__pycache__"))
    for flaw in FLAWS:
        apply(flaw, folder)
    (folder / "mlx_ddim").rename(folder / "flawed_ddim")
    return folder


def conformance_rows(port: str, pythonpath: Path, monkeypatch) -> list:
    """The conformance report's rows for `port`, computed in this process (as `make conformance PORT=...` does)."""
    monkeypatch.setenv("PARITY_PORT", port)
    monkeypatch.syspath_prepend(str(pythonpath))
    return report_rows()


def test_exactly_the_flawed_features_fail_or_are_missing(tmp_path, monkeypatch):
    found = conformance_rows("flawed_ddim.scheduling_ddim:DDIMScheduler", flawed_port(tmp_path), monkeypatch)
    rows = {(row.family, row.feature): row for row in found}
    # The fixtures replay whole runs, schedule included: each fails on the naive schedule, except the zero-SNR ones:
    # there the schedule's tolerance is the rescale's amplification of one-ULP errors (schedule_zero_snr), which
    # also covers a float32 cumprod's (and so does "schedule: zero terminal SNR", which passes).
    expected = {**EXPECTED, **{key: "fail" for key in rows if key[0] == "fixture" and key[1] not in ZERO_SNR_FIXTURES}}
    # the flawed port is another port: the project's deliberate differences are not its own, so they are gaps too
    expected |= {key: row.status for key, row in rows.items() if row.status != "pass" and _is_deliberate(key)}
    got = {key: row.status for key, row in rows.items() if row.status != "pass"}
    assert got == expected, "\n".join(
        f"{key}: expected {expected.get(key, 'pass')}, got {got.get(key, 'pass')}: {rows[key].detail}"
        for key in sorted(set(got) | set(expected))
        if got.get(key) != expected.get(key)
    )
    for key in got:  # every failure says how to replay it against the same port
        assert rows[key].replay.startswith("PARITY_PORT=flawed_ddim.scheduling_ddim:DDIMScheduler python -m"), key


def _is_deliberate(key: tuple[str, str]) -> bool:
    from mlx_ddim.differences import surface_reasons

    return key[1] in surface_reasons()


def test_a_port_that_cannot_be_built_gets_failing_rows_not_a_crash(tmp_path, monkeypatch):
    (tmp_path / "unbuildable_ddim.py").write_text(
        "class DDIMScheduler:\n    def __init__(self, *args, **kwargs):\n        raise RuntimeError('boom')\n"
    )
    rows = conformance_rows("unbuildable_ddim:DDIMScheduler", tmp_path, monkeypatch)
    failing = [row for row in rows if row.status != "pass"]
    assert failing and any("boom" in row.detail for row in failing)
    assert [row.status for row in rows if row.family == "method" and row.feature == "step"] == ["blocked"]
