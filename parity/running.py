"""Running a case: the one way through the harness. A case (drawn by a strategy, written by a test or a feature, or
read from a replay line) names its check; the entry's runner for that check runs both sides and judges them, and
the active recorder keeps the case and every judgement.

A check the entry does not know may be the active adapter's own (an adapter's `runners`, for rows that only it can
express, parity.adapter). The entry is the current one (parity.entries.current), or the one the case names under "entry": the replay line
`command(case)` writes it into the case, so a line copied from any failure report reruns the right scheduler.
"""

from __future__ import annotations

import json
from contextlib import nullcontext

from parity import port
from parity.entries import current, using
from parity.record import active

__all__ = ["adapter_runners", "command", "run"]


def command(case: dict) -> str:
    """The line that reruns the case: its entry named in it, against the same port (PARITY_PORT is named when it is
    not the entry's default)."""
    named = {**case, "entry": case.get("entry") or current().NAME}
    return port.command_prefix() + "python -m parity.replay '" + json.dumps(named, sort_keys=True) + "'"


def run(case: dict) -> None:
    """Run the check the case names (for the entry it names, if it names one), recording the case in the active
    recorder; raises ParityError (with the report) if the port disagrees, ValueError for an unknown check or entry."""
    case = dict(case)
    name = case.pop("entry", None)
    with using(name) if name else nullcontext():
        entry = current()
        runners = entry.runners()
        if case.get("check") not in runners:  # a row only the port's adapter can express brings its own runner
            runners = {**adapter_runners(), **runners}
        if case.get("check") not in runners:
            raise ValueError(f"a case's 'check' must be one of {sorted(runners)}, got {case.get('check')!r}")
        active().add_case(entry.NAME, case)
        runners[case["check"]](case, replay=command(case))


def adapter_runners() -> dict:
    """The case runners the active adapter brings for its own rows (`runners`, parity.adapter), or none: a replay
    line names the adapter (PARITY_ADAPTER), so such a case reruns through it."""
    return dict(getattr(port.adapter(), "runners", None) or {})
