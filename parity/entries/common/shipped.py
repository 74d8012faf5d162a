"""The scheduler configs real models ship, as every entry keeps them: each file verbatim in the entry's
`shipped/<name>.json`, and where each came from in `shipped/SOURCES.md`, a table `| file | source |` with one row per
file (parity/meta_tests/test_shipped.py holds every entry to that). `load` reads them in the table's row order, the
order an entry's SHIPPED, its conformance rows and its fixtures iterate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["load", "sources"]


def sources(folder: Path) -> list[tuple[str, str]]:
    """SOURCES.md's table in `folder`: (file name, source) per row, in its order (the header and rule rows left out)."""
    rows = []
    for line in (folder / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        file, source = (cell.strip() for cell in line.strip().strip("|").split("|", 1))
        if file != "file" and set(file) - set("-: "):
            rows.append((file.strip("`"), source))
    return rows


def load(folder: Path) -> dict[str, dict[str, Any]]:
    """{name: config} for each row of the folder's SOURCES.md, `name` its file's name less `.json`, each config its
    file's JSON object (keys in the file's order)."""
    return {Path(file).stem: json.loads((folder / file).read_text(encoding="utf-8")) for file, _ in sources(folder)}
