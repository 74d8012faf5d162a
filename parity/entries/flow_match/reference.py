"""The reference side: diffusers' FlowMatchEulerDiscreteScheduler in torch (the only module of this entry that imports
either). Stochastic sampling draws `randn_tensor(sample.shape, generator, dtype=float32)`; `drawing` hands it the
noise the port gets instead (parity.entries.common.torch_arrays.drawing)."""

from __future__ import annotations

import torch
from diffusers import FlowMatchEulerDiscreteScheduler as TorchFlowMatchScheduler
from diffusers.schedulers import scheduling_flow_match_euler_discrete as reference_module

from parity.entries.common.torch_arrays import drawing, dtype_name, to_numpy, to_torch

__all__ = ["TorchFlowMatchScheduler", "drawing", "dtype_name", "reference_module", "to_numpy", "to_torch", "torch"]
