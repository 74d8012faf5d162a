"""mlx_ddim: faithful MLX ports of Hugging Face diffusers' DDIMScheduler, DDPMScheduler and
FlowMatchEulerDiscreteScheduler (diffusers 0.42.1)."""

try:
    import mlx.core  # noqa: F401
except ImportError as error:  # on Linux, `mlx` alone has no backend: the package leaves that choice to the user
    if "libmlx" not in str(error):
        raise
    raise ImportError(
        "MLX is installed without a backend, so mlx_ddim cannot run. On Linux pick one: "
        "pip install 'mlx-ddim[cpu]' (or 'mlx[cpu]'), 'mlx-ddim[cuda12]' or 'mlx-ddim[cuda13]' "
        "(or the 'mlx[cuda12]'/'mlx[cuda13]' your project pins)."
    ) from error

from .configuration import FrozenConfig, FrozenDict
from .scheduling_ddim import DDIMScheduler, DDIMSchedulerOutput, betas_for_alpha_bar, rescale_zero_terminal_snr
from .scheduling_ddpm import DDPMScheduler, DDPMSchedulerOutput
from .scheduling_flow_match_euler_discrete import (
    FlowMatchEulerDiscreteScheduler,
    FlowMatchEulerDiscreteSchedulerOutput,
)

__all__ = [
    "DDIMScheduler",
    "DDIMSchedulerOutput",
    "DDPMScheduler",
    "DDPMSchedulerOutput",
    "FlowMatchEulerDiscreteScheduler",
    "FlowMatchEulerDiscreteSchedulerOutput",
    "FrozenConfig",
    "FrozenDict",
    "betas_for_alpha_bar",
    "rescale_zero_terminal_snr",
]
__version__ = "0.1.0"
