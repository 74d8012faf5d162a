"""Replay one parity example from its JSON case: `python -m parity.replay '<case>'`.

Every failure report of the Hypothesis properties ends with this command, holding the whole (shrunk) case, so
a failure is reproduced without Hypothesis, its database or the test that found it. The case names its entry
("entry": "ddim"), so the right scheduler is replayed; a case without one replays the current entry
(parity.entries.current: PARITY_ENTRY, or the entry PARITY_PORT selects). (The running itself is parity.running's;
this is its command line.)
"""

from __future__ import annotations

import json
import sys

from parity.compare import ParityError
from parity.entries import ENTRIES
from parity.running import run

__all__ = ["main"]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        case = json.loads(argv[0])
    except json.JSONDecodeError as error:
        print(f"not a JSON case: {error}", file=sys.stderr)
        return 2
    if not isinstance(case, dict) or "check" not in case:
        print(
            "a case is a JSON object naming its 'check' (copy it from a failure report's replay line)", file=sys.stderr
        )
        return 2
    if "entry" in case and case["entry"] not in ENTRIES:
        print(f"no scheduler entry {case['entry']!r}; the entries are {sorted(ENTRIES)}", file=sys.stderr)
        return 2
    try:
        run(case)
    except ParityError as failure:
        print(failure, file=sys.stderr)
        return 1
    print(f"ok: the port agrees with the reference on this {case['check']} case")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
