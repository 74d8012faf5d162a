"""The papers' claims, executable (parity.papers): each property on the reference (diffusers in torch) and on the
MLX ports; every figure is recorded in the run's summary, and the module writes reports/papers.md."""

from __future__ import annotations

import pytest

from parity.papers.properties import PROPERTIES
from parity.papers.record import record, write_report

pytestmark = pytest.mark.reference


def _sides():
    from parity.papers.reference import reference_side
    from parity.papers.sides import port_side

    return {"reference": reference_side(), "port": port_side()}


SIDES = _sides()


@pytest.fixture(scope="module")
def results():
    """Every property's figures of this module, written to reports/papers.md when it ends."""
    collected: dict[int, list] = {}
    yield collected
    write_report(collected)


@pytest.mark.parametrize("side_name", list(SIDES))
@pytest.mark.parametrize("number", sorted(PROPERTIES))
def test_paper_property(number, side_name, results):
    prop, side = PROPERTIES[number], SIDES[side_name]
    missing = [kind for kind in ("ddim", "ddpm") if kind not in side.kinds()]
    if any(kind in prop.needs for kind in missing):
        pytest.skip(f"{side.name} has no {' or '.join(k.upper() for k in missing)} scheduler")
    figures = prop.measure(side)
    record(number, figures)
    results.setdefault(number, []).extend(figures)
    failed = [f.describe() for f in figures if not f.ok]
    assert not failed, f"papers {number} ({prop.title}) fails on {side.name}:\n" + "\n".join(failed)
    if missing:
        pytest.skip(
            f"{side.name} has no {' or '.join(k.upper() for k in missing)} scheduler: only the rest was checked"
        )
