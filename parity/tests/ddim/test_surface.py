"""API-surface parity, DDIM's own part: the compatible schedulers' configs load both ways. (The introspected surface
check itself is generic: parity/tests/test_surface.py.)"""

from __future__ import annotations

import inspect
import logging

import pytest

from mlx_ddim.configuration import COMPATIBLE_SCHEDULER_KEYS
from parity import port
from parity.compare import assert_same
from parity.entries.ddim import reference
from parity.entries.ddim.checks import normalized

UNKNOWN_KEY_WARNING = "are not expected and will be ignored"


@pytest.mark.own_port
def test_compatible_keys_match_every_compatible_scheduler():
    """The port's record of diffusers' compatible-scheduler keys (dropped silently on load) is current, computed
    from every compatible class, those behind optional packages included."""
    keys = set()
    for compatible in reference.compatible_classes():
        keys |= set(inspect.signature(compatible.__init__).parameters)
    keys -= set(inspect.signature(reference.TorchDDIMScheduler.__init__).parameters)
    assert_same("compatible scheduler keys", sorted(keys), sorted(COMPATIBLE_SCHEDULER_KEYS))


# Some compatible schedulers' constructors (LMS, KDPM2) run numpy functions on tensors: tens of thousands of numpy 2
# DeprecationWarnings from diffusers' own code, none about what is checked here
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("compatible", reference.compatible_classes(), ids=lambda c: c.__name__)
def test_a_config_saved_by_each_compatible_scheduler_loads_both_ways(compatible, tmp_path, caplog):
    torch_dir, port_dir = tmp_path / "diffusers", tmp_path / "port"
    compatible().save_pretrained(torch_dir)
    with caplog.at_level(logging.WARNING):
        expected = reference.TorchDDIMScheduler.from_pretrained(torch_dir)
        got = port.scheduler_class().from_pretrained(torch_dir)
    assert_same("warnings loading it", [], [r.getMessage() for r in caplog.records if UNKNOWN_KEY_WARNING in r.message])
    assert_same("config loaded from it", normalized(expected.config), normalized(got.config))

    # ... and what the port saves loads into diffusers as what diffusers' own DDIMScheduler saves
    got.save_pretrained(port_dir)
    expected.save_pretrained(torch_ddim_dir := tmp_path / "diffusers-ddim")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        from_port = [compatible.from_pretrained(port_dir), reference.TorchDDIMScheduler.from_pretrained(port_dir)]
    assert_same("warnings loading the port's folder", [], [r.getMessage() for r in caplog.records])
    from_diffusers = [
        compatible.from_pretrained(torch_ddim_dir),
        reference.TorchDDIMScheduler.from_pretrained(torch_ddim_dir),
    ]
    for ours, theirs in zip(from_port, from_diffusers, strict=True):
        assert_same(f"{type(ours).__name__} from the port's folder", normalized(theirs.config), normalized(ours.config))
