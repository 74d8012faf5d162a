"""The upstream drift guard: fail loudly, with a unified diff, when the installed reference file is not the one the
gate was validated against (each entry names its file, the validated sha256 and a copy of the validated text).

The copy is also where the reference's keyword defaults are read from without importing it (`reference_defaults`):
the adapters use them where torch is not installed (parity.adapter)."""

from __future__ import annotations

import ast
import difflib
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Upstream", "drift_report", "reference_defaults"]


@dataclass(frozen=True)
class Upstream:
    """The reference source file an entry was validated against."""

    version: str  # the diffusers release
    sha256: str
    folder: Path  # the entry's upstream/ folder, which keeps the validated text in the repository for the diff

    @property
    def copy(self) -> Path:
        """The validated text: the one `<reference file>.txt` of `folder` (scheduling_ddim.py.txt, ...)."""
        copies = sorted(self.folder.glob("*.py.txt"))
        if len(copies) != 1:
            raise FileNotFoundError(f"{self.folder} must hold the validated reference source, one *.py.txt: {copies}")
        return copies[0]


def drift_report(installed_file: str | Path, installed_version: str, validated: Upstream) -> str | None:
    """None if the installed reference file is the validated one; else a loud report with a unified diff."""
    installed = Path(installed_file).read_bytes()
    digest = hashlib.sha256(installed).hexdigest()
    if digest == validated.sha256:
        return None
    name = Path(installed_file).name
    diff = difflib.unified_diff(
        validated.copy.read_text(encoding="utf-8").splitlines(keepends=True),
        installed.decode("utf-8", "replace").splitlines(keepends=True),
        fromfile=f"validated diffusers {validated.version} {name}",
        tofile=f"installed diffusers {installed_version} {installed_file}",
    )
    return (
        f"UPSTREAM DRIFT: the installed diffusers {installed_version} {name} (sha256 {digest}) is not the "
        f"file this gate was validated against (diffusers {validated.version}, sha256 {validated.sha256}).\n"
        f"Review the diff, port what changed, then update the entry's upstream record and its copy "
        f"({validated.copy.name}) deliberately.\n" + "".join(diff)
    )


@functools.cache
def reference_defaults(copy: Path, class_name: str) -> dict[str, dict[str, object]]:
    """{method: {keyword: default}} of the methods `class_name` defines in the validated source `copy`, read with
    `ast` (defaults are literals there: numbers, strings, None, booleans); a default that is not a literal is left
    out. A missing copy is an error that names it."""
    if not copy.is_file():
        raise FileNotFoundError(f"the validated reference source {copy} is missing (it ships with the package)")
    tree = ast.parse(copy.read_text(encoding="utf-8"))
    found = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == class_name]
    if not found:
        raise ValueError(f"{copy.name} defines no class {class_name}")
    defaults: dict[str, dict[str, object]] = {}
    for node in found[0].body:
        if isinstance(node, ast.FunctionDef):
            arguments = node.args
            positional = [*arguments.posonlyargs, *arguments.args]
            pairs = list(zip(positional[len(positional) - len(arguments.defaults) :], arguments.defaults, strict=True))
            pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d is not None]
            values = {}
            for argument, default in pairs:
                try:
                    values[argument.arg] = ast.literal_eval(default)
                except ValueError:
                    continue
            defaults[node.name] = values
    return defaults
