"""The API-surface check tested: planted gaps in a port (and a name new in the reference) must fail, named."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import mlx.core as mx
import pytest

import mlx_ddim
from mlx_ddim.differences import surface_reasons
from parity import port, surface
from parity.entries import load, using
from parity.entries.ddim import reference

pytestmark = pytest.mark.own_port  # this project's port itself (skipped when PORT names another)


def surface_sides():
    """DDIM's reference and the port, as the surface check sees them."""
    with using("ddim"):
        return load("ddim").surface_sides()


def check(reference_side: surface.Side, port_side: surface.Side) -> None:
    surface.check(reference_side, port_side, lambda cls: cls(), surface_reasons())


def copy_without(cls: type, name: str) -> type:
    """The class as if its author had not written `name` (a copy: the real class is untouched)."""
    namespace = {k: v for k, v in vars(cls).items() if k not in (name, "__dict__", "__weakref__")}
    return type(cls.__name__, cls.__bases__, namespace)


def test_the_real_port_passes():
    check(*surface_sides())


def test_a_missing_method_fails_named():
    broken = replace(surface_sides()[1], scheduler=copy_without(mlx_ddim.DDIMScheduler, "add_noise"))
    with pytest.raises(AssertionError, match=r"DDIMScheduler\.add_noise \(missing\)"):
        check(surface_sides()[0], broken)


def test_an_output_without_the_dict_protocol_fails_named():
    @dataclass
    class DDIMSchedulerOutput:  # a port's plain dataclass: indexable, but no mapping
        prev_sample: mx.array
        pred_original_sample: mx.array | None = None

        def to_tuple(self) -> tuple:
            return tuple(getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None)

        def keys(self) -> list[str]:
            return [f.name for f in fields(self) if getattr(self, f.name) is not None]

        def __getitem__(self, key: Any) -> Any:
            return getattr(self, key) if isinstance(key, str) else self.to_tuple()[key]

    broken = replace(surface_sides()[1], output=DDIMSchedulerOutput)
    with pytest.raises(AssertionError) as failure:
        check(surface_sides()[0], broken)
    for gap in ("DDIMSchedulerOutput.values (missing)", "DDIMSchedulerOutput.items (missing)",
                "DDIMSchedulerOutput.__len__ (missing)", "DDIMSchedulerOutput[len] (behaviour)"):  # fmt: skip
        assert gap in str(failure.value)


def test_a_changed_default_fails_named():
    class DDIMScheduler(mlx_ddim.DDIMScheduler):
        def set_timesteps(self, num_inference_steps, device="cpu"):
            return super().set_timesteps(num_inference_steps, device)

    broken = replace(surface_sides()[1], scheduler=DDIMScheduler)
    with pytest.raises(AssertionError, match=r"DDIMScheduler\.set_timesteps \(parameters\).*device='cpu'"):
        check(surface_sides()[0], broken)


def test_an_attribute_of_another_kind_fails_named():
    class DDIMScheduler(mlx_ddim.DDIMScheduler):
        def set_timesteps(self, *args, **kwargs):
            super().set_timesteps(*args, **kwargs)
            self.timesteps = port.to_numpy(self.timesteps)  # a numpy array where diffusers has a tensor

    broken = replace(surface_sides()[1], scheduler=DDIMScheduler)
    with pytest.raises(AssertionError, match=r"DDIMScheduler\(\) after set_timesteps\.timesteps \(kind\)"):
        check(surface_sides()[0], broken)


def test_a_name_new_in_the_reference_fails_named():
    """What a future diffusers adding a public method looks like to the check."""
    newer = type("DDIMScheduler", (reference.TorchDDIMScheduler,), {"set_begin_index": lambda self, index=0: None})
    with pytest.raises(AssertionError, match=r"DDIMScheduler\.set_begin_index \(missing\)"):
        check(replace(surface_sides()[0], scheduler=newer), surface_sides()[1])


def test_a_listed_difference_that_is_gone_fails_named():
    with pytest.raises(AssertionError, match=r"no longer gaps \(remove them\): \['DDIMScheduler.long_gone'\]"):
        surface.check(*surface_sides(), lambda cls: cls(), {**surface_reasons(), "DDIMScheduler.long_gone": "x"})


def test_another_schedulers_listed_differences_are_not_this_ones():
    """A port's table lists the differences of all its schedulers; a comparison judges its own classes' only."""
    listed = {**surface_reasons(), "DDPMScheduler.long_gone": "x", "DDPMSchedulerOutput.gone": "x"}
    surface.check(*surface_sides(), lambda cls: cls(), listed)


def test_outcomes_record_exception_types_and_warnings():
    import warnings

    def warn_then_fail():
        warnings.warn("careful", FutureWarning, stacklevel=1)
        raise KeyError("k")

    text = surface._outcome(warn_then_fail, lambda v: v)
    assert text == "raises KeyError: 'k'; warns ['FutureWarning: careful']"


def test_a_port_without_an_output_class_fails_named():
    broken = replace(surface_sides()[1], output=type("DDIMSchedulerOutput", (), {}))
    with pytest.raises(AssertionError) as failure:
        check(surface_sides()[0], broken)
    assert "DDIMSchedulerOutput.to_tuple (missing)" in str(failure.value)
    assert "DDIMSchedulerOutput[keys] (behaviour)" in str(failure.value)
