"""Config parity: constructor defaults, from_config of shipped configs, save_pretrained both ways with diffusers."""

from __future__ import annotations

import pytest

from parity import port
from parity.compare import assert_same
from parity.entries.common.checks import run_config_case
from parity.entries.ddpm import reference
from parity.entries.ddpm.checks import normalized
from parity.entries.ddpm.shipped import SHIPPED


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((), {}),
        ((), {"num_train_timesteps": 500, "variance_type": "learned_range", "beta_schedule": "sigmoid"}),
        ((2000, 0.001), {"prediction_type": "sample", "timestep_spacing": "trailing"}),
    ],
)
def test_config_of_constructor(args, kwargs):
    ref = reference.TorchDDPMScheduler(*args, **kwargs).config
    got = port.scheduler_class()(*args, **kwargs).config
    assert_same("config", normalized(ref), normalized(got))


@pytest.mark.parametrize("name", SHIPPED)
def test_save_config_round_trips_through_diffusers(name, replay):
    run_config_case({"check": "config", "shipped": name}, replay)


def test_ddim_config_loads_into_ddpm():
    """A DDIM config (set_alpha_to_one is DDIM's own key) loads into DDPM as into diffusers' DDPMScheduler."""
    from diffusers import DDIMScheduler

    config = DDIMScheduler(steps_offset=1, set_alpha_to_one=False).config
    ref = reference.TorchDDPMScheduler.from_config(config)
    got = port.scheduler_class().from_config(dict(config))
    assert_same("config", normalized(ref.config), normalized(got.config))
