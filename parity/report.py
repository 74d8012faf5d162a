"""The summary of a parity run: per quantity and dtype, how many judgements, the worst ULP and error over scale,
and the tolerance. Printed at the end of `make parity` and written to reports/parity.json and reports/parity.md."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from .compare import MEASUREMENTS, Measurement

__all__ = ["summarize", "write_reports"]


def summarize(measurements: list[Measurement] = MEASUREMENTS) -> list[dict]:
    groups: dict[tuple[str, str], list[Measurement]] = defaultdict(list)
    for m in measurements:
        policy = f" [{m.tolerance.key}]" if m.tolerance is not None and m.tolerance.key else ""
        groups[(m.quantity + policy, m.dtype)].append(m)
    rows = []
    for (quantity, dtype), items in sorted(groups.items()):
        tolerance = next((m.tolerance for m in items if m.tolerance is not None), None)
        rows.append(
            {
                "quantity": quantity,
                "dtype": dtype,
                "checks": len(items),
                "failed": sum(not m.ok for m in items),
                "worst_ulp": max(m.max_ulp for m in items),
                "worst_error_over_scale": max(m.error_over_scale for m in items),
                "tolerance": None if tolerance is None else f"{tolerance.ulp} ulp or {tolerance.floor_eps:g} eps*scale",
            }
        )
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [
        "| quantity | dtype | checks | failed | worst ULP | worst error / scale | tolerance |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['quantity']} | {r['dtype']} | {r['checks']} | {r['failed']} | {r['worst_ulp']} | "
            f"{r['worst_error_over_scale']:.3g} | {r['tolerance'] or 'exact'} |"
        )
    return "\n".join(lines) + "\n"


def write_reports(directory: str | Path = "reports") -> list[dict]:
    rows = summarize()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "parity.json").write_text(json.dumps(rows, indent=2) + "\n")
    (directory / "parity.md").write_text("# Parity summary\n\n" + markdown(rows))
    return rows
