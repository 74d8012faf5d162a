"""What pip's resolver installs for each way of installing the port: `python -m parity.tools.install_lines`.

Runs `pip install --dry-run --ignore-installed --report` in this interpreter for each install line (no package is
installed; the registry is asked for metadata) and prints the MLX packages each would bring. The point it shows: the
port never adds an MLX backend the user did not choose, so it installs cleanly beside `mlx[cuda12]`/`mlx[cuda13]`.
Not part of the gate (it needs the package registry); README "Installing" quotes its output.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MLX = "mlx==0.32.4"
LINES = {
    "pip install mlx-ddim": [f"{ROOT}"],
    "pip install 'mlx-ddim[cpu]'": [f"{ROOT}[cpu]"],
    "pip install 'mlx-ddim[cuda12]'": [f"{ROOT}[cuda12]"],
    "pip install 'mlx-ddim[cuda13]'": [f"{ROOT}[cuda13]"],
    "pip install mlx-ddim 'mlx[cuda12]'": [f"{ROOT}", MLX.replace("mlx", "mlx[cuda12]")],
    "pip install mlx-ddim 'mlx[cuda13]'": [f"{ROOT}", MLX.replace("mlx", "mlx[cuda13]")],
}


def resolve(requirements: list[str]) -> list[str]:
    """The names and versions of the MLX packages pip would install for these requirements."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--dry-run",
                "--ignore-installed",
                "--quiet",
                "--report",
                str(report),
                *requirements,
            ],
            check=True,
            capture_output=True,
        )
        installs = json.loads(report.read_text())["install"]
    names = (f"{i['metadata']['name']} {i['metadata']['version']}" for i in installs)
    return sorted(
        n for n in names if n.startswith("mlx") and not n.startswith("mlx-ddim") and not n.startswith("mlx_ddim")
    )


def main() -> None:
    print(f"| install line (Linux x86-64, Python {sys.version_info.major}.{sys.version_info.minor}) | MLX packages |")
    print("| --- | --- |")
    for line, requirements in LINES.items():
        print(f"| `{line}` | {', '.join(resolve(requirements))} |")


if __name__ == "__main__":
    main()
