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
                "port_vs_float64": _worst(m.port_vs_oracle for m in items),
                "reference_vs_float64": _worst(m.reference_vs_oracle for m in items),
            }
        )
    return rows


def _worst(values) -> float | None:
    values = [v for v in values if v is not None]
    return max(values) if values else None


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.3g}"


def markdown(rows: list[dict]) -> str:
    lines = [
        "| quantity | dtype | checks | failed | worst ULP | worst error / scale | tolerance "
        "| port vs float64 | reference vs float64 |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for r in rows:
        accuracy = r["port_vs_float64"] is not None
        lines.append(
            f"| {r['quantity']} | {r['dtype']} | {r['checks']} | {r['failed']} | "
            f"{'' if accuracy else r['worst_ulp']} | {'' if accuracy else _number(r['worst_error_over_scale'])} | "
            f"{'margin 1 eps' if accuracy else r['tolerance'] or 'exact'} | "
            f"{_number(r['port_vs_float64'])} | {_number(r['reference_vs_float64'])} |"
        )
    return "\n".join(lines) + "\n"


def write_reports(directory: str | Path = "reports") -> list[dict]:
    rows = summarize()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "parity.json").write_text(json.dumps(rows, indent=2) + "\n")
    (directory / "parity.md").write_text("# Parity summary\n\n" + markdown(rows))
    return rows
