"""Scheduler configs that real models ship (scheduler/scheduler_config.json): Stable Diffusion 1.5's, 2.1's and SDXL
base 1.0's, verbatim in `shipped/<name>.json`, each file's public source in `shipped/SOURCES.md`."""

from pathlib import Path

from parity.entries.common.shipped import load

__all__ = ["SD15", "SD21", "SDXL", "SHIPPED"]

SHIPPED = load(Path(__file__).parent / "shipped")
SD15, SD21, SDXL = SHIPPED["sd15"], SHIPPED["sd21"], SHIPPED["sdxl"]
