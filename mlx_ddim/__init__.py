"""mlx_ddim: a faithful MLX port of Hugging Face diffusers' DDIMScheduler (diffusers 0.42.1)."""

from .configuration import FrozenConfig
from .scheduling_ddim import DDIMScheduler, DDIMSchedulerOutput, betas_for_alpha_bar, rescale_zero_terminal_snr

__all__ = ["DDIMScheduler", "DDIMSchedulerOutput", "FrozenConfig", "betas_for_alpha_bar", "rescale_zero_terminal_snr"]
__version__ = "0.1.0"
