"""Scheduler configs that real flow-matching models ship (scheduler/scheduler_config.json), verbatim: every key as the
file has it (`_class_name`, `_diffusers_version` included) and in its order, JSON true/false/null as Python. Each came
from the public copy named beside it, as the stored copies of Hugging Face pages reached it (the docs corpus of this
project's search tool); where the model's own repository is not among them, the copy is a re-upload of it, named
as such; Qwen-Image's are its values as a public trainer writes them. FLUX.1-Krea-dev is left out: no copy of its
scheduler_config.json was found."""

from __future__ import annotations

from typing import Any

__all__ = ["SHIPPED"]

SHIPPED: dict[str, dict[str, Any]] = {
    # black-forest-labs/FLUX.1-dev is not among the stored copies; this is the text of its scheduler_config.json in
    # Disty0/FLUX.1-dev-qint4_tf-qint8_te, scheduler/scheduler_config.json (a quantized re-upload of it; main, commit
    # b628148, 273 bytes), the same text as Disty0/FLUX.1-dev-qint4-fp16_compute (abf5f72) and BestModelsv2/FLUX
    "flux1-dev": {
        "_class_name": "FlowMatchEulerDiscreteScheduler",
        "_diffusers_version": "0.30.0.dev0",
        "base_image_seq_len": 256,
        "base_shift": 0.5,
        "max_image_seq_len": 4096,
        "max_shift": 1.15,
        "num_train_timesteps": 1000,
        "shift": 3.0,
        "use_dynamic_shifting": True,
    },
    # black-forest-labs/FLUX.1-schnell, scheduler/scheduler_config.json as of commit 768d12a "Add diffusers weights and
    # configs (#7)" (274 bytes), read at huggingface.co/black-forest-labs/FLUX.1-schnell/blob/refs%2Fpr%2F24/...
    "flux1-schnell": {
        "_class_name": "FlowMatchEulerDiscreteScheduler",
        "_diffusers_version": "0.30.0.dev0",
        "base_image_seq_len": 256,
        "base_shift": 0.5,
        "max_image_seq_len": 4096,
        "max_shift": 1.15,
        "num_train_timesteps": 1000,
        "shift": 1.0,
        "use_dynamic_shifting": False,
    },
    # black-forest-labs/FLUX.2-dev is not among the stored copies; this is scheduler/scheduler_config.json of
    # diffusers/FLUX.2-dev-bnb-4bit (the diffusers team's 4-bit re-upload of it; main, commit a8f401a, 486 bytes), the
    # same text as the models123/FLUX.2-dev copy (main)
    "flux2-dev": {
        "_class_name": "FlowMatchEulerDiscreteScheduler",
        "_diffusers_version": "0.36.0.dev0",
        "base_image_seq_len": 256,
        "base_shift": 0.5,
        "invert_sigmas": False,
        "max_image_seq_len": 4096,
        "max_shift": 1.15,
        "num_train_timesteps": 1000,
        "shift": 3.0,
        "shift_terminal": None,
        "stochastic_sampling": False,
        "time_shift_type": "exponential",
        "use_beta_sigmas": False,
        "use_dynamic_shifting": True,
        "use_exponential_sigmas": False,
        "use_karras_sigmas": False,
    },
    # stabilityai/stable-diffusion-3-medium-diffusers is not among the stored copies; this is the
    # scheduler/scheduler_config.json of its copy ckpt/stable-diffusion-3-medium-diffusers (main, commit 17c61f5
    # "thanks to stabilityai", 141 bytes), the same text as Hydrahost/stable-diffusion-3-medium-diffusers (main)
    "sd3-medium": {
        "_class_name": "FlowMatchEulerDiscreteScheduler",
        "_diffusers_version": "0.29.0.dev0",
        "num_train_timesteps": 1000,
        "shift": 3.0,
    },
    # stabilityai/stable-diffusion-3.5-large, scheduler/scheduler_config.json of commit 4c4df3f "SD3.5 Large Public
    # Release" (141 bytes), read in its copy frankjoshua/stable-diffusion-3.5-large at fed9c89
    "sd3.5-large": {
        "_class_name": "FlowMatchEulerDiscreteScheduler",
        "_diffusers_version": "0.29.0.dev0",
        "num_train_timesteps": 1000,
        "shift": 3.0,
    },
    # stabilityai/stable-diffusion-3.5-medium, scheduler/scheduler_config.json of commit 94b13cc "SD3.5 Medium Public
    # Release" (141 bytes), read in its copy frankjoshua/stable-diffusion-3.5-medium at 9e00742
    "sd3.5-medium": {
        "_class_name": "FlowMatchEulerDiscreteScheduler",
        "_diffusers_version": "0.29.0.dev0",
        "num_train_timesteps": 1000,
        "shift": 3.0,
    },
    # Tongyi-MAI/Z-Image-Turbo is not among the stored copies; this is scheduler/scheduler_config.json of its conversion
    # TensorStack/Z-Image-Turbo-ts (main), key order as there
    "z-image-turbo": {
        "_class_name": "FlowMatchEulerDiscreteScheduler",
        "_diffusers_version": "0.36.0.dev0",
        "num_train_timesteps": 1000,
        "use_dynamic_shifting": False,
        "shift": 3.0,
    },
    # Lightricks/LTX-Video's scheduler/scheduler_config.json (418 bytes since commit 1169655) is stored only as a file
    # listing; this is the 418-byte file of jbilcke-hf/LTX-Video-0.9.1-HFIE (its LTX-Video 0.9.1 copy), blame at 0277213
    "ltx-video": {
        "_class_name": "FlowMatchEulerDiscreteScheduler",
        "_diffusers_version": "0.32.0.dev0",
        "base_image_seq_len": 1024,
        "base_shift": 0.95,
        "invert_sigmas": False,
        "max_image_seq_len": 4096,
        "max_shift": 2.05,
        "num_train_timesteps": 1000,
        "shift": 1.0,
        "shift_terminal": 0.1,
        "use_beta_sigmas": False,
        "use_dynamic_shifting": True,
        "use_exponential_sigmas": False,
        "use_karras_sigmas": False,
    },
    # Qwen/Qwen-Image's scheduler/scheduler_config.json is not among the stored copies; these are its values as the
    # trainer ostris/ai-toolkit writes them out to build Qwen-Image's scheduler (extensions_built_in/diffusion_models/
    # qwen_image/qwen_image.py, `scheduler_config`, commit 14ccf2f): every key diffusers saves, no `_` keys
    "qwen-image": {
        "base_image_seq_len": 256,
        "base_shift": 0.5,
        "invert_sigmas": False,
        "max_image_seq_len": 8192,
        "max_shift": 0.9,
        "num_train_timesteps": 1000,
        "shift": 1.0,
        "shift_terminal": 0.02,
        "stochastic_sampling": False,
        "time_shift_type": "exponential",
        "use_beta_sigmas": False,
        "use_dynamic_shifting": True,
        "use_exponential_sigmas": False,
        "use_karras_sigmas": False,
    },
}
