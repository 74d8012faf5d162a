"""How the engine reaches a port: the adapter protocol, and the default adapter, which speaks diffusers' API.

No check calls a port directly. Each builds it through the active adapter (`parity.port.adapter()`):

    adapter.build(config)   from a reference config's constructor keywords (a case's "config")
    adapter.load(config)    from a config file's mapping (a shipped model config, a fixture's config): keys that
                            are no constructor keyword of the reference (`_class_name`, keys of other schedulers)
                            are dropped, as diffusers' `from_config` drops them

and then calls the built port through the `Adapted` view those return:

    set_timesteps(num_inference_steps=None, **kwargs)
    step(model_output, timestep, sample, **kwargs) -> tuple of arrays, in the reference output's field order
    timestep(index, kind)   the index-th scheduled timestep, as a Python int ("int"), a numpy integer ("numpy")
                            or an element of the port's `timesteps` ("element")
    attribute(name)         an array or value the port exposes (`timesteps`, `alphas_cumprod`, `sigmas`, ...)
    exposed(names)          those of `names` it exposes (a schedule row judges the arrays there are)
    call(method, *args, **kwargs)   any other method of the reference's API (`add_noise`, `_get_variance`, ...)
    instance                the port object itself (for the API-surface rows and the project's own tests)

Each raises `Unsupported(capability)` where the port cannot do what is asked: the check's row is then *blocked by*
that capability (reported apart from failures, and as an API gap once in the API rows), never failed. A check asks
only for what its own row is about, so one missing method blocks its own rows and no others.

The default (`DiffusersAPI`) finds out what a port shaped like diffusers' can do, from its signatures:
- it builds from plain keyword arguments, or from `from_config` when loading a config file and the port has it;
  a keyword the port's constructor lacks is dropped when its value is the reference's default (the port then does
  what the reference does by default), else the build is `Unsupported("constructor parameter <name>")`;
- it calls `step` with `return_dict=False` where the signature takes it, else plainly, and takes a tuple, a
  diffusers `BaseOutput`, a dataclass or a bare array as the result; a keyword argument the port's method lacks is
  dropped when it is the reference's default for that method, else `Unsupported("step(<name>=...)")`;
- config values come from `config` or from attributes of the same name (`attribute`).
The reference's defaults come from the validated copy of its source (parity.upstream.reference_defaults), so all
of this works without torch (the fixture replay).

An adapter for a port of another shape (built from its own config object, stepped by loop index, exposing only
`sigmas`) is a factory `factory(port_class, reference_defaults) -> adapter` with `build`, `load` and `capabilities`
(the capability names that exist: a conformance row needing another is blocked without running; None: found out by
calling). `make conformance PORT=pkg.module:Class ADAPTER=pkg.module:factory` uses it; README "How to verify a port
that is not a drop-in" works one through.

Two optional attributes let an adapter add rows that only it can express (the port's own pipeline calls, which no
diffusers call reaches): `features()`, a list of parity.conformance.Feature rows the report adds after the entry's,
and `runners`, {check name: runner(case, replay)} for their cases (parity.running runs a check the entry does not
know with the active adapter's runner; a replay line names the adapter, so it reruns through it).
parity/adapters/mflux.py is a worked one: mflux's schedulers, built from mflux's Config the way its models build
them.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

__all__ = ["Adapted", "DiffusersAPI", "Unsupported", "outputs", "reference_default"]

# reference_defaults: {method name ("__init__", "step", ...): {keyword: default}} of the reference class
Defaults = Mapping[str, Mapping[str, Any]]
_NO_DEFAULT = object()


class Unsupported(Exception):
    """The port lacks a capability a check needs; the check's row is blocked by it, not failed."""

    def __init__(self, capability: str, detail: str = "") -> None:
        self.capability = capability
        super().__init__(f"no `{capability}`" + (f": {detail}" if detail else ""))


def reference_default(defaults: Defaults, method: str, name: str) -> Any:
    """The reference's default for keyword `name` of `method` (a sentinel if it has none)."""
    return defaults.get(method, {}).get(name, _NO_DEFAULT)


def _same(value: Any, default: Any) -> bool:
    """Whether `value` is the reference's `default` (a bool is never the number 1 or 0 here)."""
    if default is _NO_DEFAULT or isinstance(value, bool) != isinstance(default, bool):
        return False
    try:
        return bool(value is default or value == default)
    except Exception:  # an array compared with a default: not the same
        return False


@functools.cache
def _parameters(function: Callable) -> tuple[frozenset[str], bool]:
    """The keyword names a callable takes, and whether it takes any (**kwargs)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return frozenset(), True
    names = frozenset(p.name for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))
    return names, any(p.kind == p.VAR_KEYWORD for p in parameters)


def accepted(function: Callable, method: str, kwargs: dict[str, Any], defaults: Defaults) -> dict[str, Any]:
    """`kwargs` as `function` can take them: a keyword it lacks is dropped where its value is the reference's
    default for `method`, else the call is Unsupported."""
    names, takes_any = _parameters(getattr(function, "__func__", function))
    if takes_any:
        return kwargs
    kept = {}
    for name, value in kwargs.items():
        if name in names:
            kept[name] = value
        elif not _same(value, reference_default(defaults, method, name)):
            capability = f"constructor parameter {name}" if method == "__init__" else f"{method}({name}=...)"
            raise Unsupported(capability, f"the port's {method} takes no `{name}`")
    return kept


def outputs(result: Any) -> tuple:
    """A step's result as a tuple of its fields: a tuple or list, a diffusers BaseOutput or any dataclass (its
    fields in order), a mapping (its values), or one bare array."""
    if isinstance(result, (tuple, list)):
        return tuple(result)
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return tuple(getattr(result, field.name) for field in dataclasses.fields(result))
    if isinstance(result, Mapping):
        return tuple(result.values())
    if hasattr(result, "shape") and hasattr(result, "dtype"):
        return (result,)
    raise TypeError(f"step returned a {type(result).__name__}: expected a tuple, an output class or an array")


class Adapted:
    """A built port as the engine calls it: this default speaks diffusers' API (the module docstring). An adapter
    for another API subclasses it and overrides what differs; `instance` is the port object itself."""

    def __init__(self, instance: Any, reference_defaults: Defaults) -> None:
        self.instance = instance
        self.reference_defaults = reference_defaults

    def method(self, name: str) -> Callable:
        found = getattr(type(self.instance), name, None)
        if found is None or not callable(found):
            raise Unsupported(name, f"{type(self.instance).__name__} has no method {name}")
        return getattr(self.instance, name)

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        function = self.method(name)
        return function(*args, **accepted(function, name, kwargs, self.reference_defaults))

    def accepts(self, method: str, keyword: str) -> bool:
        """Whether the port's `method` takes the keyword `keyword` (an extension's own rows ask)."""
        try:
            function = self.method(method)
        except Unsupported:
            return False
        names, takes_any = _parameters(getattr(function, "__func__", function))
        return keyword in names or takes_any

    def noise(self, shape: tuple[int, ...], dtype: Any, key: Any) -> Any:
        """What the port draws from the PRNG key `key` for noise of `shape` and `dtype` (diffusers draws
        `randn_tensor(shape, generator, dtype)`, which is torch.randn): by default mx.random.normal, its MLX
        counterpart. The checks feed the reference this draw, so an adapter for a port that draws otherwise says
        how here."""
        import mlx.core as mx

        return mx.random.normal(tuple(shape), dtype=dtype, key=key)

    def set_timesteps(self, num_inference_steps: int | None = None, **kwargs: Any) -> None:
        self.call("set_timesteps", num_inference_steps, **kwargs)

    def step(self, model_output: Any, timestep: Any, sample: Any, **kwargs: Any) -> tuple:
        function = self.method("step")
        names, takes_any = _parameters(getattr(function, "__func__", function))
        if "return_dict" in names or takes_any:
            kwargs = {**kwargs, "return_dict": False}
        return outputs(self.call("step", model_output, timestep, sample, **kwargs))

    def attribute(self, name: str) -> Any:
        """An array or value the port exposes: its attribute `name`, else its config value `name` (read from
        `config`, never through diffusers' deprecated attribute fallback, which warns)."""
        instance = self.instance
        if name in getattr(instance, "__dict__", {}) or hasattr(type(instance), name):
            return getattr(instance, name)
        config = getattr(instance, "config", None)
        if isinstance(config, Mapping) and name in config:
            return config[name]
        raise Unsupported(name, f"{type(instance).__name__} exposes no {name}")

    def exposed(self, names: tuple[str, ...]) -> dict[str, Any]:
        """The attributes of `names` the port exposes (a row judges those; one it lacks is its API rows' gap), or
        Unsupported when it exposes none of them."""
        found = {}
        for name in names:
            try:
                found[name] = self.attribute(name)
            except Unsupported:
                continue
        if not found:
            raise Unsupported(names[0], f"the port exposes none of {', '.join(names)}")
        return found

    def timestep(self, index: int, kind: str) -> Any:
        """The index-th timestep of the port's schedule as a Python int, a numpy integer or an element of its
        `timesteps`."""
        timesteps = self.attribute("timesteps")
        value = timesteps[index]
        if kind == "element":
            return value
        host = np.asarray(value).item()
        return int(host) if kind == "int" else np.int64(host)


class DiffusersAPI:
    """The default adapter: a port class shaped like the reference's (the module docstring says how it finds out
    what the port can do)."""

    capabilities = None  # found out by calling

    def __init__(self, port_class: type, reference_defaults: Defaults) -> None:
        self.port_class = port_class
        self.reference_defaults = reference_defaults

    def build(self, config: Mapping[str, Any]) -> Adapted:
        kwargs = accepted(self.port_class.__init__, "__init__", dict(config), self.reference_defaults)
        return Adapted(self.port_class(**kwargs), self.reference_defaults)

    def load(self, config: Mapping[str, Any]) -> Adapted:
        """From a config file's mapping: through the port's `from_config` where it has one (diffusers' loading
        path), else its constructor keywords."""
        if callable(getattr(self.port_class, "from_config", None)):
            return Adapted(self.port_class.from_config(dict(config)), self.reference_defaults)
        keywords = self.reference_defaults.get("__init__", {})
        return self.build({key: value for key, value in config.items() if key in keywords})
