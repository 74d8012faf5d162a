"""The port side: which class is under test, and how numpy data moves in and out of MLX (the same conventions as
parity.reference).

The port under test is injected, as array-api-tests injects its array library: `make parity PORT=package.module:Class`
sets the environment variable PARITY_PORT, and any importable class that claims the reference's API is checked
(`PYTHONPATH` is honoured, so it can live outside this repository). PARITY_PORT is the port of the entry it selects
(parity.entries.selected: by its class name, or PARITY_ENTRY); every other entry, and every entry when it is unset,
is checked against its own DEFAULT_PORT: this project's port.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from types import ModuleType

import mlx.core as mx
import numpy as np

from parity.surface import Side

__all__ = [
    "ENVIRONMENT",
    "MLX_DTYPES",
    "command_prefix",
    "default",
    "dtype_name",
    "is_own_port",
    "load",
    "module",
    "output_class",
    "scheduler_class",
    "side",
    "spec",
    "to_mlx",
    "to_numpy",
]

ENVIRONMENT = "PARITY_PORT"
MLX_DTYPES = {"float32": mx.float32, "float16": mx.float16, "bfloat16": mx.bfloat16}


def default() -> str:
    """`package.module:Class` of the entry's own port (this project's)."""
    from .entries import current

    return current().DEFAULT_PORT


def spec() -> str:
    """`package.module:Class` of the port under test: PARITY_PORT for the entry it selects, else the entry's own."""
    from .entries import current, selected

    given = os.environ.get(ENVIRONMENT)
    return given if given and current().NAME in selected() else default()


def is_own_port() -> bool:
    return spec() == default()


def command_prefix() -> str:
    """What a replay line needs in front to run against the same port: `PARITY_PORT=... ` unless the default."""
    return "" if is_own_port() else f"PARITY_PORT={spec()} "


@functools.cache
def load(port_spec: str) -> type:
    """The class `package.module:Class` names; a clear error if the text or the import is wrong."""
    module_name, colon, class_name = port_spec.partition(":")
    if not colon or not module_name or not class_name.isidentifier():
        raise ValueError(f"{ENVIRONMENT}/PORT must read package.module:Class, got {port_spec!r}")
    try:
        imported = importlib.import_module(module_name)
    except ImportError as error:
        raise ImportError(f"cannot import the port's module {module_name!r} ({port_spec}): {error}") from error
    cls = getattr(imported, class_name, None)
    if not isinstance(cls, type):
        raise ImportError(f"{module_name!r} has no class {class_name!r} ({port_spec})")
    return cls


def scheduler_class() -> type:
    return load(spec())


def module() -> ModuleType:
    """The module that defines the port's class: where its output class and module functions are looked up."""
    return sys.modules[scheduler_class().__module__]


def output_class(name: str) -> type | None:
    """The port's output class of the reference's name (`DDIMSchedulerOutput`), or None if it has none."""
    found = getattr(module(), name, None)
    return found if isinstance(found, type) else None


def to_mlx(values: np.ndarray, dtype: str) -> mx.array:
    return mx.array(np.ascontiguousarray(values, dtype=np.float32)).astype(MLX_DTYPES[dtype])


def to_numpy(array: mx.array) -> np.ndarray:
    """float32 (exact for half precision) or int64 numpy copy of an MLX array."""
    if mx.issubdtype(array.dtype, mx.floating):
        return np.array(array.astype(mx.float32))
    return np.array(array)


def dtype_name(array: mx.array) -> str:
    return str(array.dtype).removeprefix("mlx.core.")


def side(output_name: str) -> Side:
    """The port as the API-surface check sees it (an output class it lacks is an empty stand-in: every name of the
    reference's output is then a gap)."""
    output = output_class(output_name) or type(output_name, (), {})
    return Side(scheduler_class(), output, mx.array, to_numpy, logger="")  # the root: wherever the port logs
