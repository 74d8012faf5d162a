"""diffusers' `SchedulerMixin` and `KarrasDiffusionSchedulers` (`diffusers/schedulers/scheduling_utils.py`, 0.42.1).

What every diffusers scheduler inherits: loading and saving (local folders only here) and the compatible classes.
The compatible classes diffusers returns are torch ones; `compatibles` here returns the classes of this package
that carry a compatible name (listed in `mlx_ddim/differences.py`).
"""

from __future__ import annotations

import importlib
import os
from enum import Enum
from typing import Any, ClassVar

from .configuration import CONFIG_NAME

__all__ = ["KarrasDiffusionSchedulers", "SchedulerMixin"]


class KarrasDiffusionSchedulers(Enum):
    """
    Enumeration of schedulers compatible with Karras diffusion pipelines (diffusers' names: most are torch-only).
    """

    DDIMScheduler = 1
    DDPMScheduler = 2
    PNDMScheduler = 3
    LMSDiscreteScheduler = 4
    EulerDiscreteScheduler = 5
    HeunDiscreteScheduler = 6
    EulerAncestralDiscreteScheduler = 7
    DPMSolverMultistepScheduler = 8
    DPMSolverSinglestepScheduler = 9
    KDPM2DiscreteScheduler = 10
    KDPM2AncestralDiscreteScheduler = 11
    DEISMultistepScheduler = 12
    UniPCMultistepScheduler = 13
    DPMSolverSDEScheduler = 14
    EDMEulerScheduler = 15


class SchedulerMixin:
    """
    Base class for all schedulers.

    [`SchedulerMixin`] contains common functions shared by all schedulers such as general loading and saving
    functionalities.

    [`ConfigMixin`] takes care of storing the configuration attributes (like `num_train_timesteps`) that are passed to
    the scheduler's `__init__` function, and the attributes can be accessed by `scheduler.config.num_train_timesteps`.

    Class attributes:
        - **_compatibles** (`list[str]`) -- A list of scheduler classes that are compatible with the parent scheduler
          class. Use [`~ConfigMixin.from_config`] to load a different compatible scheduler class (should be overridden
          by parent class).
    """

    config_name = CONFIG_NAME
    _compatibles: ClassVar[list[str]] = []
    has_compatibles = True

    @classmethod
    def from_pretrained(
        cls,
        pretrained_model_name_or_path: str | os.PathLike | None = None,
        subfolder: str | None = None,
        return_unused_kwargs: bool = False,
        **kwargs: Any,
    ):
        r"""
        Instantiate a scheduler from a JSON configuration file in a local directory (the hub is never reached).

        Args:
            pretrained_model_name_or_path (`str` or `os.PathLike`):
                A path to a *directory* (for example `./my_model_directory`) containing the scheduler configuration
                saved with [`~SchedulerMixin.save_pretrained`] (or by diffusers), or to the JSON file itself.
            subfolder (`str`, *optional*):
                The subfolder location of the config within a larger model folder.
            return_unused_kwargs (`bool`, *optional*, defaults to `False`):
                Whether kwargs that are not consumed by the Python class should be returned or not.

        Returns:
            The scheduler, or `(scheduler, unused_kwargs)` with `return_unused_kwargs=True`.
        """
        config, kwargs, _commit_hash = cls.load_config(
            pretrained_model_name_or_path=pretrained_model_name_or_path,
            subfolder=subfolder,
            return_unused_kwargs=True,
            return_commit_hash=True,
            **kwargs,
        )
        return cls.from_config(config, return_unused_kwargs=return_unused_kwargs, **kwargs)

    def save_pretrained(self, save_directory: str | os.PathLike, push_to_hub: bool = False, **kwargs: Any) -> None:
        """
        Save a scheduler configuration object to a directory so that it can be reloaded using the
        [`~SchedulerMixin.from_pretrained`] class method (diffusers' `from_pretrained` loads it too).

        Args:
            save_directory (`str` or `os.PathLike`):
                Directory where the configuration JSON file will be saved (will be created if it does not exist).
            push_to_hub (`bool`, *optional*, defaults to `False`):
                Must stay `False`: mlx_ddim never uploads.
        """
        self.save_config(save_directory=save_directory, push_to_hub=push_to_hub, **kwargs)

    @property
    def compatibles(self) -> list[type]:
        """
        The scheduler classes of this package whose names diffusers lists as compatible with this one (diffusers
        returns its torch classes of those names); each can be built with `from_config(scheduler.config)`.
        """
        return self._get_compatibles()

    @classmethod
    def _get_compatibles(cls) -> list[type]:
        compatible_classes_str = list(dict.fromkeys([cls.__name__, *cls._compatibles]))
        library = importlib.import_module(__name__.split(".")[0])
        compatible_classes = [getattr(library, c) for c in compatible_classes_str if hasattr(library, c)]
        return compatible_classes
