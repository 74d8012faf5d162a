"""Scheduler configs that real flow-matching models ship (their scheduler/scheduler_config.json), verbatim in
`shipped/<name>.json`, each file's public source in `shipped/SOURCES.md`; and MODELS, how each model's pipeline runs."""

from pathlib import Path

from parity.entries.common.shipped import load

__all__ = ["MODELS", "SHIPPED"]

SHIPPED = load(Path(__file__).parent / "shipped")

# each model's diffusers pipeline (pipelines.py) at its default resolution and step count: (pipeline, height, width,
# steps); the first model of a pipeline gives its conformance row its settings (features.py)
MODELS = {
    "flux1-dev": ("flux", 1024, 1024, 28),
    "flux1-schnell": ("flux", 1024, 1024, 4),
    "flux2-dev": ("flux2", 1024, 1024, 50),
    "sd3-medium": ("sd3", 1024, 1024, 28),
    "z-image-turbo": ("z_image", 1024, 1024, 9),
    "ltx-video": ("ltx", 512, 704, 50),
    "qwen-image": ("qwen", 1328, 1328, 50),
}
