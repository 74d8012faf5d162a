"""The conformance report: `make conformance PORT=package.module:Class` (or `python -m parity.conformance --port
package.module:Class`, from any folder once the package is installed).

The first thing to run on a port of your own. Every feature is checked to the end (one failure never stops the
others) and gets one row, reached through the port's adapter (parity.adapter: diffusers' API by default, `--adapter`
for a port of another shape), so that each row needs its own capability and no other:

- pass;
- fail, graded: `API` (a difference of the API surface, reported once, in the API rows), `rounding-level` (the
  worst element within a few ULP of what the tolerance allows, or every error within a few eps of the computation's
  scale beyond the tolerance's floor), `wrong` (beyond that, or an exact quantity that differs), `crash` (the port
  raised where the reference did not); with how far (ULP, error over tolerance, error over scale, where, both values)
  and the line that replays it;
- blocked: the port lacks a capability the row needs ("blocked by: no `get_velocity`"), counted apart.

(A fixture whose data file is missing or broken fails its row as `missing data`.)

The rows are the API surface, found by introspection (each member of the scheduler and output classes, each
constructor parameter, each instance attribute, the output's mapping protocol, the config's behaviour), then the
behaviour features of the scheduler's entry (its `features()`: each reference row, and apart from them the rows of
this project's own extensions, marked "extension"), the rows the port's adapter adds of its own (its `features()`:
what only it can reach, such as the port's own pipeline calls) and its recorded fixtures (every canonical one, present or not:
a missing data file is a failing row). A summary on top answers "is my math right?" per topic.

One section per entry under test (parity.entries.selected; `--entry NAME` picks one). Written to
reports/conformance.md (the whole report), conformance.json, conformance.xml (JUnit: one testcase per row) and
conformance-summary.md (short: for a CI job's step summary). With `--xfails FILE` (each line a row id and a reason,
as array-api-tests takes a `<library>-xfails.txt`), the rows it lists are expected failures; the run fails on any
other failing or blocked row and names the listed rows that now hold, so the file can shrink. Exit status: 0 when
every required row passes or is an expected failure, 1 otherwise, 2 when there is no port to check. An extension
row is required of this project's own port only.
"""

from __future__ import annotations

import argparse
import fnmatch
import inspect
import json
import math
import os
import re
import sys
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from parity import port
from parity.adapter import Unsupported
from parity.compare import ParityError
from parity.fixtures import FixtureError
from parity.record import Recorder, recording
from parity.running import command, run
from parity.surface import Comparison, Gap

__all__ = [
    "Feature",
    "Row",
    "api_rows",
    "apply_xfails",
    "feature_rows",
    "junit",
    "main",
    "markdown",
    "read_xfails",
    "report_rows",
    "summary",
]

PASS, FAIL, BLOCKED, XFAIL, XPASS = "pass", "fail", "blocked", "xfail", "xpass"
API, ROUNDING, WRONG, CRASH, NO_DATA = "API", "rounding-level", "wrong", "crash", "missing data"
REFERENCE, EXTENSION, SURFACE = "reference", "extension", "api"  # what a row is about
# A failure within this many ULP beyond the tolerance's, or within this many times the error it allows, or whose
# largest error is within this many eps of the computation's scale beyond the tolerance's floor, is graded
# rounding-level: the port computes the right thing, rounded differently.
ROUNDING_LEVEL = 8
SURFACE_TEST = "parity/tests/test_surface.py::test_every_difference_is_listed_and_every_listed_one_is_real[{entry}]"


@dataclass(frozen=True)
class Feature:
    """One row's worth of behaviour: replayable cases (parity.replay runs them), the capabilities they need (a
    port without one gets "blocked", not "fail"), what the row is about (`kind`: a reference behaviour, an
    extension of this project's port, or the API surface) and the summary topic it counts under."""

    family: str
    name: str
    cases: tuple[dict, ...]
    needs: tuple[str, ...] = ("set_timesteps", "step")
    kind: str = REFERENCE
    topic: str = ""


@dataclass
class Row:
    family: str
    feature: str
    status: str
    detail: str = ""
    replay: str = ""
    severity: str = ""  # of a failure: API, rounding-level, wrong or crash
    kind: str = REFERENCE
    topic: str = ""
    blocked_by: str = ""
    numbers: dict[str, Any] = field(default_factory=dict)  # how far the worst element is off (ParityError.numbers)
    quantity: str = ""
    entry: str = ""
    reason: str = ""  # an expected failure's reason, from the xfails file

    @property
    def id(self) -> str:
        """`entry/family/feature`, each part slugged: what the xfails file names."""
        return "/".join(_slug(part) for part in (self.entry, self.family, self.feature))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.]+", "-", text).strip("-")


# ---------------------------------------------------------------------------------------------- the API surface


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
                rows.append(Row(family, key, PASS, note, kind=SURFACE, topic=API))
            else:
                rows.append(Row(family, key, FAIL, str(unlisted[0]), _surface_replay(), API, SURFACE, API))
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
            detail = "the port's __init__ does not take it"
        elif ours[name].default != parameter.default or ours[name].kind != parameter.kind:
            detail = f"reference default {parameter.default!r}, port {ours[name].default!r}"
        else:
            rows.append(Row("constructor parameter", name, PASS, kind=SURFACE, topic=API))
            continue
        rows.append(Row("constructor parameter", name, FAIL, detail, severity=API, kind=SURFACE, topic=API))
    return rows


# ------------------------------------------------------------------------------------------ behaviour features


def _available(adapter: Any, capability: str) -> bool:
    """Whether the adapter declares `capability` (or, for the default, which declares none, whether the port class
    has a method of that name: other capabilities are found out by calling)."""
    declared = getattr(adapter, "capabilities", None)
    if declared is not None:
        return capability in declared
    port_class = getattr(adapter, "port_class", None)
    if port_class is None or not capability.isidentifier():
        return True
    return callable(getattr(port_class, capability, None))


def feature_rows(features: list[Feature], adapter: Any = None) -> list[Row]:
    """Run each feature's cases to the end; the first failure of a feature is its row's detail. A feature whose
    needs the adapter lacks is blocked without running."""
    adapter = adapter if adapter is not None else port.adapter()
    rows = []
    for feature in features:
        absent = [name for name in feature.needs if not _available(adapter, name)]
        if absent:
            blocked = ", ".join(f"`{name}`" for name in absent)
            rows.append(_row(feature, BLOCKED, f"blocked by: no {blocked}", blocked_by=absent[0]))
            continue
        rows.append(_run_feature(feature))
    return rows


def _row(feature: Feature, status: str, detail: str = "", **facts: Any) -> Row:
    return Row(feature.family, feature.name, status, detail, kind=feature.kind, topic=feature.topic or feature.family,
               **facts)  # fmt: skip


def _run_feature(feature: Feature) -> Row:
    for case in feature.cases:
        try:
            with recording(Recorder()):
                run(case)
        except Unsupported as missing:
            return _row(feature, BLOCKED, f"blocked by: {missing}", replay=command(case), blocked_by=missing.capability)
        except ParityError as failure:
            severity = API if feature.kind == SURFACE else grade(failure)
            return _row(
                feature, FAIL, str(failure).splitlines()[0], replay=command(case), severity=severity,
                numbers=failure.numbers, quantity=failure.quantity,
            )  # fmt: skip
        except FixtureError as error:  # the harness's own data: a failing row, never a shorter report
            return _row(feature, FAIL, f"{type(error).__name__}: {error}", replay=command(case), severity=NO_DATA)
        except Exception as error:  # a broken port is a failing row, never a crash of the report
            where = traceback.extract_tb(error.__traceback__)[-1]
            detail = f"{type(error).__name__}: {error} (at {Path(where.filename).name}:{where.lineno})"
            return _row(feature, FAIL, detail, replay=command(case), severity=API if feature.kind == SURFACE else CRASH)
    return _row(feature, PASS)


def grade(failure: ParityError) -> str:
    """rounding-level when the worst element is within ROUNDING_LEVEL ULP beyond the tolerance's, or within
    ROUNDING_LEVEL times the error the tolerance allows, or when the largest error over the computation's scale is
    within ROUNDING_LEVEL eps (of the dtype) beyond the tolerance's floor: an element that cancels toward 0 counts
    many ULP for an error that a rounding at the scale's size makes; wrong otherwise (and for an exact quantity that
    differs: timesteps, dtypes, NaN positions, which exception). A grade only: the row fails either way."""
    numbers = failure.numbers
    if not numbers:
        return WRONG
    near = numbers.get("over", math.inf) <= ROUNDING_LEVEL
    if "ulp" in numbers:
        near = near or numbers["ulp"] <= numbers.get("tolerance_ulp", 0) + ROUNDING_LEVEL
    if "eps_of_scale" in numbers:
        near = near or numbers["eps_of_scale"] <= numbers.get("tolerance_floor_eps", 0) + ROUNDING_LEVEL
    return ROUNDING if near else WRONG


def adapter_features() -> list[Feature]:
    """The rows the active adapter adds of its own (its `features()`, parity.adapter): behaviour of the port that
    only the adapter can reach, such as a pipeline's own way of building and stepping it, each case run by one of
    the adapter's `runners`; none for the default adapter."""
    features = getattr(port.adapter(), "features", None)
    return list(features()) if callable(features) else []


def fixture_rows(entry: Any) -> list[Row]:
    """One row per fixture: every canonical fixture of the entry (a missing one is a failing row, never a shorter
    report) and any other recorded there (promoted ones)."""
    directory = entry.FIXTURES
    on_disk = {p.name for p in directory.iterdir() if p.is_dir()} if directory.is_dir() else set()
    names = sorted(set(entry.fixtures.CANONICAL) | on_disk)
    features = [Feature("fixture", name, ({"check": "fixture", "fixture": name},), ("step",), topic="recorded fixtures")
                for name in names]  # fmt: skip
    return feature_rows(features)


def report_rows() -> list[Row]:
    """Every row of the report for the port under test, in the active entry."""
    from parity import surface
    from parity.entries import current

    entry = current()
    reference_side, port_side = entry.surface_sides()
    try:
        comparison = surface.surface_gaps(reference_side, port_side, lambda cls: cls())
        rows = api_rows(comparison, entry.listed_differences())
    except Exception as error:  # the comparison itself broke: one failing row, and every other row still runs
        detail = f"{type(error).__name__}: {error}"
        rows = [Row("API", "surface comparison", FAIL, detail, _surface_replay(), CRASH, SURFACE, API)]
    rows += _parameter_rows(reference_side.scheduler, port_side.scheduler)
    rows += feature_rows(entry.conformance_features())
    rows += feature_rows(adapter_features())
    rows += fixture_rows(entry)
    for row in rows:
        row.entry = entry.NAME
    return rows


# ----------------------------------------------------------------------------------------- known differences


def read_xfails(path: Path) -> dict[str, str]:
    """A known-differences file: each line a row id (or a glob of ids: `ddim/fixture/*`) and the reason, blank lines
    and `#` comments ignored. A line without a reason is an error that names it."""
    listed = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if not text:
            continue
        row_id, _, reason = text.partition(" ")
        if not reason.strip():
            raise ValueError(f"{path}:{number}: a known difference needs a reason after the row id: {line!r}")
        listed[row_id] = reason.strip()
    return listed


def apply_xfails(rows: list[Row], listed: dict[str, str]) -> list[str]:
    """Mark the listed rows: a failing or blocked one is an expected failure (xfail), a passing one `xpass` (it
    holds now: remove it from the file). Returns the listed ids that match no row."""
    used = set()
    for row in rows:
        pattern = next((p for p in listed if fnmatch.fnmatchcase(row.id, p)), None)
        if pattern is None:
            continue
        used.add(pattern)
        row.reason = listed[pattern]
        row.status = XPASS if row.status == PASS else XFAIL
    return sorted(set(listed) - used)


def required(row: Row) -> bool:
    """Whether the row's failure fails the run: every reference and API row; an extension row only of this
    project's own port (the extension is its claim)."""
    return row.kind != EXTENSION or port.is_own_port()


def unexpected(rows: list[Row]) -> list[Row]:
    return [row for row in rows if row.status in (FAIL, BLOCKED) and required(row)]


# -------------------------------------------------------------------------------------------------- writing


def _worst(rows: list[Row]) -> str:
    numbered = [r for r in rows if r.numbers]
    if not numbered:
        return rows[0].detail
    row = max(numbered, key=lambda r: (r.numbers.get("ulp", 0), r.numbers.get("over", 0)))
    return _far(row)


def _far(row: Row) -> str:
    """How far a numeric failure is off, in words: quantity, index, both values, ULP, error over tolerance, the
    largest error over the scale."""
    n = row.numbers
    if not n:
        return row.detail
    parts = [
        f"{row.quantity} at {n.get('index')}: reference {n.get('reference_value')!r}, port {n.get('port_value')!r}"
    ]
    if "ulp" in n:
        parts.append(f"{n['ulp']} ULP (tolerance {n.get('tolerance_ulp', 0)})")
    if math.isfinite(n.get("over", math.inf)):
        parts.append(f"{n['over']:.3g} times the error allowed")
    if math.isfinite(n.get("eps_of_scale", math.inf)):
        parts.append(f"largest error {n['eps_of_scale']:.3g} eps of scale")
    return "; ".join(parts)


# The summary's topics, in this order (others after them, as they come); the numeric ones decide "is the math right?"
TOPICS = ("schedule", "timestep spacing", "step", "noise", "recorded fixtures", "errors", "config files")
NOT_MATH = ("errors", "config files")


def _order(topic: str) -> int:
    return next((i for i, name in enumerate(TOPICS) if topic == name or topic.startswith(name + " (")), len(TOPICS))


def summary(rows: list[Row]) -> list[str]:
    """A few lines: whether the numbers hold, then per topic how it fails where it does."""
    behaviour = [r for r in rows if r.kind == REFERENCE]
    numeric = [r for r in behaviour if r.topic not in NOT_MATH]
    failing = [r for r in numeric if r.status in (FAIL, XFAIL)]
    if not failing:
        verdict = "yes"
    elif all(r.severity == ROUNDING for r in failing):
        verdict = "yes, to rounding"
    else:
        verdict = "no"
    blocked = sum(r.status == BLOCKED for r in numeric)
    lines = [
        f"**Is the math right? {verdict}.** {len(numeric) - blocked} of {len(numeric)} numeric rows judged "
        f"({blocked} blocked by a missing capability), {len(failing)} fail.",
        "",
    ]
    for topic in sorted(dict.fromkeys(r.topic for r in behaviour), key=_order):
        lines.append(f"- {topic}: {_topic_verdict([r for r in behaviour if r.topic == topic])}")
    api = [r for r in rows if r.kind == SURFACE]
    gaps = sum(r.status in (FAIL, XFAIL) for r in api)
    lines.append(f"- API surface: {'holds' if not gaps else f'{gaps} gaps'} ({len(api)} rows; a gap is reported "
                 "there once, never as a numeric failure)")  # fmt: skip
    extensions = [r for r in rows if r.kind == EXTENSION]
    if extensions:
        held = sum(r.status == PASS for r in extensions)
        lines.append(f"- extensions of this project's port (not diffusers' API): {held} of {len(extensions)} hold")
    return lines


def _topic_verdict(members: list[Row]) -> str:
    counts = Counter(r.status for r in members)
    failing = [r for r in members if r.status in (FAIL, XFAIL)]
    blocked = [r for r in members if r.status == BLOCKED]
    parts = []
    if not failing and not blocked:
        return f"holds ({len(members)} rows)"
    if failing:
        by_severity = Counter(r.severity for r in failing)
        kinds = ", ".join(f"{n} {severity}" for severity, n in by_severity.most_common())
        parts.append(f"**{len(failing)} of {len(members)} rows fail** ({kinds}; worst: {_cell(_worst(failing), 120)})")
    if blocked:
        missing = sorted({r.blocked_by for r in blocked})
        parts.append(f"{len(blocked)} blocked (no {', '.join(f'`{m}`' for m in missing)})")
    if counts[PASS]:
        parts.append(f"{counts[PASS]} hold")
    return "; ".join(parts)


def markdown(rows: list[Row], spec: str, reference: str) -> str:
    """One entry's section of the report."""
    counts = Counter(row.status for row in rows)
    tally = ", ".join(f"{counts[s]} {s}" for s in (PASS, FAIL, BLOCKED, XFAIL, XPASS) if counts[s] or s in (PASS, FAIL))
    lines = [
        f"## Conformance of `{spec}` to `{reference}`",
        "",
        f"**{tally}** of {len(rows)} rows. A failing row's replay line reruns exactly that check against the same "
        "port.",
        "",
        *summary(rows),
        "",
    ]
    now_hold = [r for r in rows if r.status == XPASS]
    if now_hold:
        lines += ["### Listed as known differences, but they hold now (remove them from the file)", ""]
        lines += [f"- `{r.id}`" for r in now_hold] + [""]
    failing = [r for r in rows if r.status in (FAIL, BLOCKED, XFAIL)]
    if failing:
        lines += [
            "### What does not hold",
            "",
            "| row | status | severity | how far / first failure | replay |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| `{r.id}`{' (extension)' if r.kind == EXTENSION else ''} | **{r.status}** | {r.severity or r.status} | "
            f"{_cell(_far(r) if r.numbers else r.detail)}{_cell(' (known: ' + r.reason + ')') if r.reason else ''} | "
            f"{_code(r.replay)} |"
            for r in failing
        ]
        lines.append("")
    lines += ["### Every row", ""]
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


def short_markdown(sections: dict[str, dict[str, Any]]) -> str:
    """The summary a CI job appends to its step summary: each entry's verdict and its unexpected failures."""
    lines = ["# Conformance", ""]
    for name, section in sections.items():
        rows = section_rows(section)
        bad = unexpected(rows)
        lines += [f"## {name}: `{section['port']}`", "", *summary(rows), ""]
        if bad:
            lines += ["| row | severity | how far / first failure |", "| --- | --- | --- |"]
            lines += [
                f"| `{r.id}` | {r.severity or r.status} | {_cell(_far(r) if r.numbers else r.detail)} |" for r in bad
            ]
            lines.append("")
        lines.append(f"{len(bad)} unexpected failures; {sum(r.status == XFAIL for r in rows)} expected; "
                     f"{sum(r.status == XPASS for r in rows)} listed ones hold now.")  # fmt: skip
        lines.append("")
    return "\n".join(lines)


def section_rows(section: dict[str, Any]) -> list[Row]:
    """The rows of one section of conformance.json."""
    return [Row(**{k: v for k, v in r.items() if k != "id"}) for r in section["rows"]]


def junit(sections: dict[str, dict[str, Any]]) -> str:
    """JUnit XML: a testsuite per entry, a testcase per row (classname `conformance.<entry>.<family>`): a failing
    row a <failure> (type: its severity), a blocked one a <skipped>, an expected failure a <skipped> with its
    reason, one that holds though listed a pass with a note."""
    suites = ElementTree.Element("testsuites", name="conformance")
    for name, section in sections.items():
        rows = section_rows(section)
        suite = ElementTree.SubElement(
            suites, "testsuite", name=f"conformance.{name}", tests=str(len(rows)),
            failures=str(sum(r.status == FAIL for r in rows)), skipped=str(sum(r.status in (BLOCKED, XFAIL) for r in rows)),
            errors="0",
        )  # fmt: skip
        for row in rows:
            case = ElementTree.SubElement(suite, "testcase", classname=f"conformance.{name}.{_slug(row.family)}",
                                          name=row.feature)  # fmt: skip
            text = "\n".join(part for part in (_far(row) if row.numbers else row.detail, row.replay) if part)
            if row.status == FAIL:
                element = ElementTree.SubElement(case, "failure", message=row.detail[:500], type=row.severity or FAIL)
                element.text = text
            elif row.status == BLOCKED:
                ElementTree.SubElement(case, "skipped", message=row.detail[:500])
            elif row.status == XFAIL:
                ElementTree.SubElement(case, "skipped", message=f"expected failure: {row.reason}").text = text
            elif row.status == XPASS:
                ElementTree.SubElement(
                    case, "system-out"
                ).text = f"listed as a known difference, holds now: {row.reason}"
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _cell(text: str, width: int = 160) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _code(text: str) -> str:
    return f"`{text.replace('`', '')}`" if text else ""


def _write(path: Path, text: str) -> None:
    """Write through a temporary file: an interrupted run leaves the previous report whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    from parity.entries import selected, using

    parser = argparse.ArgumentParser(prog="python -m parity.conformance", description=__doc__.splitlines()[0])
    parser.add_argument("--port", help="package.module:Class of the port under test (PORT; default: the entries' own)")
    parser.add_argument("--adapter", help="package.module:factory of an adapter for a port of another shape (ADAPTER)")
    parser.add_argument("--entry", help="only this entry (default: every entry under test)")
    parser.add_argument("--xfails", type=Path, help="known differences: each line a row id (or glob) and a reason")
    parser.add_argument("--reports", type=Path, default=Path("reports"), help="where to write the report files")
    arguments = parser.parse_args(argv)
    if arguments.port:
        os.environ[port.ENVIRONMENT] = arguments.port
    if arguments.adapter:
        os.environ[port.ADAPTER_ENVIRONMENT] = arguments.adapter
    try:
        names = [arguments.entry] if arguments.entry else selected()
        listed = read_xfails(arguments.xfails) if arguments.xfails else {}
    except (ValueError, OSError) as error:
        print(f"conformance: {error}", file=sys.stderr)
        return 2
    sections, texts, bad, unknown = {}, [], [], set(listed)
    for name in names:
        with using(name) as entry:
            try:
                port.scheduler_class()
                port.adapter()
            except (ImportError, ValueError, TypeError) as error:
                print(f"conformance: no port to check: {error}", file=sys.stderr)
                return 2
            rows = report_rows()
            stale = apply_xfails(rows, listed)
            unknown &= set(stale)
            texts.append(markdown(rows, port.spec(), entry.REFERENCE))
            sections[name] = {"port": port.spec(), "adapter": port.adapter_spec(), "reference": entry.REFERENCE,
                              "rows": [{"id": r.id, **asdict(r)} for r in rows]}  # fmt: skip
            bad += unexpected(rows)
    if unknown:
        texts.append(f"Known differences that name no row (stale ids?): {', '.join(sorted(unknown))}\n")
    reports = arguments.reports
    _write(reports / "conformance.md", "# Conformance\n\n" + "\n".join(texts) + "\n")
    _write(reports / "conformance.json", json.dumps(sections, indent=2) + "\n")
    _write(reports / "conformance.xml", junit(sections))
    _write(reports / "conformance-summary.md", short_markdown(sections))
    for text in texts:
        print(text.split("### Every row")[0].rstrip() + "\n")
    print(
        f"written: {', '.join(str(reports / f) for f in ('conformance.md', 'conformance.json', 'conformance.xml', 'conformance-summary.md'))}"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
