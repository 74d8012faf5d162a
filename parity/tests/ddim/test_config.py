"""Config parity: constructor defaults, from_config, from_pretrained and save_config both ways with diffusers."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from parity import port
from parity.compare import assert_same
from parity.entries.common.checks import run_config_case
from parity.entries.ddim import reference
from parity.entries.ddim.checks import normalized
from parity.entries.ddim.shipped import SD15
from parity.entries.ddim.shipped import SHIPPED as SHIPPED_BY_MODELS

SHIPPED = {**SHIPPED_BY_MODELS, "with-unknown-key": {**SD15, "my_custom_knob": 3}}


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((), {}),
        ((), {"num_train_timesteps": 500, "clip_sample": False}),
        ((2000, 0.001), {"prediction_type": "sample"}),
    ],
)
def test_config_of_constructor(args, kwargs):
    ref = reference.TorchDDIMScheduler(*args, **kwargs).config
    got = port.scheduler_class()(*args, **kwargs).config
    assert_same("config", normalized(ref), normalized(got))
    assert got.num_train_timesteps == got["num_train_timesteps"]
    with pytest.raises(TypeError):
        got["clip_sample"] = False


@pytest.mark.parametrize("name", SHIPPED)
def test_from_config_of_shipped_configs(name, caplog):
    with caplog.at_level(logging.WARNING):
        ref = reference.TorchDDIMScheduler.from_config(dict(SHIPPED[name]))
    reference_warned = "are not expected and will be ignored" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        got = port.scheduler_class().from_config(dict(SHIPPED[name]))
    assert_same("config", normalized(ref.config), normalized(got.config))
    assert_same("warned about unknown keys", reference_warned, "are not expected and will be ignored" in caplog.text)
    assert_same("warned exactly when a key is unknown", name == "with-unknown-key", reference_warned)
    ref.set_timesteps(50)
    got.set_timesteps(50)
    assert_same("timesteps", reference.to_numpy(ref.timesteps), port.to_numpy(got.timesteps))
    assert_same("alphas_cumprod", reference.to_numpy(ref.alphas_cumprod), port.to_numpy(got.alphas_cumprod))


def test_from_config_overrides_and_other_schedulers_config():
    ref = reference.TorchDDIMScheduler.from_config(reference.TorchDDIMScheduler().config, steps_offset=2)
    got = port.scheduler_class().from_config(port.scheduler_class()().config, steps_offset=2)
    assert_same("config", normalized(ref.config), normalized(got.config))


@pytest.mark.parametrize("name", SHIPPED_BY_MODELS)
def test_save_config_round_trips_through_diffusers(name, replay):
    run_config_case({"check": "config", "shipped": name}, replay)


def test_from_pretrained_subfolder_and_trained_betas(tmp_path):
    betas = np.linspace(1e-4, 0.02, 100).tolist()
    reference.TorchDDIMScheduler(num_train_timesteps=100, trained_betas=betas).save_config(tmp_path / "scheduler")
    ref = reference.TorchDDIMScheduler.from_pretrained(tmp_path, subfolder="scheduler")
    got = port.scheduler_class().from_pretrained(tmp_path, subfolder="scheduler")
    assert_same("config", normalized(ref.config), normalized(got.config))
    assert_same("betas", reference.to_numpy(ref.betas), port.to_numpy(got.betas))


def test_hub_id_is_a_clear_error():
    with pytest.raises(FileNotFoundError, match="reads only local paths"):
        port.scheduler_class().from_pretrained("runwayml/stable-diffusion-v1-5", subfolder="scheduler")


def test_broken_config_files_are_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"scheduler_config\.json"):
        port.scheduler_class().from_pretrained(tmp_path)
    (tmp_path / "scheduler_config.json").write_text("{not json")
    with pytest.raises(OSError, match="not a valid JSON file"):
        port.scheduler_class().from_pretrained(tmp_path)
