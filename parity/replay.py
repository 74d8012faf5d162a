"""Replay one parity example from its JSON case: `python -m parity.replay '<case>'`.

Every failure report of the Hypothesis properties ends with this command, holding the whole (shrunk) case, so
a failure is reproduced without Hypothesis, its database or the test that found it.
"""

from __future__ import annotations

import json
import sys

from parity import port
from parity.compare import ParityError
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


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    case = json.loads(argv[0])
    try:
        run(case)
    except ParityError as failure:
        print(failure, file=sys.stderr)
        return 1
    print(f"ok: the port agrees with the reference on this {case['check']} case")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
