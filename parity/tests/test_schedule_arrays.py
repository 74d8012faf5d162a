"""The schedule arrays against the reference, for every entry whose fixed cases declare SCHEDULE_OPTIONS (DDIM's and
DDPM's, whose schedules diffusers copies between them): each beta schedule of the entry (its ENUMS) over training
lengths from 1 to 4000, with and without zero-SNR rescaling, and each value of the entry's own options; and the
beta ranges of the schedules that read them. Each entry's `checks.check_schedule` judges them."""

from __future__ import annotations

import importlib.util
import itertools

import pytest

from parity.entries import ENTRIES, load
from parity.tests.fixed_cases import BETA_RANGES, BETA_SCHEDULES


def schedule_options(name: str) -> dict[str, tuple] | None:
    """The entry's SCHEDULE_OPTIONS (its `cases` module's), or None where it declares none."""
    if importlib.util.find_spec(f"{ENTRIES[name]}.cases") is None:
        return None
    return getattr(load(name).part("cases"), "SCHEDULE_OPTIONS", None)


def arrays_grid() -> list:
    """entry, config; ids as `<entry>-<options...>-<rescale>-<beta schedule>-<num_train_timesteps>`."""
    params = []
    for name in ENTRIES:
        options = schedule_options(name)
        if options is None:
            continue
        for values, rescale, schedule, n in itertools.product(
            itertools.product(*options.values()),
            (False, True),
            load(name).ENUMS["beta_schedule"],
            (1, 2, 7, 1000, 4000),
        ):
            config = {"num_train_timesteps": n, "beta_schedule": schedule, "rescale_betas_zero_snr": rescale}
            config |= {**dict(zip(options, values, strict=True)), **BETA_SCHEDULES[schedule]}
            params.append(pytest.param(name, config, id="-".join(map(str, (name, *values, rescale, schedule, n)))))
    return params


def ranges_grid() -> list:
    """entry, config: each beta range (grids.BETA_RANGES) for each of the entry's schedules that read one."""
    params = []
    for name in ENTRIES:
        if schedule_options(name) is None:
            continue
        ranged = [s for s in load(name).ENUMS["beta_schedule"] if s in ("linear", "scaled_linear", "sigmoid")]
        for schedule, (start, end) in itertools.product(ranged, BETA_RANGES):
            config = {"beta_start": start, "beta_end": end, "beta_schedule": schedule, "num_train_timesteps": 999}
            params.append(pytest.param(name, config, id="-".join(map(str, (name, schedule, start, end)))))
    return params


@pytest.mark.parametrize("entry, config", arrays_grid(), indirect=["entry"])
def test_schedule_arrays(entry, config, replay):
    entry.part("checks").check_schedule(entry.part("cases").make_pair(**config), replay)


@pytest.mark.parametrize("entry, config", ranges_grid(), indirect=["entry"])
def test_beta_ranges(entry, config, replay):
    entry.part("checks").check_schedule(entry.part("cases").make_pair(**config), replay)
