"""API-surface parity for DDPMScheduler: diffusers' whole public surface, found by introspection, is the port's, or
the difference is listed with its reason in the port's table of deliberate differences."""

from __future__ import annotations

import logging

import pytest

from parity import port, surface
from parity.compare import assert_same
from parity.entries.ddpm import reference
from parity.entries.ddpm.cases import listed_differences, surface_sides
from parity.entries.ddpm.checks import normalized

UNKNOWN_KEY_WARNING = "are not expected and will be ignored"


def test_every_difference_is_listed_and_every_listed_one_is_real():
    surface.check(*surface_sides(), lambda cls: cls(), listed_differences())


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("compatible", reference.compatible_classes(), ids=lambda c: c.__name__)
def test_a_config_saved_by_each_compatible_scheduler_loads(compatible, tmp_path, caplog):
    compatible().save_pretrained(tmp_path)
    with caplog.at_level(logging.WARNING):
        expected = reference.TorchDDPMScheduler.from_pretrained(tmp_path)
        got = port.scheduler_class().from_pretrained(tmp_path)
    assert_same("warnings loading it", [], [r.getMessage() for r in caplog.records if UNKNOWN_KEY_WARNING in r.message])
    assert_same("config loaded from it", normalized(expected.config), normalized(got.config))
