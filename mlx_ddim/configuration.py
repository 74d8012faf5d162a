"""The scheduler's config: a frozen mapping readable by attribute, and diffusers' JSON file format.

This mirrors the behaviour of diffusers' `ConfigMixin` that users see (`from_config`, `from_pretrained`,
`save_config`, `scheduler.config.key`), without the hub: only local folders are read.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CONFIG_NAME", "DIFFUSERS_VERSION", "ConfigMixin", "FrozenConfig", "register_to_config"]

logger = logging.getLogger("mlx_ddim")

CONFIG_NAME = "scheduler_config.json"
# The diffusers release this port follows; written as `_diffusers_version` by `save_config`.
DIFFUSERS_VERSION = "0.42.1"

# Constructor arguments of the schedulers diffusers lists as compatible with DDIMScheduler
# (`KarrasDiffusionSchedulers`) that DDIMScheduler itself does not take. diffusers drops these silently when it
# loads another scheduler's config (Stable Diffusion 1.5 ships a PNDMScheduler config with `skip_prk_steps`);
# any other unknown key is dropped with a warning. Taken from diffusers 0.42.1; the parity suite checks this
# list against the installed diffusers.
COMPATIBLE_SCHEDULER_KEYS = frozenset(
    {
        "algorithm_type",
        "args",
        "disable_corrector",
        "euler_at_final",
        "final_sigmas_type",
        "flow_shift",
        "interpolation_type",
        "kwargs",
        "lambda_min_clipped",
        "lower_order_final",
        "predict_x0",
        "rho",
        "shift_terminal",
        "sigma_data",
        "sigma_max",
        "sigma_min",
        "sigma_schedule",
        "skip_prk_steps",
        "solver_order",
        "solver_p",
        "solver_type",
        "time_shift_type",
        "timestep_type",
        "use_beta_sigmas",
        "use_dynamic_shifting",
        "use_exponential_sigmas",
        "use_flow_sigmas",
        "use_karras_sigmas",
        "use_lu_lambdas",
        "variance_type",
    }
)


class FrozenConfig(dict):
    """A read-only dict whose keys are also attributes, like diffusers' `FrozenDict`."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"config has no attribute {name!r}") from None

    def _frozen(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("the scheduler config is frozen: build a new scheduler with from_config(config, key=value)")

    __setitem__ = __delitem__ = __setattr__ = __delattr__ = _frozen
    update = pop = popitem = clear = setdefault = _frozen


def _json_value(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if hasattr(value, "tolist"):  # an mx.array or a numpy scalar
        return value.tolist()
    if isinstance(value, Path):
        return value.as_posix()
    return value


def register_to_config(init):
    """Record `__init__`'s arguments as the config, exactly as diffusers' decorator of the same name does.

    Every argument is recorded, defaults included; those not passed *by keyword* are also listed under
    `_use_default_values` (diffusers' quirk: positional arguments count as defaults there), which `from_config`
    drops so that the target class's own defaults apply.
    """

    parameters = {name: p.default for name, p in list(inspect.signature(init).parameters.items())[1:]}

    @functools.wraps(init)
    def inner_init(self, *args, **kwargs):
        values = dict(zip(parameters, args, strict=False))
        values.update({k: kwargs.get(k, default) for k, default in parameters.items() if k not in values})
        unset = set(values) - set(kwargs)
        private = {"_use_default_values": list(unset)} if unset else {}
        self._internal_dict = FrozenConfig({**private, **values})
        init(self, *args, **kwargs)

    return inner_init


class ConfigMixin:
    """Gives a scheduler diffusers' config API; the class decorates its `__init__` with `register_to_config`."""

    config_name = CONFIG_NAME

    @classmethod
    def _init_keys(cls) -> list[str]:
        return list(inspect.signature(cls.__init__).parameters)[1:]

    @property
    def config(self) -> FrozenConfig:
        """The constructor arguments (and any keys of a loaded config kept for compatible classes)."""
        return self._internal_dict

    @classmethod
    def _extract_init_dict(cls, config: dict[str, Any], overrides: dict[str, Any]):
        """Split a loaded config into constructor arguments and hidden keys, as diffusers' `extract_init_dict`."""
        used_defaults = config.get("_use_default_values", [])
        config = {k: v for k, v in config.items() if k not in used_defaults and k != "_use_default_values"}
        original = dict(config)
        class_name = config.pop("_class_name", cls.__name__)
        if not isinstance(class_name, (str, list, tuple)):
            raise ValueError(
                "Make sure that the `_class_name` is of type string or list of string (for custom pipelines)."
            )
        config = {
            k: v
            for k, v in config.items()
            if k not in COMPATIBLE_SCHEDULER_KEYS and not k.startswith("_") and k != "quantization_config"
        }
        overrides = dict(overrides)
        init = {}
        for key in cls._init_keys():
            if key in overrides:
                init[key] = overrides.pop(key)
                config.pop(key, None)
            elif key in config:
                init[key] = config.pop(key)
        if config:
            logger.warning(
                f"The config attributes {config} were passed to {cls.__name__}, but are not expected and will be "
                f"ignored. Please verify your {CONFIG_NAME} configuration file."
            )
        hidden = {k: v for k, v in original.items() if k not in init}
        if "_class_name" in hidden:
            hidden["_class_name"] = cls.__name__
        return init, hidden

    @classmethod
    def from_config(cls, config: dict[str, Any] | None = None, **kwargs: Any):
        """Build a scheduler from a config mapping (another scheduler's `config`, or a loaded JSON dict).

        Keyword arguments override the config's values. Keys of compatible diffusers schedulers are kept in
        `config` but not used; any other unknown key is ignored with a warning, as diffusers does.
        """
        if config is None:
            raise ValueError("Please make sure to provide a config as the first positional argument.")
        if not isinstance(config, dict):
            raise TypeError(
                f"from_config takes a config mapping, got {type(config).__name__}; "
                "to read a folder, use from_pretrained(path)"
            )
        init, hidden = cls._extract_init_dict(config, kwargs)
        scheduler = cls(**init)
        # keep the keys of compatible classes in the config, as diffusers does
        scheduler._internal_dict = FrozenConfig({**scheduler.config, **hidden})
        return scheduler

    @classmethod
    def load_config(cls, pretrained_model_name_or_path: str | os.PathLike, subfolder: str | None = None) -> dict:
        """Read `scheduler_config.json` from a local folder (and optional subfolder)."""
        folder = Path(pretrained_model_name_or_path)
        if subfolder:
            folder = folder / subfolder
        if not folder.is_dir():
            raise FileNotFoundError(
                f"{str(folder)!r} is not a local folder. mlx_ddim reads only local folders, never the Hugging Face "
                "hub: download the model first (for example `huggingface-cli download <repo> --include "
                "'scheduler/*' --local-dir <dir>`) and pass that folder."
            )
        path = folder / CONFIG_NAME
        if not path.is_file():
            raise FileNotFoundError(f"{str(folder)!r} does not contain a file named {CONFIG_NAME}.")
        try:
            config = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise OSError(
                f"It looks like the config file at {str(path)!r} is not a valid JSON file: {error}"
            ) from error
        if not isinstance(config, dict):
            raise OSError(f"The config file at {str(path)!r} does not hold a JSON object.")
        return config

    @classmethod
    def from_pretrained(
        cls, pretrained_model_name_or_path: str | os.PathLike, subfolder: str | None = None, **kwargs: Any
    ):
        """Build a scheduler from a local folder holding `scheduler_config.json` (a hub id is an error)."""
        return cls.from_config(cls.load_config(pretrained_model_name_or_path, subfolder=subfolder), **kwargs)

    def to_json_string(self) -> str:
        config = {**self.config, "_class_name": type(self).__name__, "_diffusers_version": DIFFUSERS_VERSION}
        config.pop("_use_default_values", None)
        config.pop("_ignore_files", None)
        return json.dumps({k: _json_value(v) for k, v in config.items()}, indent=2, sort_keys=True) + "\n"

    def save_config(self, save_directory: str | os.PathLike) -> None:
        """Write `scheduler_config.json` into `save_directory` (created if needed), atomically.

        diffusers' `DDIMScheduler.from_pretrained(save_directory)` loads it back to the same config.
        """
        if os.path.isfile(save_directory):
            raise AssertionError(f"Provided path ({save_directory}) should be a directory, not a file")
        os.makedirs(save_directory, exist_ok=True)
        text = self.to_json_string()
        handle, temporary = tempfile.mkstemp(prefix=".scheduler_config.", suffix=".tmp", dir=save_directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as writer:
                writer.write(text)
            os.replace(temporary, os.path.join(save_directory, CONFIG_NAME))
        except BaseException:
            os.unlink(temporary)
            raise

    def __repr__(self) -> str:
        return f"{type(self).__name__} {self.to_json_string()}"
