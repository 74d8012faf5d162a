"""Running a case: the one way through the harness. A case (drawn by a strategy, written by a test or a feature, or
read from a replay line) names its check; the active entry's runner for that check runs both sides and judges them,
and the active recorder keeps the case and every judgement.
"""

from __future__ import annotations

import json

from parity import port
from parity.entries import current
from parity.record import active

__all__ = ["command", "run"]


def command(case: dict) -> str:
    """The line that reruns the case, against the same port (PARITY_PORT is named when it is not the default)."""
    return port.command_prefix() + "python -m parity.replay '" + json.dumps(case, sort_keys=True) + "'"


def run(case: dict) -> None:
    """Run the check the case names, recording the case in the active recorder; raises ParityError (with the
    report) if the port disagrees."""
    active().cases.append(case)
    runners = current().runners()
    if case.get("check") not in runners:
        raise ValueError(f"a case's 'check' must be one of {sorted(runners)}, got {case.get('check')!r}")
    runners[case["check"]](case, replay=command(case))
