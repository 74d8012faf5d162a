"""The port side: which class is under test, and how numpy data moves in and out of MLX (the same conventions as
parity.reference).

The port under test is injected, as array-api-tests injects its array library: `make parity PORT=package.module:Class`
sets the environment variable PARITY_PORT, and any importable class that claims the reference's API is checked
(`PYTHONPATH` is honoured, so it can live outside this repository). PARITY_PORT is the port of the entry it selects
(parity.entries.selected: by its class name, or PARITY_ENTRY); every other entry, and every entry when it is unset,
is checked against its own DEFAULT_PORT: this project's port.

The engine reaches the port through an adapter (parity.adapter): PARITY_ADAPTER (make's ADAPTER) names a factory
`package.module:name` for a port of another shape, for the same entry as PARITY_PORT; the default speaks diffusers'
API. `adapter()` is the one every check builds its port with.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from types import ModuleType
from typing import Any

import mlx.core as mx
import numpy as np

from parity.surface import Side

__all__ = [
    "ADAPTER_ENVIRONMENT",
    "ENVIRONMENT",
    "MLX_DTYPES",
    "adapter",
    "command_prefix",
    "default",
    "dtype_name",
    "full_config",
    "is_own_port",
    "load",
    "module",
    "output_class",
    "scheduler_class",
    "side",
    "spec",
    "to_mlx",
    "to_mlx_and_read_back",
    "to_numpy",
    "to_numpy_together",
]

ENVIRONMENT = "PARITY_PORT"
ADAPTER_ENVIRONMENT = "PARITY_ADAPTER"
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


def adapter_spec() -> str:
    """`package.module:name` of the adapter factory under test (PARITY_ADAPTER, for the entry PARITY_PORT selects),
    or "" for the default, diffusers' API."""
    from .entries import current, selected

    given = os.environ.get(ADAPTER_ENVIRONMENT, "")
    return given if given and current().NAME in selected() else ""


def command_prefix() -> str:
    """What a replay line needs in front to run against the same port: `PARITY_PORT=... ` unless the default (and
    `PARITY_ADAPTER=... ` when an adapter is named, and `PARITY_ENTRY=... ` when the port's class name selects no
    entry by itself: a port of another name, such as mflux's LinearScheduler)."""
    from .entries import current

    prefix = "" if spec() == default() else f"PARITY_PORT={spec()} "
    prefix += f"PARITY_ADAPTER={adapter_spec()} " if adapter_spec() else ""
    entry = current()
    if prefix and spec().partition(":")[2] != entry.REFERENCE.partition(":")[2]:
        prefix += f"PARITY_ENTRY={entry.NAME} "
    return prefix


@functools.cache
def load(port_spec: str, what: str = "class") -> Any:
    """The class (or, with `what="adapter"`, the adapter factory) that `package.module:Name` names; a clear error if
    the text or the import is wrong."""
    variable, form, owner = (
        (f"{ENVIRONMENT}/PORT", "package.module:Class", "port")
        if what == "class"
        else (f"{ADAPTER_ENVIRONMENT}/ADAPTER", "package.module:name", "adapter")
    )
    module_name, colon, name = port_spec.partition(":")
    if not colon or not module_name or not name.isidentifier():
        raise ValueError(f"{variable} must read {form}, got {port_spec!r}")
    try:
        imported = importlib.import_module(module_name)
    except ImportError as error:
        raise ImportError(f"cannot import the {owner}'s module {module_name!r} ({port_spec}): {error}") from error
    found = getattr(imported, name, None)
    if not (isinstance(found, type) if what == "class" else callable(found)):
        raise ImportError(f"{module_name!r} has no {what} {name!r} ({port_spec})")
    return found


def scheduler_class() -> type:
    return load(spec())


def reference_defaults() -> dict[str, dict[str, Any]]:
    """The entry's reference class's keyword defaults, per method, from its validated source copy (torch-free)."""
    from .entries import current
    from .upstream import reference_defaults as read

    entry = current()
    return read(entry.UPSTREAM.copy, entry.REFERENCE.partition(":")[2])


def full_config(config: dict[str, Any]) -> dict[str, Any]:
    """A config as the reference holds it once built: its constructor keywords, the reference's defaults filled
    in (keys that are no constructor keyword dropped, as from_config drops them). Torch-free: the fixture replay
    judges with it."""
    defaults = reference_defaults()["__init__"]
    return {**defaults, **{key: value for key, value in config.items() if key in defaults}}


def adapter() -> Any:
    """The adapter every check builds the port under test with (parity.adapter): the named factory, or the default
    (diffusers' API), made for the port class and the reference's defaults."""
    from .adapter import DiffusersAPI
    from .entries import current

    factory = load(adapter_spec(), "adapter") if adapter_spec() else DiffusersAPI
    return _made(factory, scheduler_class(), current().NAME)


@functools.cache
def _made(factory: Any, port_class: type, entry: str) -> Any:
    return factory(port_class, reference_defaults())


def module() -> ModuleType:
    """The module that defines the port's class: where its output class and module functions are looked up."""
    return sys.modules[scheduler_class().__module__]


def output_class(name: str) -> type | None:
    """The port's output class of the reference's name (`DDIMSchedulerOutput`), or None if it has none."""
    found = getattr(module(), name, None)
    return found if isinstance(found, type) else None


def to_mlx(values: np.ndarray, dtype: str) -> mx.array:
    return mx.array(np.ascontiguousarray(values, dtype=np.float32)).astype(MLX_DTYPES[dtype])


def to_numpy(array: Any) -> np.ndarray:
    """float32 (exact for half precision) or int64 numpy copy of an MLX array (or of the numpy array or number a
    port exposes instead)."""
    return to_numpy_together(array)[0]


def to_mlx_and_read_back(values: Any, dtype: str) -> tuple[list[mx.array], tuple[np.ndarray, ...]]:
    """Each numpy array of `values` as the port is given it (`to_mlx` in `dtype`), and those arrays read back
    (`to_numpy`, evaluated together): the port's inputs, read before the port has them."""
    given = [to_mlx(value, dtype) for value in values]
    return given, tuple(to_numpy_together(*given))


def to_numpy_together(*arrays: Any) -> list[np.ndarray]:
    """`to_numpy` of each array, the MLX ones evaluated together: one wait for MLX's stream instead of one each."""
    views = [_as_float32(a) if isinstance(a, mx.array) else a for a in arrays]
    mx.eval(*[view for view in views if isinstance(view, mx.array)])
    return [np.array(view) if isinstance(view, mx.array) else _host_copy(view) for view in views]


def _as_float32(array: mx.array) -> mx.array:
    """A float MLX array as float32 (exact for half precision); float32 and integer arrays as they are."""
    return array.astype(mx.float32) if mx.issubdtype(array.dtype, mx.floating) and array.dtype != mx.float32 else array


def _host_copy(values: Any) -> np.ndarray:
    values = np.asarray(values)
    return values.astype(np.float32) if np.issubdtype(values.dtype, np.floating) else values.copy()


def dtype_name(array: Any) -> str:
    """The dtype's name ("float32", "bfloat16", "int64") of an MLX or numpy array, or the type of a number."""
    if isinstance(array, mx.array):
        return str(array.dtype).removeprefix("mlx.core.")
    return str(array.dtype) if hasattr(array, "dtype") else type(array).__name__


def side(output_name: str) -> Side:
    """The port as the API-surface check sees it (an output class it lacks is an empty stand-in: every name of the
    reference's output is then a gap)."""
    output = output_class(output_name) or type(output_name, (), {})
    return Side(scheduler_class(), output, mx.array, to_numpy, logger="")  # the root: wherever the port logs
