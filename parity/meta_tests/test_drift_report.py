"""The drift guard tested: a changed reference file is reported loudly, with its version and a unified diff."""

from __future__ import annotations

from parity.entries.ddim import UPSTREAM, reference
from parity.upstream import drift_report


def test_drift_is_reported_with_a_diff(tmp_path):
    changed = tmp_path / "scheduling_ddim.py"
    text = open(reference.reference_module.__file__, encoding="utf-8").read()
    changed.write_text(text.replace("prev_timestep >= 0", "prev_timestep > 0", 1), encoding="utf-8")
    report = drift_report(changed, "9.9.9", UPSTREAM)
    assert report is not None and "UPSTREAM DRIFT" in report and "9.9.9" in report
    assert "-        alpha_prod_t_prev = self.alphas_cumprod[prev_timestep] if prev_timestep >= 0" in report
