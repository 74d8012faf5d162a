"""Scheduler configs that real models ship for DDPMScheduler: DeepFloyd IF stage I's, Kandinsky 2.2's decoder's and
the Stable Diffusion x4 upscaler's low-resolution noise scheduler's, verbatim in `shipped/<name>.json`, each file's
public source in `shipped/SOURCES.md`."""

from pathlib import Path

from parity.entries.common.shipped import load

__all__ = ["IF_STAGE_I", "KANDINSKY22", "SD_X4_LOW_RES", "SHIPPED"]

SHIPPED = load(Path(__file__).parent / "shipped")
IF_STAGE_I, KANDINSKY22, SD_X4_LOW_RES = SHIPPED["if-stage-i"], SHIPPED["kandinsky-2.2"], SHIPPED["sd-x4-low-res"]
