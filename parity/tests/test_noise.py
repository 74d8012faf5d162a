"""add_noise and get_velocity against the reference, for every entry whose fixed cases declare them (its `cases`
module's NOISE_CONFIGS and NOISE_SHAPES: DDIM's and DDPM's, whose method is the one diffusers copies between them):
per-sample timesteps, broadcasting, dtypes. Each entry's `checks.check_noise` runs both sides and judges them."""

from __future__ import annotations

import importlib.util
import itertools

import pytest

from parity.entries import ENTRIES, load
from parity.entries.common.pairs import inputs
from parity.tests.fixed_cases import NOISE_TIMESTEPS


def noise_cases(name: str) -> tuple[list[dict], list[tuple[int, ...]]]:
    """The entry's NOISE_CONFIGS and NOISE_SHAPES; none for an entry that declares none."""
    if importlib.util.find_spec(f"{ENTRIES[name]}.cases") is None:
        return [], []
    cases = load(name).part("cases")
    return getattr(cases, "NOISE_CONFIGS", []), getattr(cases, "NOISE_SHAPES", [])


def grid(dtypes: tuple[str, ...], with_shapes: bool) -> list:
    """entry, config, shape (or None), timesteps, dtype, method: each entry's configs (and shapes) with every
    timesteps layout, dtype and method; ids as `<entry>-config<i>-shape<j>-<timesteps>-<dtype>-<method>`."""
    params = []
    for name in ENTRIES:
        configs, shapes = noise_cases(name)
        shaped = list(enumerate(shapes)) if with_shapes else [(None, None)]
        for (i, config), (j, shape), rest in itertools.product(
            enumerate(configs), shaped, itertools.product(NOISE_TIMESTEPS, dtypes, ("add_noise", "get_velocity"))
        ):
            ids = [name, f"config{i}", *([f"shape{j}"] if with_shapes else []), *rest]
            params.append(pytest.param(name, config, shape, *rest, id="-".join(ids)))
    return params


NAMES = "entry, config, shape, timesteps, dtype, method"


@pytest.mark.parametrize(NAMES, grid(("float32", "float16", "bfloat16"), with_shapes=True), indirect=["entry"])
def test_noise(entry, config, shape, timesteps, dtype, method, replay):
    a, b = inputs(shape, 11, count=2)
    pair = entry.part("cases").make_pair(**config)
    entry.part("checks").check_noise(pair, method, dtype, a, b, NOISE_TIMESTEPS[timesteps](shape[0]), replay)


@pytest.mark.own_port  # an extension of this project's port, not diffusers' API
@pytest.mark.parametrize(NAMES, grid(("float32", "bfloat16"), with_shapes=False), indirect=["entry"])
def test_noise_with_numpy_timesteps(entry, config, shape, timesteps, dtype, method, replay):
    a, b = inputs((4, 4, 8, 8), 11, count=2)
    pair = entry.part("cases").make_pair(**config)
    check_noise = entry.part("checks").check_noise
    check_noise(pair, method, dtype, a, b, NOISE_TIMESTEPS[timesteps](4), replay, timesteps_as="numpy")
