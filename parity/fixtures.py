"""Recorded reference runs that a reviewer replays with only mlx, numpy and safetensors installed.

    python -m parity.fixtures record [NAME ...]      record (needs torch and diffusers): make fixtures
    python -m parity.fixtures check [--dir DIR]      replay every fixture against the port: make fixtures-check
    python -m parity.fixtures diff [--against REV]   what re-recording changed, array by array, against git REV
    python -m parity.fixtures promote '<case>'       turn a parity failure's replay case into a fixture

Each command covers every entry under test (parity.entries.selected: all of them unless PORT or PARITY_ENTRY picks
one), one after the other; `--entry NAME` picks one (`--dir` needs one). `record NAME` records the named fixture of
whichever entry has it; `promote` records into the entry its case names.

A fixture is a folder `fixtures/<entry>/<name>/` holding `manifest.json` and `arrays-<sha256 prefix>.safetensors`. The
manifest carries the config, how the inputs were made, the reference's versions, the date, the array file's
sha256 and size, and the tolerance policy entries that judge it. The arrays are the reference's schedule, its
timesteps, a trajectory (every step's inputs and outputs) and add_noise / get_velocity outputs (what exactly: the entry's
fixtures module, which also judges a replay); half-precision
values are stored as float32 (exactly), with the dtype in the manifest.

Writing is atomic and content-addressed: the array file is named by its hash and written (temporary file, then
rename) before the manifest that names it, so an interrupted recording leaves the previous fixture intact, and
re-recording identical data changes no file. The check reports on every fixture even when some are broken.
Only `record` and `promote` import torch; `check` and `diff` must not (tested in parity/tests/test_fixtures.py).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import numpy as np

from parity.compare import ParityError, ulp_distance
from parity.entries import current, selected, using
from parity.entries import load as load_entry

__all__ = ["FixtureError", "check", "diff", "entry_folder", "load", "promote", "record"]

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 1


def entry_folder() -> Path:
    """The active entry's fixtures: fixtures/<entry>/<case>/."""
    return current().FIXTURES


class FixtureError(Exception):
    """A fixture that cannot be read: missing, truncated, tampered with or malformed. Names the file."""


# ---------------------------------------------------------------------------------------------------- recording


def _versions() -> dict[str, str]:
    import diffusers
    import mlx.core as mx
    import safetensors
    import torch

    return {
        "diffusers": diffusers.__version__,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "mlx": mx.__version__,
        "safetensors": safetensors.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _atomic_write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_fixture(folder: Path, spec: dict[str, Any], arrays: dict[str, np.ndarray], source: str) -> str:
    """Write one fixture atomically; returns "recorded", or "unchanged" when identical data was already there."""
    from safetensors.numpy import save

    data = save({name: np.ascontiguousarray(value) for name, value in sorted(arrays.items())})
    digest = hashlib.sha256(data).hexdigest()
    array_file = f"arrays-{digest[:16]}.safetensors"
    manifest_path = folder / "manifest.json"
    if manifest_path.is_file():
        try:
            old = json.loads(manifest_path.read_text(encoding="utf-8"))
            same_case = old.get("case") == _jsonable(spec) and old.get("array_file") == array_file
            if same_case and (folder / array_file).is_file():
                return "unchanged"
        except (OSError, json.JSONDecodeError):
            pass  # a broken fixture is simply re-recorded
    folder.mkdir(parents=True, exist_ok=True)
    _atomic_write(folder / array_file, data)
    manifest = {
        "format": FORMAT,
        "name": folder.name,
        "source": source,
        "case": _jsonable(spec),
        **current().fixtures.describe(source),
        "array_file": array_file,
        "sha256": digest,
        "bytes": len(data),
        "arrays": {name: {"shape": list(v.shape), "dtype": str(v.dtype)} for name, v in sorted(arrays.items())},
        "versions": _versions(),
        "recorded": datetime.date.today().isoformat(),
        "tolerances": current().fixtures.tolerances_for(spec),
    }
    _atomic_write(manifest_path, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    for stale in folder.glob("arrays-*.safetensors"):
        if stale.name != array_file:
            stale.unlink()
    return "recorded"


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=lambda v: v.tolist() if hasattr(v, "tolist") else str(v)))


def record(names: list[str] | None = None, directory: Path | None = None) -> int:
    """Record the entry's canonical fixtures from the reference (needs torch and diffusers)."""
    directory, rules = directory or entry_folder(), current().fixtures
    for name in names or list(rules.CANONICAL):
        if name not in rules.CANONICAL:
            raise SystemExit(f"unknown fixture {name!r}; known: {', '.join(rules.CANONICAL)}")
        spec = rules.CANONICAL[name]
        status = _write_fixture(directory / name, spec, rules.recorded(spec, None), "canonical")
        print(f"{status:10} {directory / name}")
    return 0


def promote(case: dict[str, Any], directory: Path | None = None) -> int:
    """Record a parity failure's replay case as a fixture (in the entry the case names, if it names one), so that
    bug is checked forever."""
    case = dict(case)
    with using(case.pop("entry", None) or current().NAME):
        name, spec, arrays = current().fixtures.promoted(case)
        directory = directory or entry_folder()
        status = _write_fixture(directory / name, spec, arrays, "promoted")
    print(f"{status:10} {directory / name}")
    return 0


# ---------------------------------------------------------------------------------------------------- reading


def load(folder: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """A fixture's manifest and arrays, verified; FixtureError (naming the file) if anything is wrong."""
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FixtureError(f"{manifest_path}: missing") from None
    except (OSError, UnicodeDecodeError) as error:
        raise FixtureError(f"{manifest_path}: unreadable ({error})") from None
    except json.JSONDecodeError as error:
        raise FixtureError(f"{manifest_path}: not valid JSON ({error})") from None
    missing = {"format", "case", "array_file", "sha256", "bytes"} - set(manifest)
    if missing:
        raise FixtureError(f"{manifest_path}: malformed manifest, missing {sorted(missing)}")
    if manifest["format"] != FORMAT:
        raise FixtureError(f"{manifest_path}: format {manifest['format']}, this checker reads format {FORMAT}")
    array_path = folder / manifest["array_file"]
    try:
        data = array_path.read_bytes()
    except FileNotFoundError:
        raise FixtureError(f"{array_path}: missing (named by {manifest_path})") from None
    except OSError as error:
        raise FixtureError(f"{array_path}: unreadable ({error})") from None
    if len(data) != manifest["bytes"]:
        raise FixtureError(
            f"{array_path}: truncated or extended: {len(data)} bytes, the manifest says {manifest['bytes']}"
        )
    digest = hashlib.sha256(data).hexdigest()
    if digest != manifest["sha256"]:
        raise FixtureError(
            f"{array_path}: sha256 mismatch (tampered?): {digest}, the manifest says {manifest['sha256']}"
        )
    return manifest, _arrays(data, array_path)


def _arrays(data: bytes, path: Path | str) -> dict[str, np.ndarray]:
    from safetensors.numpy import load as load_bytes

    try:
        return load_bytes(data)
    except Exception as error:  # safetensors raises its own error types
        raise FixtureError(f"{path}: not a readable safetensors file ({error})") from None


def check(directory: Path | None = None, only: list[str] | None = None) -> int:
    """Replay every fixture under `directory` (default: the current entry's); report on each; non-zero exit status if
    any failed."""
    directory = directory or entry_folder()
    folders = sorted(p for p in directory.iterdir() if p.is_dir()) if directory.is_dir() else []
    if only:
        folders = [f for f in folders if f.name in only]
    if not folders:
        print(f"no fixtures under {directory}", file=sys.stderr)
        return 1
    failures = 0
    for folder in folders:
        try:
            manifest, arrays = load(folder)
            checks = current().fixtures.replay(manifest, arrays, folder.name)
            print(f"ok      {folder.name} ({checks} comparisons)")
        except (FixtureError, ParityError) as error:
            failures += 1
            print(f"FAILED  {folder.name}: {error}")
        except Exception:  # a crash in one fixture must not hide the others
            failures += 1
            print(f"FAILED  {folder.name}: crashed\n{traceback.format_exc()}")
    print(f"\n{current().NAME}: {len(folders) - failures} passed, {failures} failed")
    return 1 if failures else 0


# ---------------------------------------------------------------------------------------------------- diffing


def _git_bytes(revision: str, path: Path) -> bytes | None:
    relative = path.resolve().relative_to(ROOT).as_posix()
    done = subprocess.run(["git", "show", f"{revision}:{relative}"], cwd=ROOT, capture_output=True)
    return done.stdout if done.returncode == 0 else None


def diff(directory: Path | None = None, against: str = "HEAD") -> int:
    """Per fixture and array: what changed between git `against` and the working tree, and by how much."""
    directory, changed = directory or entry_folder(), 0
    for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
        old_manifest = _git_bytes(against, folder / "manifest.json")
        if old_manifest is None:
            print(f"{folder.name}: new (not in {against})")
            continue
        old = json.loads(old_manifest)
        new, new_arrays = load(folder)
        if old["sha256"] == new["sha256"]:
            print(f"{folder.name}: unchanged")
            continue
        changed += 1
        old_arrays = _arrays(_git_bytes(against, folder / old["array_file"]) or b"", f"{against}:{folder.name}")
        versions = {k: (old["versions"].get(k), v) for k, v in new["versions"].items() if old["versions"].get(k) != v}
        print(f"{folder.name}: changed; versions {versions}")
        dtype = new["case"]["dtype"]
        for name in sorted(set(old_arrays) | set(new_arrays)):
            a, b = old_arrays.get(name), new_arrays.get(name)
            if a is None or b is None or a.shape != b.shape:
                print(f"  {name:24} shape {None if a is None else a.shape} -> {None if b is None else b.shape}")
            elif not np.array_equal(a, b, equal_nan=True):
                exact_dtype = dtype if name in current().fixtures.CASE_DTYPE_ARRAYS else "float32"
                differing = int(np.sum(a != b))
                if a.dtype.kind == "f":
                    worst = float(np.nanmax(np.abs(a.astype(np.float64) - b)))
                    ulps = int(np.max(ulp_distance(a, b, exact_dtype)))
                    print(f"  {name:24} {differing} of {a.size} differ; max abs {worst:.3g}; max {ulps} ULP")
                else:
                    print(f"  {name:24} {differing} of {a.size} differ")
    print(f"\n{changed} fixture(s) changed against {against}")
    return 0


def _each_entry(names: list[str], command, *args) -> int:
    """Run `command(*args)` with each named entry active, in turn; the worst exit status."""
    statuses = []
    for name in names:
        with using(name):
            if len(names) > 1:
                print(f"== {name}: {entry_folder().resolve().relative_to(ROOT)}")
            statuses.append(command(*args))
    return max(statuses, default=0)


def _record(names: list[str], fixture_names: list[str]) -> int:
    """Record the named fixtures, each in the entry (of `names`) that has it; every canonical one when none is named."""
    if not fixture_names:
        return _each_entry(names, record, None)
    has = {name: [f for f in fixture_names if f in load_entry(name).fixtures.CANONICAL] for name in names}
    unknown = [f for f in fixture_names if not any(f in found for found in has.values())]
    if unknown:
        known = {name: list(load_entry(name).fixtures.CANONICAL) for name in names}
        raise SystemExit(f"unknown fixture(s) {unknown}; known: {known}")
    return max(_each_entry([name], record, found) for name, found in has.items() if found)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m parity.fixtures", description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--entry", help="only this entry's fixtures (default: every entry under test)")
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record", help="record fixtures from the torch reference", parents=[common])
    recording.add_argument("names", nargs="*")
    checking = commands.add_parser(
        "check", help="replay every fixture against the port under test (no torch needed)", parents=[common]
    )
    checking.add_argument("--dir", type=Path, default=None)
    checking.add_argument("--only", action="append")
    diffing = commands.add_parser("diff", help="what re-recording changed, against a git revision", parents=[common])
    diffing.add_argument("--against", default="HEAD")
    promoting = commands.add_parser("promote", help="record a failing replay case as a fixture")
    promoting.add_argument("case", help="the JSON of a `python -m parity.replay '<case>'` line")
    args = parser.parse_args(argv)
    names = [args.entry] if getattr(args, "entry", None) else selected()
    if args.command == "record":
        return _record(names, args.names)
    if args.command == "check":
        if args.dir is not None and len(names) > 1:
            parser.error(f"--dir holds one entry's fixtures: say which with --entry (one of {names})")
        return _each_entry(names, check, args.dir, args.only)
    if args.command == "diff":
        return _each_entry(names, lambda: diff(against=args.against))
    return promote(json.loads(args.case))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
