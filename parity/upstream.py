"""The upstream drift guard: the sha256 of the reference file the gate was validated against."""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path

__all__ = ["VALIDATED_SHA256", "VALIDATED_VERSION", "drift_report"]

VALIDATED_VERSION = "0.42.1"
VALIDATED_SHA256 = "a61e4d99402d1186d2aec1bec8b0f336108b06d72c07e7eb2eb837a44a9b196c"
VALIDATED_COPY = Path(__file__).parent / "upstream" / "scheduling_ddim.py.txt"


def drift_report(installed_file: str | Path, installed_version: str) -> str | None:
    """None if the installed reference file is the validated one; else a loud report with a unified diff."""
    installed = Path(installed_file).read_bytes()
    digest = hashlib.sha256(installed).hexdigest()
    if digest == VALIDATED_SHA256:
        return None
    diff = difflib.unified_diff(
        VALIDATED_COPY.read_text(encoding="utf-8").splitlines(keepends=True),
        installed.decode("utf-8", "replace").splitlines(keepends=True),
        fromfile=f"validated diffusers {VALIDATED_VERSION} scheduling_ddim.py",
        tofile=f"installed diffusers {installed_version} {installed_file}",
    )
    return (
        f"UPSTREAM DRIFT: the installed diffusers {installed_version} scheduling_ddim.py (sha256 {digest}) is not the "
        f"file this gate was validated against (diffusers {VALIDATED_VERSION}, sha256 {VALIDATED_SHA256}).\n"
        "Review the diff, port what changed, then update parity/upstream.py and parity/upstream/ deliberately.\n"
        + "".join(diff)
    )
