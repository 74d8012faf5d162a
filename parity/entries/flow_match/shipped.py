"""Scheduler configs that real flow-matching models ship (their scheduler/scheduler_config.json), verbatim in
`shipped/<name>.json`: every key as the file has it (`_class_name`, `_diffusers_version` included), in its order.
Each came from the public copy SOURCES names, as the stored copies of Hugging Face pages reached it (the docs corpus
of this project's search tool); where the model's own repository is not among them, the copy is a re-upload of it,
named as such; Qwen-Image's are its values as a public trainer writes them. FLUX.1-Krea-dev is left out: no copy of
its scheduler_config.json was found."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["MODELS", "SHIPPED", "SOURCES"]

SOURCES: dict[str, str] = {
    "flux1-dev": (
        "black-forest-labs/FLUX.1-dev is not among the stored copies; this is the text of its "
        "scheduler_config.json in Disty0/FLUX.1-dev-qint4_tf-qint8_te, scheduler/scheduler_config.json (a "
        "quantized re-upload of it; main, commit b628148, 273 bytes), the same text as Disty0/FLUX.1-dev-"
        "qint4-fp16_compute (abf5f72) and BestModelsv2/FLUX"
    ),
    "flux1-schnell": (
        'black-forest-labs/FLUX.1-schnell, scheduler/scheduler_config.json as of commit 768d12a "Add diffusers '
        'weights and configs (#7)" (274 bytes), read at huggingface.co/black-forest-'
        "labs/FLUX.1-schnell/blob/refs%2Fpr%2F24/..."
    ),
    "flux2-dev": (
        "black-forest-labs/FLUX.2-dev is not among the stored copies; this is scheduler/scheduler_config.json of "
        "diffusers/FLUX.2-dev-bnb-4bit (the diffusers team's 4-bit re-upload of it; main, commit a8f401a, 486 "
        "bytes), the same text as the models123/FLUX.2-dev copy (main)"
    ),
    "sd3-medium": (
        "stabilityai/stable-diffusion-3-medium-diffusers is not among the stored copies; this is the "
        "scheduler/scheduler_config.json of its copy ckpt/stable-diffusion-3-medium-diffusers (main, commit "
        '17c61f5 "thanks to stabilityai", 141 bytes), the same text as Hydrahost/stable-diffusion-3-medium-'
        "diffusers (main)"
    ),
    "sd3.5-large": (
        'stabilityai/stable-diffusion-3.5-large, scheduler/scheduler_config.json of commit 4c4df3f "SD3.5 Large '
        'Public Release" (141 bytes), read in its copy frankjoshua/stable-diffusion-3.5-large at fed9c89'
    ),
    "sd3.5-medium": (
        'stabilityai/stable-diffusion-3.5-medium, scheduler/scheduler_config.json of commit 94b13cc "SD3.5 Medium '
        'Public Release" (141 bytes), read in its copy frankjoshua/stable-diffusion-3.5-medium at 9e00742'
    ),
    "z-image-turbo": (
        "Tongyi-MAI/Z-Image-Turbo is not among the stored copies; this is scheduler/scheduler_config.json of its "
        "conversion TensorStack/Z-Image-Turbo-ts (main), key order as there"
    ),
    "ltx-video": (
        "Lightricks/LTX-Video's scheduler/scheduler_config.json (418 bytes since commit 1169655) is stored only as"
        " a file listing; this is the 418-byte file of jbilcke-hf/LTX-Video-0.9.1-HFIE (its LTX-Video 0.9.1 copy),"
        " blame at 0277213"
    ),
    "qwen-image": (
        "Qwen/Qwen-Image's scheduler/scheduler_config.json is not among the stored copies; these are its values as"
        " the trainer ostris/ai-toolkit writes them out to build Qwen-Image's scheduler "
        "(extensions_built_in/diffusion_models/ qwen_image/qwen_image.py, `scheduler_config`, commit 14ccf2f): "
        "every key diffusers saves, no `_` keys"
    ),
}

SHIPPED: dict[str, dict[str, Any]] = {
    name: json.loads((Path(__file__).parent / "shipped" / f"{name}.json").read_text(encoding="utf-8"))
    for name in SOURCES
}

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
