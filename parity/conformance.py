"""The conformance report: `make conformance PORT=package.module:Class` (or `python -m parity.conformance`).

The first thing to run on a port of your own. Every feature is checked to the end (one failure never stops the
others) and gets one row: pass, fail (with the first failure and the line that replays it) or missing (the port
lacks what the feature needs). The rows are the API surface, found by introspection (each member of the scheduler
and output classes, each constructor parameter, each instance attribute, the output's mapping protocol, the
config's behaviour), then the behaviour features of the scheduler's entry (its `features()`) and its recorded
fixtures. One section per entry under test (parity.entries.selected: with PORT, the entry it selects; without,
every entry against its own port; `--entry NAME` picks one). Written to reports/conformance.md and
reports/conformance.json; the exit status is 1 when any row of any section fails or is missing.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import traceback
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from parity import port
from parity.compare import ParityError
from parity.record import Recorder, recording
from parity.running import command, run
from parity.surface import Comparison, Gap

__all__ = ["Feature", "Row", "api_rows", "feature_rows", "main", "markdown"]

PASS, FAIL, MISSING = "pass", "fail", "missing"
SURFACE_TEST = "parity/tests/test_surface.py::test_every_difference_is_listed_and_every_listed_one_is_real[{entry}]"


@dataclass(frozen=True)
class Feature:
    """One row's worth of behaviour: replayable cases (parity.replay runs them) and the port methods they need (a
    port without one gets "missing", not "fail")."""

    family: str
    name: str
    cases: tuple[dict, ...]
    needs: tuple[str, ...] = ("set_timesteps", "step")


@dataclass(frozen=True)
class Row:
    family: str
    feature: str
    status: str
    detail: str = ""
    replay: str = ""


def api_rows(comparison: Comparison, listed: dict[str, str]) -> list[Row]:
    """One row per API name, instance attribute and behaviour probe of the reference's surface, from the surface
    gaps (a listed deliberate difference passes, with its topic)."""
    by_key: dict[str, list[Gap]] = {}
    for gap in comparison.gaps:
        by_key.setdefault(gap.key, []).append(gap)
    rows = []
    for family, keys in (("API", comparison.compared["class members"]),
                         ("instance attribute", comparison.compared["instance attributes"]),
                         ("behaviour", comparison.compared["behaviour probes"])):  # fmt: skip
        for key in keys:
            found = by_key.get(key, [])
            unlisted = [g for g in found if g.key not in listed]
            if not unlisted:
                note = "; ".join(sorted({f"deliberate: {listed[g.key]}" for g in found}))
                rows.append(Row(family, key, PASS, note))
            else:
                status = MISSING if any(g.aspect == "missing" for g in unlisted) else FAIL
                replay = _surface_replay()
                rows.append(Row(family, key, status, str(unlisted[0]), replay))
    return rows


def _surface_replay() -> str:
    from parity.entries import current

    return f"{port.command_prefix()}python -m pytest -q '{SURFACE_TEST.format(entry=current().NAME)}'"


def _parameter_rows(reference_class: type, port_class: type) -> list[Row]:
    """Each constructor parameter of the reference: present in the port, same kind and default."""
    theirs = inspect.signature(reference_class.__init__).parameters
    ours = inspect.signature(port_class.__init__).parameters
    rows = []
    for name, parameter in list(theirs.items())[1:]:
        if name not in ours:
            rows.append(Row("constructor parameter", name, MISSING, "the port's __init__ does not take it"))
        elif ours[name].default != parameter.default or ours[name].kind != parameter.kind:
            detail = f"reference default {parameter.default!r}, port {ours[name].default!r}"
            rows.append(Row("constructor parameter", name, FAIL, detail))
        else:
            rows.append(Row("constructor parameter", name, PASS))
    return rows


def feature_rows(features: list, port_class: type) -> list[Row]:
    """Run each feature's cases to the end; the first failure of a feature is its row's detail."""
    rows = []
    for feature in features:
        absent = [name for name in feature.needs if not hasattr(port_class, name)]
        if absent:
            rows.append(Row(feature.family, feature.name, MISSING, f"the port has no {', '.join(absent)}"))
            continue
        rows.append(_run_feature(feature))
    return rows


def _run_feature(feature) -> Row:
    for case in feature.cases:
        try:
            with recording(Recorder()):
                run(case)
        except ParityError as failure:
            return Row(feature.family, feature.name, FAIL, str(failure).splitlines()[0], command(case))
        except Exception as error:  # a broken port is a failing row, never a crash of the report
            where = traceback.extract_tb(error.__traceback__)[-1]
            detail = f"{type(error).__name__}: {error} (at {Path(where.filename).name}:{where.lineno})"
            status = MISSING if isinstance(error, AttributeError) and "has no attribute" in str(error) else FAIL
            return Row(feature.family, feature.name, status, detail, command(case))
    return Row(feature.family, feature.name, PASS)


def fixture_rows(directory: Path) -> list[Row]:
    names = sorted(p.name for p in directory.iterdir() if p.is_dir()) if directory.is_dir() else []
    features = [
        Feature("fixture", name, ({"check": "fixture", "fixture": name},), ("from_config", "step")) for name in names
    ]
    return feature_rows(features, port.scheduler_class())


def report_rows() -> list[Row]:
    """Every row of the report for the port under test."""
    from parity import surface
    from parity.entries import current

    entry = current()
    reference_side, port_side = entry.surface_sides()
    try:
        comparison = surface.surface_gaps(reference_side, port_side, lambda cls: cls())
        rows = api_rows(comparison, entry.listed_differences())
    except Exception as error:  # a port that cannot even be built: a failing row, and the other features still run
        rows = [
            Row(
                "API",
                "surface comparison",
                FAIL,
                f"{type(error).__name__}: {error}",
                _surface_replay(),
            )
        ]
    rows += _parameter_rows(reference_side.scheduler, port_side.scheduler)
    rows += feature_rows(entry.conformance_features(), port_side.scheduler)
    rows += fixture_rows(entry.FIXTURES)
    return rows


def markdown(rows: list[Row], spec: str, reference: str) -> str:
    """One entry's section of the report."""
    counts = Counter(row.status for row in rows)
    lines = [
        f"## Conformance of `{spec}` to `{reference}`",
        "",
        f"**{counts[PASS]} pass, {counts[FAIL]} fail, {counts[MISSING]} missing** of {len(rows)} features. "
        "A failing row's replay line reruns exactly that check against the same port.",
        "",
    ]
    failing = [r for r in rows if r.status != PASS]
    if failing:
        lines += [
            "### What does not hold",
            "",
            "| family | feature | status | first failure | replay |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {r.family} | {r.feature} | **{r.status}** | {_cell(r.detail)} | {_code(r.replay)} |" for r in failing
        ]
        lines.append("")
    lines += ["### Every feature", ""]
    for family in dict.fromkeys(r.family for r in rows):
        members = [r for r in rows if r.family == family]
        passed = sum(r.status == PASS for r in members)
        lines += [
            f"#### {family} ({passed} of {len(members)} pass)",
            "",
            "| feature | status | note |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {_code(r.feature)} | {r.status} | {_cell(r.detail)} |" for r in members]
        lines.append("")
    return "\n".join(lines)


def _cell(text: str, width: int = 160) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _code(text: str) -> str:
    return f"`{text.replace('`', '')}`" if text else ""


def main(argv: list[str] | None = None) -> int:
    from parity.entries import selected, using

    parser = argparse.ArgumentParser(prog="python -m parity.conformance", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, default=Path("reports"), help="where to write conformance.md/.json")
    parser.add_argument("--entry", help="only this entry (default: every entry under test)")
    arguments = parser.parse_args(argv)
    try:
        names = [arguments.entry] if arguments.entry else selected()
    except ValueError as error:
        print(f"conformance: {error}", file=sys.stderr)
        return 2
    sections, texts, failing = {}, [], 0
    for name in names:
        with using(name) as entry:
            try:
                port.scheduler_class()
            except (ImportError, ValueError) as error:
                print(f"conformance: no port to check: {error}", file=sys.stderr)
                return 2
            rows = report_rows()
            texts.append(markdown(rows, port.spec(), entry.REFERENCE))
            sections[name] = {"port": port.spec(), "reference": entry.REFERENCE, "rows": [asdict(r) for r in rows]}
            failing += sum(row.status != PASS for row in rows)
    arguments.reports.mkdir(parents=True, exist_ok=True)
    (arguments.reports / "conformance.md").write_text("# Conformance\n\n" + "\n".join(texts) + "\n")
    (arguments.reports / "conformance.json").write_text(json.dumps(sections, indent=2) + "\n")
    for text in texts:
        print(text.split("### Every feature")[0].rstrip() + "\n")
    print(f"written: {arguments.reports / 'conformance.md'}, {arguments.reports / 'conformance.json'}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
