"""The upstream drift guard: fail loudly, with a unified diff, when the installed reference file is not the one the
gate was validated against (each entry names its file, the validated sha256 and a copy of the validated text)."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Upstream", "drift_report"]


@dataclass(frozen=True)
class Upstream:
    """The reference source file an entry was validated against."""

    version: str  # the diffusers release
    sha256: str
    copy: Path  # the validated text, kept in the repository for the diff


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
