"""Mutation testing of the gate: `python -m parity.mutants` (also `make mutants`).

Each mutant is a realistic porting bug, written as one textual replacement in the port's source. It is applied in
a temporary copy of the project (never in the working tree), the parity gate runs there (ci profile, stopping at
the first failure, fast test files first), and the table says which check killed it and how long that took.
The run exits non-zero if any catalog mutant survives: a gate that passes a broken port is worse than none.

Every entry under test has its own catalog (its `mutant_catalog()`), applied to its own port package and run against
its own TEST_ORDER with PARITY_ENTRY naming it (so the gate checks that entry only); `--entry NAME` picks one entry.
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "GenericMutant",
    "Mutant",
    "StaleAnchor",
    "apply",
    "check_equivalent",
    "generic_mutants",
    "mutated",
    "run_mutant",
    "verdict",
]

ROOT = Path(__file__).resolve().parent.parent


def _catalog():
    """The active entry's mutant catalog module (CATALOG, GENERIC_SOURCES, TEST_ORDER, and EQUIVALENT where it has
    shown a generic mutant equivalent)."""
    from parity.entries import current

    return current().mutant_catalog()


def _equivalent() -> dict[str, tuple[str, str]]:
    """The generic mutants the catalog has shown equivalent (its EQUIVALENT; none without one)."""
    return getattr(_catalog(), "EQUIVALENT", {})


def _port_package() -> str:
    """The package a mutant is applied to, in a copy of the project: the entry's default port's."""
    from parity.entries import current

    return current().DEFAULT_PORT.partition(":")[0].partition(".")[0]


def _entry_name() -> str:
    from parity.entries import current

    return current().NAME


class StaleAnchor(ValueError):
    """A mutant or an EQUIVALENT key that no longer names code of the port: the catalog must be updated."""


@dataclass(frozen=True)
class Mutant:
    """A realistic porting bug: in `path`, inside `function` (a qualified name such as "DDIMScheduler.step" or
    "_prev_sample": the only definition of that name in the file), the text `old`, which must occur there exactly
    once, becomes `new`. Anchored to its function and text, not to a line, so that it survives edits elsewhere and
    fails loudly (StaleAnchor) when its code moved or changed."""

    name: str
    path: str
    function: str
    old: str
    new: str
    why: str


@dataclass(frozen=True)
class GenericMutant:
    """A mechanical mutation at one token: an operator swapped or a constant nudged. Anchored, like a catalog
    mutant, to code rather than to a position: the innermost enclosing function or class (`scope`, a qualified
    name, or "<module>") and the token's `occurrence` among that scope's tokens of the same text, counted from 0."""

    path: str
    scope: str
    old: str
    occurrence: int
    new: str

    @property
    def name(self) -> str:
        return f"{Path(self.path).name}:{self.scope} {self.old}#{self.occurrence} -> {self.new}"


SWAPS = {"+": "-", "-": "+", "*": "/", "/": "*", "//": "/", "<": "<=", "<=": "<", ">": ">=", ">=": ">",
         "==": "!=", "!=": "=="}  # fmt: skip


def _nudged(number: str) -> str | None:
    try:
        value = int(number)
    except ValueError:
        try:
            return repr(float(number) * 1.001 if float(number) else 1e-3)
        except ValueError:
            return None
    return str(value + 1)


def generic_mutants(count: int, seed: int = 0) -> list[GenericMutant]:
    """`count` mutation sites drawn reproducibly (seeded) from every operator and number in the port's code
    (docstrings, comments and strings are tokens of their own and never mutated)."""
    sites = [
        (path, site, position) for path in _catalog().GENERIC_SOURCES for site, position in _sites(path, _read(path))
    ]
    random.Random(seed).shuffle(sites)
    chosen = []
    for path, site, position in sites:
        if len(chosen) == count:
            break
        if _parses(_replaced_at(_read(path), position, site.old, site.new)):  # `*args` is not a product: no `/args`
            chosen.append(site)
    return chosen


def _read(path: str, root: Path = ROOT) -> str:
    return (root / path).read_text(encoding="utf-8")


def _scopes(text: str) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """(qualified name, start, end) of every function and class definition, outermost first."""
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = prefix + child.name
                found.append((name, (child.lineno, child.col_offset), (child.end_lineno, child.end_col_offset)))
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(text), "")
    return found


def _sites(path: str, text: str) -> list[tuple[GenericMutant, tuple[int, int]]]:
    """Every generic mutation site of one file, with its (line, column) in `text`."""
    scopes = _scopes(text)
    counts: dict[tuple[str, str], int] = {}
    sites = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.OP and token.string in SWAPS:
            new = SWAPS[token.string]
        elif token.type == tokenize.NUMBER and (nudged := _nudged(token.string)) is not None:
            new = nudged
        else:
            continue
        # The innermost definition holding the token: the last one (outermost first) that contains it.
        scope = next((n for n, start, end in reversed(scopes) if start <= token.start < end), "<module>")
        occurrence = counts.get((scope, token.string), 0)
        counts[scope, token.string] = occurrence + 1
        sites.append((GenericMutant(path, scope, token.string, occurrence, new), token.start))
    return sites


def _replaced_at(text: str, position: tuple[int, int], old: str, new: str) -> str:
    lines = text.splitlines(keepends=True)
    line, column = position
    assert lines[line - 1][column : column + len(old)] == old
    lines[line - 1] = lines[line - 1][:column] + new + lines[line - 1][column + len(old) :]
    return "".join(lines)


def check_equivalent(equivalent: dict[str, tuple[str, str]] | None = None, root: Path = ROOT) -> None:
    """Every EQUIVALENT key must name a generic site of the current sources, on the line it was recorded with;
    StaleAnchor otherwise (the code it was shown equivalent for has moved or changed: show it again, under its
    new name)."""
    lines = {}
    for path in _catalog().GENERIC_SOURCES:
        text = _read(path, root).splitlines()
        lines.update({site.name: text[line - 1].strip() for site, (line, _) in _sites(path, _read(path, root))})
    stale = [
        f"{name} (recorded on `{line}`, now {'gone' if name not in lines else 'on `' + lines[name] + '`'})"
        for name, (line, _) in (_equivalent() if equivalent is None else equivalent).items()
        if lines.get(name) != line
    ]
    if stale:
        raise StaleAnchor("EQUIVALENT keys that name no generic site of the port as recorded: " + "; ".join(stale))


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


def mutated(mutant: Mutant | GenericMutant, root: Path = ROOT) -> str:
    """The mutant's file under `root` with the replacement made. StaleAnchor if its anchor no longer holds: a
    catalog mutant's function is gone or defined twice, or its text does not occur there exactly once; a generic
    mutant's scope holds no such occurrence of its token."""
    text = _read(mutant.path, root)
    if isinstance(mutant, GenericMutant):
        for site, position in _sites(mutant.path, text):
            if site == mutant:
                return _replaced_at(text, position, mutant.old, mutant.new)
        raise StaleAnchor(f"generic mutant {mutant.name}: no such token in {mutant.path}")
    spans = [(start, end) for name, start, end in _scopes(text) if name == mutant.function]
    if len(spans) != 1:
        raise StaleAnchor(f"mutant {mutant.name}: {len(spans)} definitions of {mutant.function} in {mutant.path}")
    (first, _), (last, _) = spans[0]
    lines = text.splitlines(keepends=True)
    body = "".join(lines[first - 1 : last])
    count = body.count(mutant.old)
    if count != 1:
        raise StaleAnchor(
            f"mutant {mutant.name}: expected its text once in {mutant.function} ({mutant.path}), found it {count} times"
        )
    return "".join(lines[: first - 1]) + body.replace(mutant.old, mutant.new) + "".join(lines[last:])


def apply(mutant: Mutant, root: Path) -> None:
    """Apply the mutant in the project copy at `root` (never call this on the working tree)."""
    (root / mutant.path).write_text(mutated(mutant, root), encoding="utf-8")


def copy_project(destination: Path) -> None:
    for name in (_port_package(), "parity", "fixtures", "conftest.py", "pyproject.toml", "README.md"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / name)


def run_mutant(
    mutant: Mutant | GenericMutant | None, timeout: float = 900, tests: list[str] | None = None
) -> tuple[str, str, float]:
    """(verdict, killing check, seconds) for one mutant (None: the unmutated port, which must survive), run against
    `tests` (default: the entry's TEST_ORDER). Only failed checks kill: a run that could not collect or find its
    tests is an "error", which counts as not killed."""
    with tempfile.TemporaryDirectory(prefix="mutant-") as folder:
        root = Path(folder)
        copy_project(root)
        if mutant is not None:
            apply(mutant, root)
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--hypothesis-profile=ci"]
        start = time.perf_counter()
        try:
            done = subprocess.run(
                command + (tests or _catalog().TEST_ORDER),
                cwd=root,
                capture_output=True,
                text=True,
                timeout=timeout,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PARITY_ENTRY": _entry_name()},
            )
        except subprocess.TimeoutExpired:
            return "timeout", "", time.perf_counter() - start
        seconds = time.perf_counter() - start
    return (*verdict(done.returncode, done.stdout, done.stderr), seconds)


def verdict(returncode: int, stdout: str, stderr: str) -> tuple[str, str]:
    """(verdict, what killed it) from the gate's pytest run on a mutant. Only failed checks (exit status 1) kill:
    statuses 2 to 5 (interrupted by a collection error, internal error, usage error such as a test file that does
    not exist, no tests collected) mean the gate did not run, which is an "error", never a kill."""
    if returncode == 0:
        return "survived", ""
    if returncode != 1:
        tail = (stdout + stderr).strip().splitlines()[-1:] or [""]
        return "error", f"pytest exit {returncode}, not a failed check: {tail[0]}"
    failed = re.search(r"^FAILED (\S+)", stdout, re.MULTILINE)
    check = re.search(r"PARITY FAILURE in ([^:\n]+)", stdout)
    killer = (failed.group(1) if failed else "(a failed check)") + (f" [{check.group(1)}]" if check else "")
    return "killed", killer


def _run_all(mutants, label: str) -> list[str]:
    print(f"\n{label}\n{'mutant':44} {'verdict':9} {'seconds':>8}  killed by")
    survivors = []
    for mutant in mutants:
        verdict, killer, seconds = run_mutant(mutant)
        print(f"{mutant.name:44} {verdict:9} {seconds:8.1f}  {killer}", flush=True)
        if verdict != "killed":
            survivors.append(mutant.name)
    return survivors


def main(argv: list[str]) -> int:
    from parity.entries import selected, using

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entry", help="only this entry's catalog (default: every entry under test)")
    parser.add_argument("--only", action="append", help="run only the named catalog mutant(s)")
    parser.add_argument("--generic", type=int, default=30, help="how many generic mutants to sample (default 30)")
    parser.add_argument("--seed", type=int, default=0, help="the seed of the generic sample")
    parser.add_argument("--generic-only", action="store_true", help="skip the catalog")
    parser.add_argument("--site", action="append", help="run only the sampled generic mutant(s) of this name")
    parser.add_argument("--list", action="store_true", help="list the catalog and exit")
    args = parser.parse_args(argv)
    names = [args.entry] if args.entry else selected()
    if args.list:
        for name in names:
            with using(name):
                for m in _catalog().CATALOG:
                    print(f"{name:5} {m.name:34} {m.why}")
        return 0
    plans = {}
    for name in names:  # every entry's anchors checked before any slow run
        with using(name):
            try:
                plans[name] = _plan(args)
            except StaleAnchor as error:
                print(f"STALE ANCHOR ({name}): {error}", file=sys.stderr)
                return 2
    statuses = []
    for name, (chosen, generic) in plans.items():
        with using(name):
            if len(names) > 1:
                print(f"\n=== entry {name}")
            statuses.append(_run_plan(chosen, generic, args.seed))
    return max(statuses)


def _plan(args: argparse.Namespace) -> tuple[list[Mutant], list[GenericMutant]]:
    """The current entry's catalog mutants and generic sample to run; StaleAnchor if any anchor no longer holds."""
    chosen = [] if args.generic_only else [m for m in _catalog().CATALOG if not args.only or m.name in args.only]
    generic = generic_mutants(args.generic, args.seed) if not args.only else []
    if args.site:
        chosen, generic = [], [m for m in generic if m.name in args.site]
    check_equivalent()
    for m in chosen + generic:
        mutated(m)
    return chosen, generic


def _run_plan(chosen: list[Mutant], generic: list[GenericMutant], seed: int) -> int:
    start = time.perf_counter()
    survivors = _run_all(chosen, f"catalog: {len(chosen)} realistic porting bugs") if chosen else []
    if chosen:
        print(f"\n{len(chosen) - len(survivors)} of {len(chosen)} catalog mutants killed")
    if generic:
        generic_survivors = _run_all(generic, f"generic: {len(generic)} sampled with seed {seed}")
        killed = len(generic) - len(generic_survivors)
        equivalent = [name for name in generic_survivors if name in _equivalent()]
        print(
            f"\ngeneric score: {killed} of {len(generic)} killed ({100 * killed / len(generic):.0f}%); "
            f"{len(equivalent)} survivor(s) shown equivalent; "
            f"{killed} of {len(generic) - len(equivalent)} non-equivalent killed"
        )
        for name in generic_survivors:
            reason = _equivalent().get(name, ("", "NOT EXPLAINED: strengthen the suite"))[1]
            print(f"  survived: {name}: {reason}")
    print(f"total time {time.perf_counter() - start:.0f} s")
    if survivors:
        print("CATALOG MUTANTS NOT KILLED (survived, or the gate could not run): " + ", ".join(survivors))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
