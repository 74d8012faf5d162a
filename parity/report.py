"""The summary of a parity run: one table per section (each entry's, then any other: see parity.record), per
quantity and dtype, how many judgements, the worst ULP and error over scale, and the tolerance; then the API-surface
table of each entry checked. Printed at the end of `make parity` and written to reports/parity.json and
reports/parity.md (and reports/surface.md)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from parity.record import Measurement, Recorder

__all__ = ["markdown", "sections", "summarize", "summary_markdown", "surface_tables", "throughput", "write_reports"]


def throughput(recorder: Recorder) -> list[str]:
    """One line per entry on its Hypothesis properties in this run: examples, seconds, examples per second."""
    lines = []
    for entry in _ordered(set(recorder.cases) | set(recorder.property_seconds)):
        examples, seconds = recorder.examples(entry), recorder.property_seconds.get(entry, 0.0)
        total = sum(examples.values())
        if not total or not seconds:
            continue
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(examples.items()))
        lines.append(
            f"Hypothesis ({entry}): {total} examples ({kinds}) in {seconds:.1f} s, {total / seconds:.0f} per second"
        )
    return lines


def _ordered(names) -> list[str]:
    """Entries first, in ENTRIES order, then the other sections in the order given."""
    from parity.entries import ENTRIES

    names = list(dict.fromkeys(names))
    return [n for n in ENTRIES if n in names] + [n for n in names if n not in ENTRIES]


def sections(measurements: list[Measurement]) -> dict[str, list[dict]]:
    """section -> its summary rows, entries first, then the other sections in the order first recorded."""
    grouped: dict[str, list[Measurement]] = defaultdict(list)
    for m in measurements:
        grouped[m.section].append(m)
    return {name: summarize(grouped[name]) for name in _ordered(grouped)}


def summarize(measurements: list[Measurement]) -> list[dict]:
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
                "tolerance": _describe(tolerance, accuracy=items[0].quantity.endswith(" vs float64")),
                "port_vs_float64": _worst(m.port_vs_oracle for m in items),
                "reference_vs_float64": _worst(m.reference_vs_oracle for m in items),
            }
        )
    return rows


def _describe(tolerance, accuracy: bool) -> str | None:
    if tolerance is None:
        return None
    if accuracy:
        return f"port may lose {tolerance.floor_eps:g} eps*scale"
    return f"{tolerance.ulp} ulp or {tolerance.floor_eps:g} eps*scale"


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
            f"{r['tolerance'] or 'exact'} | "
            f"{_number(r['port_vs_float64'])} | {_number(r['reference_vs_float64'])} |"
        )
    return "\n".join(lines) + "\n"


def surface_tables(recorder: Recorder) -> str:
    """The API-surface table (parity/surface.py) of each entry whose surface check ran, one section each."""
    return "".join(f"## {entry}\n\n{recorder.surfaces[entry]}\n" for entry in _ordered(recorder.surfaces))


def summary_markdown(by_section: dict[str, list[dict]]) -> str:
    return "".join(f"## {name}\n\n{markdown(rows)}\n" for name, rows in by_section.items())


def write_reports(recorder: Recorder, directory: str | Path = "reports") -> dict[str, list[dict]]:
    """Write parity.json ({section: rows}), parity.md, surface.md and the trajectory plot; returns the sections."""
    by_section = sections(recorder.measurements)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "parity.json").write_text(json.dumps(by_section, indent=2) + "\n")
    (directory / "parity.md").write_text("# Parity summary\n\n" + summary_markdown(by_section))
    if recorder.surfaces:
        (directory / "surface.md").write_text(
            "# API surface: diffusers against the port\n\n" + surface_tables(recorder)
        )
    if recorder.trajectories:
        plot_trajectories(recorder.trajectories, directory / "trajectory.png")
    return by_section


def plot_trajectories(trajectories: dict[str, dict[str, list[float]]], path: Path) -> None:
    """The port's and the reference's error against the float64 loop, step by step, one panel per dtype
    (up to three 50-step loops each, to stay readable; every loop is in the summary's trajectory rows)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dtypes = ("float32", "float16", "bfloat16")
    figure, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    # margins set by hand: matplotlib's constrained layout took half of the plot's second at the end of every gate
    figure.subplots_adjust(left=0.05, right=0.99, bottom=0.11, top=0.93, wspace=0.26)
    for axis, dtype in zip(axes, dtypes, strict=True):
        shown = sorted(k for k in trajectories.items() if f" {dtype} " in k[0] and " 50 steps" in k[0])[:3]
        for index, (name, errors) in enumerate(shown):
            color = f"C{index}"
            label = name.split(f" {dtype}")[0]
            axis.semilogy(errors["reference"], color=color, linestyle="-", label=f"{label} (torch)")
            axis.semilogy(errors["port"], color=color, linestyle="--", label=f"{label} (port)")
        axis.set_title(f"{dtype}: 50-step loops, error against float64")
        axis.set_xlabel("step")
        axis.set_ylabel("max |x - x_float64| / max |x_float64|")
        axis.legend(fontsize=8)
    figure.savefig(path, dpi=110)
    plt.close(figure)
