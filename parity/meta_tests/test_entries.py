"""The entry registry tested: which entry a check verifies, and a clear error for an unknown one."""

from __future__ import annotations

import pytest

from parity import entries, port


def test_the_port_under_test_selects_its_entry(monkeypatch):
    monkeypatch.setenv("PARITY_PORT", "their_package.module:DDIMScheduler")
    assert entries.current().NAME == "ddim"  # by the reference class's name
    assert port.spec() == "their_package.module:DDIMScheduler" and not port.is_own_port()
    assert port.command_prefix() == "PARITY_PORT=their_package.module:DDIMScheduler "


def test_using_and_the_environment_name_the_entry(monkeypatch):
    with entries.using("ddim") as entry:
        assert entries.current() is entry
    monkeypatch.setenv("PARITY_ENTRY", "ddim")
    assert entries.current().NAME == "ddim"


def test_an_unknown_entry_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PARITY_ENTRY", "heun")
    with pytest.raises(ValueError, match="no scheduler entry 'heun'; the entries are"):
        entries.current()


@pytest.mark.parametrize("spec", ["mlx_ddim.DDIMScheduler", "mlx_ddim:", ":DDIMScheduler"])
def test_a_malformed_port_is_a_clear_error(spec):
    with pytest.raises(ValueError, match=r"must read package\.module:Class"):
        port.load(spec)


def test_a_port_that_does_not_import_is_a_clear_error():
    with pytest.raises(ImportError, match=r"cannot import the port's module 'no_such_package\.module'"):
        port.load("no_such_package.module:DDIMScheduler")
    with pytest.raises(ImportError, match="has no class 'NoSuchClass'"):
        port.load("mlx_ddim:NoSuchClass")
