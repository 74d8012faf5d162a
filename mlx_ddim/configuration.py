"""The scheduler's config: diffusers' `ConfigMixin` and `register_to_config`, without the hub.

Mirrors `diffusers/configuration_utils.py` (0.42.1) method by method, in its order, so the two read side by side:
`from_config`, `load_config`, `extract_init_dict`, `save_config`, `to_json_string`/`to_json_file`, the deprecated
`get_config_dict` and attribute fallback (`scheduler.num_train_timesteps`, with diffusers' `FutureWarning`), and the
`register_to_config` decorator and method. Only local files and folders are read; what the hub adds (downloads,
`push_to_hub`) is listed in `mlx_ddim/differences.py`.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import os
import re
import tempfile
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from .outputs import KeepsItsKeys

__all__ = [
    "COMPATIBLE_SCHEDULER_KEYS",
    "CONFIG_NAME",
    "DIFFUSERS_VERSION",
    "ConfigMixin",
    "FrozenConfig",
    "FrozenDict",
    "register_to_config",
]

logger = logging.getLogger("mlx_ddim")

CONFIG_NAME = "scheduler_config.json"
# The diffusers release this port follows; written as `_diffusers_version` by `save_config`.
DIFFUSERS_VERSION = "0.42.1"

# Constructor arguments of the schedulers diffusers lists as compatible with DDIMScheduler and DDPMScheduler (their
# `_compatibles`, `KarrasDiffusionSchedulers`, the same 15 classes). When a scheduler loads a config, diffusers drops
# silently those of these keys the scheduler itself does not take (Stable Diffusion 1.5 ships a PNDMScheduler config
# with `skip_prk_steps`; a DDIM config holds `set_alpha_to_one`, which DDPM does not take); any other unknown key is
# dropped with a warning. diffusers computes this set from the torch classes, which the port cannot import, so it is
# recorded here from diffusers 0.42.1 with every optional package installed (scipy for LMSDiscreteScheduler, torchsde
# for DPMSolverSDEScheduler: without them diffusers substitutes placeholders and its own set shrinks). The gate
# recomputes it from the installed diffusers and fails if a placeholder is met.
COMPATIBLE_SCHEDULER_KEYS = frozenset(
    {
        "algorithm_type",
        "beta_end",
        "beta_schedule",
        "beta_start",
        "clip_sample",
        "clip_sample_range",
        "disable_corrector",
        "dynamic_thresholding_ratio",
        "euler_at_final",
        "final_sigmas_type",
        "flow_shift",
        "interpolation_type",
        "lambda_min_clipped",
        "lower_order_final",
        "noise_sampler_seed",
        "num_train_timesteps",
        "predict_x0",
        "prediction_type",
        "rescale_betas_zero_snr",
        "rho",
        "sample_max_value",
        "set_alpha_to_one",
        "shift_terminal",
        "sigma_data",
        "sigma_max",
        "sigma_min",
        "sigma_schedule",
        "skip_prk_steps",
        "solver_order",
        "solver_p",
        "solver_type",
        "steps_offset",
        "thresholding",
        "time_shift_type",
        "timestep_spacing",
        "timestep_type",
        "trained_betas",
        "use_beta_sigmas",
        "use_dynamic_shifting",
        "use_exponential_sigmas",
        "use_flow_sigmas",
        "use_karras_sigmas",
        "use_lu_lambdas",
        "variance_type",
    }
)

# The keyword arguments of diffusers' `load_config` that only steer a download from the hub; a local read ignores
# them, as diffusers does when the path is a local folder.
_HUB_KWARGS = (
    "cache_dir",
    "local_dir",
    "local_dir_use_symlinks",
    "force_download",
    "proxies",
    "token",
    "local_files_only",
    "revision",
    "mirror",
    "user_agent",
)
_COMMIT_HASH = re.compile(r"^[0-9a-f]{40}$")


def deprecate(message: str, stacklevel: int = 3) -> None:
    """diffusers' `deprecate(..., standard_warn=False)`: a `FutureWarning` with the message alone."""
    warnings.warn(message, FutureWarning, stacklevel=stacklevel)


class FrozenDict(KeepsItsKeys, OrderedDict):
    """A read-only ordered dict whose keys are also attributes, like diffusers' `FrozenDict`.

    Why stricter than diffusers: `FrozenDict` means to refuse every change, but its freeze check tests the unmangled
    name `"__frozen"` and never fires, so item and attribute assignment, `popitem`, `clear` and `move_to_end` go
    through there, and the scheduler's arrays, built from the old values, do not follow. Here those are a `TypeError`
    that says how to get a changed scheduler (listed in `mlx_ddim/differences.py`); `del`, `pop`, `update` and
    `setdefault` raise diffusers' own `Exception`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        for key, value in dict(*args, **kwargs).items():
            OrderedDict.__setitem__(self, key, value)
            # Also an attribute, as diffusers' sets them, so that `config.key` (read in every `step`) is a plain
            # attribute read; a key that names a method of the class (`items`) is left to `__getattr__`, unread.
            if isinstance(key, str) and not hasattr(type(self), key):
                object.__setattr__(self, key, value)

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'") from None

    def _frozen(self, *args: Any, **kwargs: Any) -> None:
        """What diffusers' broken freeze check lets through (see the class docstring)."""
        raise TypeError("the scheduler config is frozen: build a new scheduler with from_config(config, key=value)")

    __setitem__ = __setattr__ = __delattr__ = __ior__ = popitem = clear = move_to_end = _frozen

    def __reduce__(self):
        return type(self), (list(self.items()),)


FrozenConfig = FrozenDict  # the name this package used before it took diffusers' own


def _json_value(value: Any) -> Any:
    """diffusers' `to_json_saveable`, which also takes an `mx.array` or numpy scalar (`.tolist()`)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return value.as_posix()
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return value.to_dict()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if hasattr(value, "tolist"):  # an mx.array or a numpy scalar
        return value.tolist()
    return value


def _write_atomically(path: str | os.PathLike, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, so a reader never sees half a file."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as writer:
            writer.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


class ConfigMixin:
    r"""
    Base class for all configuration classes. All configuration parameters are stored under `self.config`. Also
    provides the [`~ConfigMixin.from_config`] and [`~ConfigMixin.save_config`] methods for loading and saving classes
    that inherit from [`ConfigMixin`] (local folders only).

    Class attributes:
        - **config_name** (`str`) -- A filename under which the config should stored when calling
          [`~ConfigMixin.save_config`] (should be overridden by parent class).
        - **ignore_for_config** (`list[str]`) -- A list of attributes that should not be saved in the config (should be
          overridden by subclass).
        - **has_compatibles** (`bool`) -- Whether the class has compatible classes (should be overridden by subclass).
        - **_deprecated_kwargs** (`list[str]`) -- Keyword arguments that are deprecated. Note that the `init` function
          should only have a `kwargs` argument if at least one argument is deprecated (should be overridden by
          subclass).
    """

    config_name = None
    ignore_for_config: ClassVar[list[str]] = []
    has_compatibles = False

    _deprecated_kwargs: ClassVar[list[str]] = []
    _auto_class = None

    @classmethod
    def register_for_auto_class(cls, auto_class="AutoModel"):
        """Record `auto_class` so that a saved config carries an `auto_map` entry, as diffusers does."""
        if auto_class != "AutoModel":
            raise ValueError(f"Only 'AutoModel' is supported, got '{auto_class}'.")

        cls._auto_class = auto_class

    def register_to_config(self, **kwargs):
        """Merge `kwargs` into the config (a new frozen mapping replaces the old one)."""
        if self.config_name is None:
            raise NotImplementedError(f"Make sure that {self.__class__} has defined a class name `config_name`")
        kwargs.pop("kwargs", None)

        if not hasattr(self, "_internal_dict"):
            internal_dict = kwargs
        else:
            previous_dict = dict(self._internal_dict)
            internal_dict = {**self._internal_dict, **kwargs}
            logger.debug(f"Updating config from {previous_dict} to {internal_dict}")

        self._internal_dict = FrozenDict(internal_dict)

    def __getattr__(self, name: str) -> Any:
        """Read a config value as an attribute (`scheduler.num_train_timesteps`), with diffusers' deprecation
        warning; any other missing attribute is an `AttributeError`, in diffusers' words."""
        is_in_config = "_internal_dict" in self.__dict__ and hasattr(self.__dict__["_internal_dict"], name)
        is_attribute = name in self.__dict__

        if is_in_config and not is_attribute:
            deprecate(
                f"Accessing config attribute `{name}` directly via '{type(self).__name__}' object attribute is "
                f"deprecated. Please access '{name}' over '{type(self).__name__}'s config object instead, e.g. "
                f"'scheduler.config.{name}'."
            )
            return self._internal_dict[name]

        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def save_config(self, save_directory: str | os.PathLike, push_to_hub: bool = False, **kwargs):
        """
        Save a configuration object to the directory specified in `save_directory` so that it can be reloaded using the
        [`~ConfigMixin.from_config`] class method; diffusers' `from_pretrained(save_directory)` loads it too.

        Args:
            save_directory (`str` or `os.PathLike`):
                Directory where the configuration JSON file is saved (will be created if it does not exist).
            push_to_hub (`bool`, *optional*, defaults to `False`):
                Must stay `False`: mlx_ddim never uploads (a `ValueError` says so before anything is written).
        """
        if push_to_hub:
            raise ValueError(
                "push_to_hub=True: mlx_ddim never reaches the Hugging Face hub. Save locally, then upload the folder "
                "with `huggingface-cli upload`."
            )
        if os.path.isfile(save_directory):
            raise AssertionError(f"Provided path ({save_directory}) should be a directory, not a file")

        os.makedirs(save_directory, exist_ok=True)

        output_config_file = os.path.join(save_directory, self.config_name)

        self.to_json_file(output_config_file)
        logger.info(f"Configuration saved in {output_config_file}")

    @classmethod
    def from_config(cls, config: dict[str, Any] | None = None, return_unused_kwargs=False, **kwargs):
        r"""
        Instantiate a Python class from a config dictionary.

        Parameters:
            config (`dict[str, Any]`):
                A config dictionary from which the Python class is instantiated (another scheduler's `config`, or a
                loaded JSON dict). Make sure to only load configuration files of compatible classes.
            return_unused_kwargs (`bool`, *optional*, defaults to `False`):
                Whether kwargs that are not consumed by the Python class should be returned or not.
            kwargs (remaining dictionary of keyword arguments, *optional*):
                Overrides of the config's values, passed to `__init__`.

        Returns:
            The scheduler, or `(scheduler, unused_kwargs)` with `return_unused_kwargs=True`. Keys of compatible diffusers
            schedulers are kept in `config` but not used; any other unknown key is ignored with a warning.
        """
        if "pretrained_model_name_or_path" in kwargs:
            config = kwargs.pop("pretrained_model_name_or_path")

        if config is None:
            raise ValueError("Please make sure to provide a config as the first positional argument.")

        if not isinstance(config, dict):
            deprecation_message = "It is deprecated to pass a pretrained model name or path to `from_config`."
            if "Scheduler" in cls.__name__:
                deprecation_message += (
                    f"If you were trying to load a scheduler, please use {cls}.from_pretrained(...) instead."
                    " Otherwise, please make sure to pass a configuration dictionary instead. This functionality will"
                    " be removed in v1.0.0."
                )
            deprecate(deprecation_message)
            config, kwargs = cls.load_config(pretrained_model_name_or_path=config, return_unused_kwargs=True, **kwargs)

        init_dict, unused_kwargs, hidden_dict = cls.extract_init_dict(config, **kwargs)

        if "dtype" in unused_kwargs:
            init_dict["dtype"] = unused_kwargs.pop("dtype")

        for deprecated_kwarg in cls._deprecated_kwargs:
            if deprecated_kwarg in unused_kwargs:
                init_dict[deprecated_kwarg] = unused_kwargs.pop(deprecated_kwarg)

        model = cls(**init_dict)

        # make sure to also save config parameters that might be used for compatible classes
        if "_class_name" in hidden_dict:
            hidden_dict["_class_name"] = cls.__name__

        model.register_to_config(**hidden_dict)

        # add hidden kwargs of compatible classes to unused_kwargs
        unused_kwargs = {**unused_kwargs, **hidden_dict}

        if return_unused_kwargs:
            return (model, unused_kwargs)
        else:
            return model

    @classmethod
    def get_config_dict(cls, *args, **kwargs):
        """Deprecated in diffusers (with this `FutureWarning`): `load_config`."""
        deprecation_message = (
            f" The function get_config_dict is deprecated. Please use {cls}.load_config instead. This function will be"
            " removed in version v1.0.0"
        )
        deprecate(deprecation_message)
        return cls.load_config(*args, **kwargs)

    @classmethod
    def load_config(
        cls,
        pretrained_model_name_or_path: str | os.PathLike,
        return_unused_kwargs=False,
        return_commit_hash=False,
        **kwargs,
    ) -> dict[str, Any] | tuple:
        r"""
        Load a scheduler configuration from a local JSON file, or from `scheduler_config.json` in a local folder (and
        optional `subfolder=`; as in diffusers, the folder itself is tried when the subfolder holds no config).

        The hub's keyword arguments (`cache_dir`, `revision`, `token`, ...) are accepted and ignored; a path that is
        neither a file nor a folder is a `FileNotFoundError` that says mlx_ddim reads only local paths.

        Returns:
            `dict`, or a tuple with the unused kwargs and/or the commit hash of a hub-cache snapshot path, as asked.
        """
        for name in _HUB_KWARGS:
            kwargs.pop(name, None)
        subfolder = kwargs.pop("subfolder", None)

        pretrained_model_name_or_path = str(pretrained_model_name_or_path)

        if cls.config_name is None:
            raise ValueError(
                "`self.config_name` is not defined. Note that one should not load a config from "
                "`ConfigMixin`. Please make sure to define `config_name` in a class inheriting from `ConfigMixin`"
            )
        if os.path.isfile(pretrained_model_name_or_path):
            config_file = pretrained_model_name_or_path
        elif os.path.isdir(pretrained_model_name_or_path):
            if subfolder is not None and os.path.isfile(
                os.path.join(pretrained_model_name_or_path, subfolder, cls.config_name)
            ):
                config_file = os.path.join(pretrained_model_name_or_path, subfolder, cls.config_name)
            elif os.path.isfile(os.path.join(pretrained_model_name_or_path, cls.config_name)):
                config_file = os.path.join(pretrained_model_name_or_path, cls.config_name)
            else:
                raise FileNotFoundError(
                    f"Error no file named {cls.config_name} found in directory {pretrained_model_name_or_path}."
                )
        else:
            raise FileNotFoundError(
                f"{pretrained_model_name_or_path!r} is not a local folder or file. mlx_ddim reads only local paths, "
                "never the Hugging Face hub: download the model first (for example `huggingface-cli download <repo> "
                "--include 'scheduler/*' --local-dir <dir>`) and pass that folder."
            )
        try:
            config_dict = cls._dict_from_json_file(config_file)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise OSError(f"It looks like the config file at '{config_file}' is not a valid JSON file.") from error
        if not isinstance(config_dict, dict):
            raise OSError(f"The config file at '{config_file}' does not hold a JSON object.")

        if not (return_unused_kwargs or return_commit_hash):
            return config_dict

        outputs = (config_dict,)

        if return_unused_kwargs:
            outputs += (kwargs,)

        if return_commit_hash:
            outputs += (_commit_hash(config_file),)

        return outputs

    @staticmethod
    def _get_init_keys(input_class):
        return set(dict(inspect.signature(input_class.__init__).parameters).keys())

    @classmethod
    def extract_init_dict(cls, config_dict, **kwargs):
        """Split a config into `__init__` arguments, unused kwargs and the hidden keys kept in `config`.

        As diffusers: the keys listed under `_use_default_values` are dropped (so this class's own defaults apply),
        keys of compatible schedulers are dropped silently, any other unknown key with a warning. Only the compatible
        schedulers' keys are known here (`COMPATIBLE_SCHEDULER_KEYS`): diffusers also drops silently the keys of any
        other diffusers class named by `_class_name` (listed in `mlx_ddim/differences.py`).
        """
        # Skip keys that were not present in the original config, so default __init__ values were used
        used_defaults = config_dict.get("_use_default_values", [])
        config_dict = {k: v for k, v in config_dict.items() if k not in used_defaults and k != "_use_default_values"}

        # 0. Copy origin config dict
        original_dict = dict(config_dict.items())

        # 1. Retrieve expected config attributes from __init__ signature
        expected_keys = cls._get_init_keys(cls)
        expected_keys.remove("self")
        # remove general kwargs if present in dict
        if "kwargs" in expected_keys:
            expected_keys.remove("kwargs")

        # 2. Remove attributes that cannot be expected from expected config attributes
        # remove keys to be ignored
        if len(cls.ignore_for_config) > 0:
            expected_keys = expected_keys - set(cls.ignore_for_config)

        # remove attributes from compatible classes (recorded: the compatible classes are torch ones). The record is
        # the keys of the 15 classes DDIM and DDPM list; a class that lists none (`_compatibles = []`, as
        # FlowMatchEulerDiscreteScheduler) is compatible only with itself, so it drops none, as in diffusers.
        has_compatible_keys = cls.has_compatibles and bool(getattr(cls, "_compatibles", []))
        expected_keys_comp_cls = set(COMPATIBLE_SCHEDULER_KEYS) if has_compatible_keys else set()
        expected_keys_comp_cls = expected_keys_comp_cls - cls._get_init_keys(cls)
        config_dict = {k: v for k, v in config_dict.items() if k not in expected_keys_comp_cls}

        # remove attributes from orig class that cannot be expected
        orig_cls_name = config_dict.pop("_class_name", cls.__name__)
        if not isinstance(orig_cls_name, str) and not isinstance(orig_cls_name, (list, tuple)):
            raise ValueError(
                "Make sure that the `_class_name` is of type string or list of string (for custom pipelines)."
            )

        # remove private attributes
        config_dict = {k: v for k, v in config_dict.items() if not k.startswith("_")}

        # remove quantization_config
        config_dict = {k: v for k, v in config_dict.items() if k != "quantization_config"}

        # 3. Create keyword arguments that will be passed to __init__ from expected keyword arguments
        init_dict = {}
        for key in expected_keys:
            # if config param is passed to kwarg and is present in config dict
            # it should overwrite existing config dict key
            if key in kwargs and key in config_dict:
                config_dict[key] = kwargs.pop(key)

            if key in kwargs:
                # overwrite key
                init_dict[key] = kwargs.pop(key)
            elif key in config_dict:
                # use value from config dict
                init_dict[key] = config_dict.pop(key)

        # 4. Give nice warning if unexpected values have been passed
        if len(config_dict) > 0:
            logger.warning(
                f"The config attributes {config_dict} were passed to {cls.__name__}, "
                "but are not expected and will be ignored. Please verify your "
                f"{cls.config_name} configuration file."
            )

        # 5. Give nice info if config attributes are initialized to default because they have not been passed
        passed_keys = set(init_dict.keys())
        if len(expected_keys - passed_keys) > 0:
            logger.info(
                f"{expected_keys - passed_keys} was not found in config. Values will be initialized to default values."
            )

        # 6. Define unused keyword arguments
        unused_kwargs = {**config_dict, **kwargs}

        # 7. Define "hidden" config parameters that were saved for compatible classes
        hidden_config_dict = {k: v for k, v in original_dict.items() if k not in init_dict}

        return init_dict, unused_kwargs, hidden_config_dict

    @classmethod
    def _dict_from_json_file(cls, json_file: str | os.PathLike):
        with open(json_file, encoding="utf-8") as reader:
            text = reader.read()
        return json.loads(text)

    def __repr__(self):
        return f"{self.__class__.__name__} {self.to_json_string()}"

    @property
    def config(self) -> FrozenDict:
        """The config of the class as a frozen mapping, also readable by attribute."""
        return self._internal_dict

    def to_json_string(self) -> str:
        """
        Serializes the configuration instance to a JSON string.

        As in diffusers, this records `_class_name` and `_diffusers_version` in the config itself, so after a
        `save_config` or a `repr` the config holds them too.
        """
        config_dict = self._internal_dict if hasattr(self, "_internal_dict") else {}
        self._internal_dict = config_dict = FrozenDict(
            {**config_dict, "_class_name": self.__class__.__name__, "_diffusers_version": DIFFUSERS_VERSION}
        )
        config_dict = {k: _json_value(v) for k, v in config_dict.items()}
        config_dict.pop("_ignore_files", None)
        config_dict.pop("_use_default_values", None)
        config_dict.pop("_pre_quantization_dtype", None)

        if getattr(self, "_auto_class", None) is not None:
            module = self.__class__.__module__.split(".")[-1]
            auto_map = config_dict.get("auto_map", {})
            auto_map[self._auto_class] = f"{module}.{self.__class__.__name__}"
            config_dict["auto_map"] = auto_map

        return json.dumps(config_dict, indent=2, sort_keys=True) + "\n"

    def to_json_file(self, json_file_path: str | os.PathLike):
        """
        Save the configuration instance's parameters to a JSON file (atomically: an interrupted write leaves the
        previous file whole).
        """
        _write_atomically(json_file_path, self.to_json_string())


def _commit_hash(config_file: str) -> str | None:
    """diffusers' `extract_commit_hash`: the snapshot id of a file in a hub cache folder, else None."""
    search = re.search(r"snapshots/([^/]+)/", Path(config_file).as_posix())
    if search is None:
        return None
    commit_hash = search.groups()[0]
    return commit_hash if _COMMIT_HASH.match(commit_hash) else None


def register_to_config(init):
    r"""
    Decorator to apply on the init of classes inheriting from [`ConfigMixin`] so that all the arguments are
    automatically sent to `self.register_to_config`, exactly as diffusers' decorator of the same name: every argument
    is recorded, defaults included; those not passed *by keyword* are also listed under `_use_default_values`
    (diffusers' quirk: positional arguments count as defaults there), which `from_config` drops so that the target
    class's own defaults apply. Keyword arguments starting with `_` go to the config, not to `__init__`.
    """

    signature = inspect.signature(init)  # read once per class, not per scheduler built

    @functools.wraps(init)
    def inner_init(self, *args, **kwargs):
        # Ignore private kwargs in the init.
        init_kwargs = {k: v for k, v in kwargs.items() if not k.startswith("_")}
        config_init_kwargs = {k: v for k, v in kwargs.items() if k.startswith("_")}
        if not isinstance(self, ConfigMixin):
            raise RuntimeError(
                f"`@register_for_config` was applied to {self.__class__.__name__} init method, but this class does "
                "not inherit from `ConfigMixin`."
            )

        ignore = getattr(self, "ignore_for_config", [])
        # Get positional arguments aligned with kwargs
        new_kwargs = {}
        parameters = {
            name: p.default for i, (name, p) in enumerate(signature.parameters.items()) if i > 0 and name not in ignore
        }
        for arg, name in zip(args, parameters.keys(), strict=False):
            new_kwargs[name] = arg

        # Then add all kwargs
        new_kwargs.update(
            {
                k: init_kwargs.get(k, default)
                for k, default in parameters.items()
                if k not in ignore and k not in new_kwargs
            }
        )

        # Take note of the parameters that were not present in the loaded config
        if len(set(new_kwargs.keys()) - set(init_kwargs)) > 0:
            new_kwargs["_use_default_values"] = list(set(new_kwargs.keys()) - set(init_kwargs))

        new_kwargs = {**config_init_kwargs, **new_kwargs}
        self.register_to_config(**new_kwargs)
        init(self, *args, **init_kwargs)

    return inner_init
